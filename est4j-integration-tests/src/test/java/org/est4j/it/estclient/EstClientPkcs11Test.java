package org.est4j.it.estclient;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.ByteArrayInputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.PublicKey;
import java.security.cert.CertificateFactory;
import java.security.cert.X509Certificate;
import java.util.List;
import java.util.Optional;
import org.est4j.cli.EmbeddedEstServer;
import org.est4j.client.Pkcs11Key;
import org.est4j.it.pkcs11.SoftHsm;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * estclient with keys on a SoftHSM2 token named by {@code -key pkcs11:...} (RFC 7512): enroll,
 * then reenroll with the token key as TLS client key, for RSA-2048 and EC P-256; against a server
 * that requires Basic authentication for enrollment, so reenroll's client certificate is what
 * authenticates it.
 */
class EstClientPkcs11Test {
  static final String USER = "hsmuser";
  static final String PASSWORD = "hsm-password";
  @TempDir static Path dir;
  static SoftHsm hsm;
  static EmbeddedEstServer server;
  static Cli cli;

  @BeforeAll
  static void start() throws Exception {
    hsm = SoftHsm.get();
    Path cfg = Files.writeString(dir.resolve("server.yaml"),
        "users:\n  - username: " + USER + "\n    password: " + PASSWORD + "\n");
    server = EmbeddedEstServer.start(Optional.of(cfg), "127.0.0.1:0");
    TestFiles.writeCerts(dir.resolve("anchor.pem"), List.of(server.root()));
    cli = new Cli(dir);
  }

  @AfterAll
  static void stop() throws Exception {
    if (server != null) {
      server.close();
    }
  }

  private static Cli.Result ok(Cli c, String... args) {
    Cli.Result r = c.run(args);
    assertThat(r.exit()).as(String.join(" ", args) + "\n" + r.describe()).isZero();
    return r;
  }

  private static X509Certificate cert(String pem) throws Exception {
    return (X509Certificate) CertificateFactory.getInstance("X.509")
        .generateCertificate(new ByteArrayInputStream(pem.getBytes(StandardCharsets.US_ASCII)));
  }

  private static PublicKey tokenKey(int id) throws Exception {
    try (Pkcs11Key k = Pkcs11Key.open(hsm.clientKey(id))) {
      return k.publicKey();
    }
  }

  @ParameterizedTest(name = "key id {0}")
  @ValueSource(ints = {0x01, 0x02})
  void enrollAndReenrollWithAPkcs11Uri(int id) throws Exception {
    String uri = hsm.uri(SoftHsm.CLIENT_TOKEN, id, true);
    String server = "127.0.0.1:" + EstClientPkcs11Test.server.port();
    Cli.Result enrolled = ok(cli, "enroll", "-server", server, "-explicit", "anchor.pem", "-key", uri,
        "-cn", "hsm-cli-" + id, "-dnsnames", "hsm.example", "-user", USER, "-pass", PASSWORD);
    X509Certificate cert = cert(enrolled.stdout());
    assertThat(cert.getPublicKey()).isEqualTo(tokenKey(id));
    Files.writeString(dir.resolve("cert-" + id + ".pem"), enrolled.stdout());

    // no Basic credentials: the TLS client certificate, proven by the token's signature, authenticates
    Cli.Result renewed = ok(cli, "reenroll", "-server", server, "-explicit", "anchor.pem",
        "-certs", "cert-" + id + ".pem", "-key", uri);
    X509Certificate next = cert(renewed.stdout());
    assertThat(next.getSubjectX500Principal()).isEqualTo(cert.getSubjectX500Principal());
    assertThat(next.getPublicKey()).isEqualTo(cert.getPublicKey());
    assertThat(next.getSerialNumber()).isNotEqualTo(cert.getSerialNumber());
  }

  /** A URI without a PIN: asked for on the terminal ("Enter PIN for HSM: "). */
  @Test
  void uriWithoutPinPrompts() throws Exception {
    String uri = hsm.uri(SoftHsm.CLIENT_TOKEN, 2, false);
    Cli.Result r = ok(new Cli(dir).promptAnswer(SoftHsm.PIN), "csr", "-key", uri, "-cn", "prompted");
    assertThat(r.pemBlocks()).isEqualTo(1);
    Cli.Result bad = new Cli(dir).run("csr", "-key", "pkcs11:token=x;id=%zz?module-path=/x", "-cn", "y");
    assertThat(bad.exit()).isEqualTo(2);
    assertThat(bad.stderr()).contains("-key pkcs11: URI").contains("bad percent escape");
  }

  /** A relative pkcs11_library_path resolves against the configuration file's directory, as in the seed. */
  @Test
  void relativeLibraryPathResolvesAgainstTheConfigFile() throws Exception {
    Path cfgDir = Files.createDirectories(dir.resolve("conf/lib")).getParent();
    Files.createSymbolicLink(cfgDir.resolve("lib/libsofthsm2.so"), hsm.library());
    Files.writeString(cfgDir.resolve("hsm.cfg"), """
        {"private_key": {"hsm": {"pkcs11_library_path": "lib/libsofthsm2.so", "token_label": "Testing Token",
                                 "token_pin": "1234", "key_id": 2}}}
        """);
    Cli.Result r = ok(cli, "csr", "-config", "conf/hsm.cfg", "-cn", "relative");
    assertThat(r.pemBlocks()).isEqualTo(1);
    Cli.Result missing = cli.run("csr", "-config", Files.writeString(dir.resolve("nolib.cfg"),
        "{\"private_key\": {\"hsm\": {\"pkcs11_library_path\": \"nolib.so\", \"token_label\": \"x\","
            + " \"token_pin\": \"1\", \"key_id\": 1}}}").toString(), "-cn", "x");
    assertThat(missing.exit()).isEqualTo(1);
    assertThat(missing.stderr()).contains("private_key.hsm").contains(dir.resolve("nolib.so").toString());
  }

  /** private_key in the configuration file may be a pkcs11: URI too (est4j extension). */
  @Test
  void configPrivateKeyAsUri() throws Exception {
    Path cfg = Files.writeString(dir.resolve("uri.cfg"),
        "{\"private_key\": \"" + hsm.uri(SoftHsm.CLIENT_TOKEN, 1, true) + "\"}");
    Cli.Result r = ok(cli, "csr", "-config", cfg.toString(), "-cn", "from-config");
    assertThat(r.pemBlocks()).isEqualTo(1);
  }
}
