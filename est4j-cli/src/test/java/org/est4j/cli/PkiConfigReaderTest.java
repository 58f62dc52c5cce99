package org.est4j.cli;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import org.est4j.protocol.CsrTemplate;
import org.est4j.protocol.EstOperation;
import org.est4j.server.AuthPolicy;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/** cas, profiles, labels' policies: parsed, and every error names its key. */
class PkiConfigReaderTest {
  @TempDir Path dir;

  private ServerConfig parse(String text) throws ConfigException {
    return ServerConfigReader.parse(text, dir, "test.yaml");
  }

  @Test
  void aFullConfigurationParses() throws Exception {
    Files.writeString(dir.resolve("up-root.pem"), "x");
    Files.writeString(dir.resolve("ra.pass"), "x");
    ServerConfig c = parse(String.join("\n",
        "data_dir: data",
        "cas:",
        "  devices: {kind: embedded, passphrase_env: EST4J_CA_PASS}",
        "  corp: {kind: upstream, url: 'ca.example.com:8443', label: ra, trust_anchors: up-root.pem,",
        "         username: ra, password_file: ra.pass}",
        "profiles:",
        "  web:",
        "    validity: 30d",
        "    key_types: [ec:P-256, rsa:3072+]",
        "    key_usage: [digitalSignature]",
        "    extended_key_usage: [serverAuth]",
        "    san: {dns_suffixes: [example.com], ip_ranges: [10.0.0.0/8]}",
        "    subject: {required: [CN], forbidden: [OU]}",
        "    crl_distribution_point: http://crl.example.com/devices.crl",
        "ca: devices",
        "auth: {enroll: [basic]}",
        "approval: auto",
        "labels:",
        "  web:",
        "    ca: corp",
        "    profile: web",
        "    auth: {enroll: [client_cert], reenroll: []}",
        "    reenroll: {same_key: deny, subject_change: allow}",
        "    enforce_csrattrs: true",
        "    csrattrs:",
        "      attributes: [1.2.840.113549.1.9.7]",
        "      template: {subject: [CN, 'O=Example Inc'], key: ec:P-256, extensions: [subjectAltName]}",
        ""));
    PkiConfig pki = c.pki();
    assertThat(pki.dataDir()).isEqualTo(dir.resolve("data"));
    assertThat(pki.cas()).containsOnlyKeys("devices", "corp");
    PkiConfig.UpstreamCaConfig corp = (PkiConfig.UpstreamCaConfig) pki.cas().get("corp");
    assertThat(corp.url().toString()).isEqualTo("https://ca.example.com:8443");
    assertThat(corp.label()).contains("ra");
    assertThat(pki.profiles().get("web").validity()).contains(Duration.ofDays(30));
    assertThat(pki.unlabelled().ca()).contains("devices");
    PkiConfig.LabelPolicy web = pki.labels().get("web");
    assertThat(web.auth().get(EstOperation.SIMPLEENROLL)).containsExactly(AuthPolicy.Method.CLIENT_CERT);
    assertThat(web.auth().get(EstOperation.SIMPLEREENROLL)).isEmpty();
    assertThat(web.reenroll().get().sameKeyAllowed()).isFalse();
    assertThat(web.reenroll().get().subjectChangeAllowed()).isTrue();
    CsrTemplate t = CsrTemplate.find(c.labels().get("web").csrAttrs().get()).orElseThrow();
    assertThat(t.subject()).hasSize(2);
    assertThat(t.subject().get(1).value()).contains("Example Inc");
    assertThat(t.extensions()).hasSize(1);
  }

  @Test
  void theSampleConfigurationParses() throws Exception {
    for (String f : new String[] {"ca-chain.pem", "ca-key.pem", "corporate-root.pem", "ra.pass", "server-chain.pem",
        "server-key.pem", "device-ca.pem", "tpm-manufacturer-roots.pem", "ca.pass"}) {
      Files.writeString(dir.resolve(f), "x");
    }
    String sample;
    try (java.io.InputStream in = EstServerCommand.class.getResourceAsStream("estserver-sample.yaml")) {
      sample = new String(in.readAllBytes(), java.nio.charset.StandardCharsets.UTF_8);
    }
    ServerConfig c = parse(sample);
    assertThat(c.pki().cas()).containsOnlyKeys("devices", "legacy", "corporate");
    assertThat(c.pki().profiles()).containsOnlyKeys("iot");
    assertThat(c.labels()).containsOnlyKeys("iot", "corp", "servers");
    assertThat(c.pki().labels().get("iot").auth().get(EstOperation.SERVERKEYGEN)).isEmpty();
  }

