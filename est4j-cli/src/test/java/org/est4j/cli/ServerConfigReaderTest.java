package org.est4j.cli;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import org.est4j.protocol.CsrAttrs;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class ServerConfigReaderTest {
  @TempDir Path dir;

  private ServerConfig parse(String text) throws ConfigException {
    return ServerConfigReader.parse(text, dir, "test.yaml");
  }

  @Test
  void theSeedsJsonKeysLoadUnchanged() throws Exception {
    Files.writeString(dir.resolve("ca.pem"), "x");
    Files.writeString(dir.resolve("key.pem"), "x");
    Files.writeString(dir.resolve("client.pem"), "x");
    ServerConfig c =
        parse(
            "{\"mock_ca\": {\"certificates\": \"ca.pem\", \"private_key\": \"key.pem\"},"
                + " \"tls\": {\"listen_address\": \"localhost:9443\", \"certificates\": \"ca.pem\","
                + " \"private_key\": \"key.pem\", \"client_cas\": [\"client.pem\"]},"
                + " \"allowed_hosts\": [\"localhost\", \"127.0.0.1\", \"[::1]\"],"
                + " \"healthcheck_password\": \"xyzzy\", \"rate_limit\": 150, \"timeout\": 30, \"log_file\": \"\"}");
    assertThat(c.zeroConfig()).isFalse();
    assertThat(c.ca().get().certificates()).isEqualTo(dir.resolve("ca.pem"));
    assertThat(c.listen()).isEqualTo(new ListenAddress("localhost", 9443));
    assertThat(c.clientCas()).containsExactly(dir.resolve("client.pem"));
    assertThat(c.allowedHosts()).containsExactly("localhost", "127.0.0.1", "[::1]");
    assertThat(c.healthcheckPassword()).isEqualTo("xyzzy");
    assertThat(c.rateLimit()).isEqualTo(150);
    assertThat(c.timeout()).isEqualTo(Duration.ofSeconds(30));
    assertThat(c.logFile()).isEmpty();
  }

  @Test
  void aTlsSectionWithoutListenAddressKeepsTheSafeDefault() throws Exception {
    assertThat(parse("tls: {}").listen()).isEqualTo(ListenAddress.DEFAULT);
    assertThat(parse("tls: {listen_address: ':8443'}").listen()).isEqualTo(new ListenAddress(null, 8443));
    assertThat(parse("tls: {listen_address: '[::1]:0'}").listen()).isEqualTo(new ListenAddress("::1", 0));
  }

  @Test
  void anAdminListenAddressIsOptional() throws Exception {
    assertThat(parse("rate_limit: 0").adminListen()).isEmpty();
    assertThat(parse("admin_listen_address: '127.0.0.1:9443'").adminListen())
        .contains(new ListenAddress("127.0.0.1", 9443));
    assertThatThrownBy(() -> parse("admin_listen_address: 9443")).hasMessageStartingWith("admin_listen_address:");
  }

  @Test
  void aConfiguredServerRequiresAuthenticationUnlessItSaysOtherwise() throws Exception {
    assertThat(parse("rate_limit: 0").unlabelled().allowUnauthenticated()).isEmpty();
    assertThat(parse("allow_unauthenticated_enrollment: true").unlabelled().allowUnauthenticated()).contains(true);
  }

  @Test
  void errorsNameTheKey() {
    assertThatThrownBy(() -> parse("rate_limt: 5")).hasMessageStartingWith("rate_limt: unknown key");
    assertThatThrownBy(() -> parse("tls: {listen_adress: x}")).hasMessageStartingWith("tls.listen_adress: unknown key");
    assertThatThrownBy(() -> parse("tls: {listen_address: 'localhost'}")).hasMessageStartingWith("tls.listen_address:");
    assertThatThrownBy(() -> parse("tls: {listen_address: 'localhost:99999'}")).hasMessageContaining("0..65535");
    assertThatThrownBy(() -> parse("rate_limit: -1")).hasMessageStartingWith("rate_limit:");
    assertThatThrownBy(() -> parse("rate_limit: lots")).hasMessageStartingWith("rate_limit: must be a number");
    assertThatThrownBy(() -> parse("mock_ca: {certificates: missing.pem, private_key: missing.pem}"))
        .hasMessageStartingWith("mock_ca.certificates: cannot read");
    assertThatThrownBy(() -> parse("mock_ca: {certificates: a.pem}")).hasMessageStartingWith("mock_ca.private_key: is required");
    assertThatThrownBy(() -> parse("labels: {cacerts: {}}")).hasMessageStartingWith("labels.cacerts:");
    assertThatThrownBy(() -> parse("labels: {iot: {base64_line_length: 75}}")).hasMessageStartingWith("labels.iot.base64_line_length:");
    assertThatThrownBy(() -> parse("users: [{username: a, password: x, password_hash: y}]")).hasMessageStartingWith("users[0].password:");
    assertThatThrownBy(() -> parse("users: [{username: a, password: x}, {username: a, password: y}]")).hasMessageContaining("appears twice");
    assertThatThrownBy(() -> parse("users: [{username: a, password_hash: nonsense}]")).hasMessageStartingWith("users[0].password_hash:");
    assertThatThrownBy(() -> parse("csrattrs: [not-an-oid]")).hasMessageStartingWith("csrattrs[0]:");
    assertThatThrownBy(() -> parse("crypto_provider: openssl")).hasMessageStartingWith("crypto_provider:");
    assertThatThrownBy(() -> parse("{ not yaml")).hasMessageContaining("not valid YAML");
    assertThatThrownBy(() -> parse("timeout: 1\ntimeout: 2")).hasMessageContaining("not valid YAML");
  }

  @Test
  void serverKeygenKeysLoadFromFileOrEnvironmentAndErrorsNameTheKey() throws Exception {
    Files.writeString(dir.resolve("k.hex"), "00112233445566778899aabbccddeeff\n");
    Files.write(dir.resolve("k.raw"), new byte[24]);
    Files.writeString(dir.resolve("bad.key"), "too short");
    ServerConfig c = parse("server_keygen: {shared_keys: [{id: a, key_file: k.hex}, {id: 'hex:0b0c', key_file: k.raw}]}\n"
        + "labels: {iot: {allow_unauthenticated_enrollment: true}}");
    org.est4j.server.ServerKeyEncryption enc = c.unlabelled().serverKeyGen().get().load();
    assertThat(enc.sharedKey("a".getBytes(java.nio.charset.StandardCharsets.UTF_8)).get().length()).isEqualTo(16);
    assertThat(enc.sharedKey(new byte[] {11, 12}).get().length()).isEqualTo(24);
    assertThat(enc.toString()).doesNotContain("0011");
    assertThatThrownBy(() -> parse("server_keygen: {shared_keys: [{id: a, key_file: k.hex, key_env: X}]}"))
        .hasMessageStartingWith("server_keygen.shared_keys[0].key_file: give exactly one");
    assertThatThrownBy(() -> parse("labels: {iot: {server_keygen: {shared_keys: [{key_file: k.hex}]}}}"))
        .hasMessageStartingWith("labels.iot.server_keygen.shared_keys[0].id: is required");
    assertThatThrownBy(() -> parse("server_keygen: {shared_keys: [{id: a, key_file: k.hex}, {id: a, key_file: k.raw}]}"))
        .hasMessageContaining("appears twice");
    assertThatThrownBy(() -> parse("server_keygen: {shared_kes: []}")).hasMessageStartingWith("server_keygen.shared_kes: unknown key");
    assertThatThrownBy(() -> parse("server_keygen: {shared_keys: [{id: a, key_file: bad.key}]}").unlabelled()
        .serverKeyGen().get().load())
        .hasMessageStartingWith("server_keygen.shared_keys[0].key_file: a shared key must be")
        .hasMessageNotContaining("too short");
    assertThatThrownBy(() -> parse("server_keygen: {shared_keys: [{id: a, key_env: EST4J_SURELY_UNSET_VARIABLE}]}")
        .unlabelled().serverKeyGen().get().load())
        .hasMessageContaining("EST4J_SURELY_UNSET_VARIABLE is not set");
  }

  @Test
  void csrattrsFromOidsAttributesOrBase64() throws Exception {
    CsrAttrs listed =
        parse(
                "csrattrs:\n"
                    + "  - 1.2.840.113549.1.9.7\n"
                    + "  - {type: 1.2.840.10045.2.1, values: [1.3.132.0.34]}\n"
                    + "  - {type: 1.2.840.113549.1.9.14, values: [1.3.6.1.1.1.1.22]}\n"
                    + "  - 1.2.840.10045.4.3.3\n")
            .unlabelled()
            .csrAttrs()
            .orElseThrow();
    assertThat(listed.encoded()).isEqualTo(CsrAttrs.rfc7030Example().encoded());
    CsrAttrs b64 =
        parse("labels: {x: {csrattrs: 'MEEGCSqGSIb3DQEJBzASBgcqhkjOPQIBMQcGBSuBBAAiMBYGCSqGSIb3DQEJDjEJBgcrBgEBAQEWBggqhkjOPQQDAw=='}}")
            .labels().get("x").csrAttrs().orElseThrow();
    assertThat(b64.encoded()).isEqualTo(CsrAttrs.rfc7030Example().encoded());
  }

  @Test
  void usersArePasswordHashesOnly() throws Exception {
    ServerConfig c = parse("users: [{username: alice, password: wonderland}]");
    assertThat(c.users().get("alice").toString()).doesNotContain("wonderland");
    assertThat(c.users().get("alice").matches("wonderland".toCharArray())).isTrue();
    String stored = c.users().get("alice").encoded();
    ServerConfig again = parse("users: [{username: alice, password_hash: '" + stored + "'}]");
    assertThat(again.users().get("alice").matches("wonderland".toCharArray())).isTrue();
  }

  @Test
  void usersMayBeLimitedToLabels() throws Exception {
    ServerConfig c = parse("users: [{username: alice, password: wonderland, labels: [iot, /]}, {username: bob, password: x}]");
    assertThat(c.userLabels()).containsOnlyKeys("alice");
    assertThat(c.userLabels().get("alice")).containsExactlyInAnyOrder("iot", "/");
    assertThatThrownBy(() -> parse("users: [{username: a, password: x, labels: [cacerts]}]"))
        .hasMessageStartingWith("users[0].labels:").hasMessageContaining("not a valid label");
    assertThatThrownBy(() -> parse("users: [{username: a, password: x, labels: []}]"))
        .hasMessageStartingWith("users[0].labels:").hasMessageContaining("at least one label");
  }

  @Test
  void theSampleConfigurationParses() throws Exception {
    String sample = new String(EstServerCommand.class.getResourceAsStream("estserver-sample.yaml").readAllBytes());
    for (String f : new String[] {"ca-chain.pem", "ca-key.pem", "server-chain.pem", "server-key.pem", "device-ca.pem",
        "corporate-root.pem", "ra.pass"}) {
      Files.writeString(dir.resolve(f), "x");
    }
    ServerConfig c = parse(sample);
    assertThat(c.users()).containsKey("device-installer");
    assertThat(c.labels()).containsKey("iot");
    assertThat(c.unlabelled().tpmEkRoots()).contains(List.of());
    assertThat(c.labels().get("iot").tpmEkRoots())
        .contains(List.of(dir.resolve("tpm-manufacturer-roots.pem")));
    assertThat(c.labels().get("servers").manualApproval()).contains(true);
    assertThat(c.crl().validity()).isEqualTo(java.time.Duration.ofDays(7));
    assertThat(c.audit()).isTrue();
  }

  @Test
  void approvalCrlAndAuditKeys() throws Exception {
    ServerConfig c = parse("approval: manual\napproval_retry_after: 2m\naudit: false\ncrl: {validity: 2d}\n"
        + "labels:\n  a: {}\n  b: {approval: auto}\n");
    assertThat(c.unlabelled().manualApproval()).contains(true);
    assertThat(c.labels().get("a").manualApproval()).isEmpty(); // inherits manual
    assertThat(c.labels().get("b").manualApproval()).contains(false);
    assertThat(c.approvalRetryAfter()).isEqualTo(java.time.Duration.ofMinutes(2));
    assertThat(c.audit()).isFalse();
    assertThat(c.crl().refresh()).isEqualTo(java.time.Duration.ofDays(1));
    assertThat(parse("").approvalRetryAfter()).isEqualTo(java.time.Duration.ofSeconds(60));

    assertThatThrownBy(() -> parse("labels:\n  a: {approval: sometimes}\n")).hasMessageContaining("labels.a.approval")
        .hasMessageContaining("auto or manual");
    assertThatThrownBy(() -> parse("approval_retry_after: 0\n")).hasMessageContaining("approval_retry_after");
    assertThatThrownBy(() -> parse("crl: {validity: 1d, refresh: 2d}\n")).hasMessageContaining("crl.refresh");
    assertThatThrownBy(() -> parse("crl: {lifetime: 1d}\n")).hasMessageContaining("lifetime");
  }

  @Test
  void tpmEkRootsOneFileOrAListInheritedByLabels() throws Exception {
    ServerConfig c = parse("tpm_ek_roots: roots.pem\nlabels:\n  a: {}\n  b:\n    tpm_ek_roots: [x.pem, y.pem]\n");
    assertThat(c.unlabelled().tpmEkRoots()).contains(List.of(dir.resolve("roots.pem")));
    assertThat(c.labels().get("a").tpmEkRoots()).isEmpty();
    assertThat(c.labels().get("b").tpmEkRoots()).contains(List.of(dir.resolve("x.pem"), dir.resolve("y.pem")));
  }
}