  @Test
  void mockCaIsTheCaNamedDefault() throws Exception {
    Files.writeString(dir.resolve("ca.pem"), "x");
    Files.writeString(dir.resolve("key.pem"), "x");
    PkiConfig pki = parse("mock_ca: {certificates: ca.pem, private_key: key.pem}").pki();
    assertThat(pki.cas().get("default")).isInstanceOf(PkiConfig.FilesCaConfig.class);
    assertThatThrownBy(() -> parse("mock_ca: {certificates: ca.pem, private_key: key.pem}\n"
        + "cas: {default: {kind: embedded, passphrase_env: X}}")).hasMessageStartingWith("cas.default:");
  }

  @ParameterizedTest(name = "{1}")
  @CsvSource(delimiter = '|', value = {
      "cas: {a: {passphrase_env: X}}                                  | cas.a.kind: is required",
      "cas: {a: {kind: hsm}}                                          | cas.a.kind: 'hsm' is not a CA kind",
      "cas: {a: {kind: embedded}}                                     | cas.a.passphrase_file: give exactly one",
      "cas: {a: {kind: embedded, passphrase_env: X, colour: red}}     | cas.a.colour: unknown key",
      "cas: {'../a': {kind: embedded, passphrase_env: X}}             | cas.../a: '../a' is not a CA name",
      "cas: {a: {kind: upstream, url: 'https://h:1'}}                 | cas.a.trust_anchors: is required",
      "cas: {a: {kind: upstream, url: 'http://h:1', trust_anchors: x}} | cas.a.url: must be an https:// URL",
      "cas: {a: {kind: files, certificates: missing.pem, private_key: k.pem}} | cas.a.certificates: cannot read",
      "cas: {a: {kind: embedded, passphrase_env: X}, b: {kind: embedded, passphrase_env: Y}} | ca: several CAs are configured",
      "labels: {x: {ca: nope}}                                        | labels.x.ca: no CA named 'nope'",
      "labels: {x: {profile: nope}}                                   | labels.x.profile: no profile named 'nope'",
      "profile: nope                                                  | profile: no profile named 'nope'",
      "profiles: {p: {key_types: [rsa:1024]}}                         | profiles.p.key_types: 'rsa:1024' is not a key type",
      "profiles: {p: {key_types: []}}                                 | profiles.p.key_types: needs at least one",
      "profiles: {p: {validity: 5}}                                   | profiles.p.validity: '5' is not a duration",
      "profiles: {p: {key_usage: [keyCertSign]}}                      | profiles.p.key_usage: 'keyCertSign'",
      "profiles: {p: {extended_key_usage: [bogus]}}                   | profiles.p.extended_key_usage: 'bogus'",
      "profiles: {p: {san: {ip_ranges: [example.com/8]}}}             | profiles.p.san.ip_ranges: 'example.com/8'",
      "profiles: {p: {san: {dns_suffixes: ['']}}}                     | profiles.p.san.dns_suffixes: has an empty entry",
      "profiles: {p: {san: {dns: [a]}}}                               | profiles.p.san.dns: unknown key",
      "profiles: {p: {subject: {required: [NOPE]}}}                   | profiles.p.subject.required: 'NOPE'",
      "profiles: {p: {subject: {required: [CN], forbidden: [CN]}}}    | profiles.p.subject: CN is both required and forbidden",
      "profiles: {p: {crl_distribution_point: 'file:/x'}}             | profiles.p.crl_distribution_point: 'file:/x'",
      "labels: {x: {auth: {reenroll: [token]}}}                       | labels.x.auth.reenroll: an enrollment token can authorise enroll, serverkeygen and tpmenroll only",
      "auth: {enroll: [password]}                                     | auth.enroll: 'password' is not an authentication method",
      "auth: {fullcmc: [basic]}                                       | auth.fullcmc: unknown key",
      "labels: {x: {auth: {reenroll: [basic]}}}                       | labels.x.auth.reenroll: reenroll is authenticated by the client certificate",
      "labels: {x: {approval: later}}                                 | labels.x.approval: must be auto",
      "labels: {x: {reenroll: {same_key: maybe}}}                     | labels.x.reenroll.same_key: must be allow or deny",
      "labels: {x: {reenroll: {key: allow}}}                          | labels.x.reenroll.key: unknown key",
      "csrattrs: {template: {key: ec:P-192}}                          | csrattrs.template.key: 'ec:P-192' is not a key type",
      "labels: {x: {csrattrs: {template: {subject: [NOPE]}}}}         | labels.x.csrattrs.template.subject: 'NOPE'",
      "csrattrs: {template: {extensions: [bogus]}}                    | csrattrs.template.extensions: 'bogus'",
      "csrattrs: {templates: {}}                                      | csrattrs.templates: unknown key",
  })
  void errorsNameTheKey(String yaml, String expected) {
    assertThatThrownBy(() -> parse(yaml)).isInstanceOf(ConfigException.class).hasMessageStartingWith(expected);
  }
}
