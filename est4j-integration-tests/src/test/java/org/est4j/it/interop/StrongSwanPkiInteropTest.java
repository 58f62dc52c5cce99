package org.est4j.it.interop;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import java.security.cert.X509Certificate;
import java.util.List;
import org.est4j.cli.EmbeddedEstServer;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * strongSwan's {@code pki --estca / --est} (5.9.x, Debian strongswan-pki +
 * libstrongswan-extra-plugins) against est4j with its default (auto) base64 settings.
 *
 * <p>How pki builds request paths (found by pointing it at a TLS listener that prints request
 * lines): it appends {@code /.well-known/est/<operation>} to {@code --url} verbatim. {@code
 * --url https://h:p} gives {@code /.well-known/est/cacerts}; {@code --url https://h:p/foo/} gives
 * {@code /foo//.well-known/est/cacerts}; and {@code --url https://h:p/.well-known/est/lbl} gives
 * {@code /.well-known/est/lbl/.well-known/est/cacerts}. pki 5.9 has no {@code --label} option, so
 * it can only use est4j's unlabelled path. It sends no User-Agent header (so est4j's auto rule
 * answers it with one unwrapped base64 line) and no Content-Transfer-Encoding.
 *
 * <p>{@code pki --estca --caout ca.pem} writes the root to {@code ca.pem} and the sub CA to {@code
 * ca-1.pem} (the "template" numbering: the root keeps the given name).
 */
class StrongSwanPkiInteropTest {
  @TempDir Path dir;
  private Cmd cmd;
  private String pki;

  @BeforeEach
  void setUp() {
    pki = ExternalTools.pki().toString();
    cmd = Cmd.in(dir);
  }

  private static String url(EmbeddedEstServer server) {
    return "https://localhost:" + server.port();
  }

  private Path writeRoot(EmbeddedEstServer server) throws Exception {
    return Interop.writePem(dir.resolve("root.pem"), server.root());
  }

  /** pki --gen: a P-256 key in DER. */
  private Path generateKey(String name) throws Exception {
    Path key = dir.resolve(name);
    Files.write(key, cmd.ok(pki, "--gen", "--type", "ecdsa", "--size", "256", "--outform", "der").stdoutBytes());
    return key;
  }

  /** pki --req: a PEM PKCS#10 for the key with the DN and one DNS SAN. */
  private Path request(Path key, String dn, String san, String name) throws Exception {
    Path req = dir.resolve(name);
    Files.write(
        req,
        cmd.ok(pki, "--req", "--in", key.toString(), "--type", "priv", "--dn", dn, "--san", san, "--outform", "pem")
            .stdoutBytes());
    return req;
  }

  @Test
  void estcaThenEnrollThenReenrollWithDefaultSettings() throws Exception {
    try (EmbeddedEstServer server = Interop.zeroConfigServer()) {
      Path root = writeRoot(server);

      cmd.ok(pki, "--estca", "--url", url(server), "--cacert", root.toString(),
          "--caout", "ca.pem", "--outform", "pem", "--force");
      assertThat(Interop.readCertificate(dir.resolve("ca.pem"))).as("ca.pem is the root").isEqualTo(server.root());
      assertThat(Interop.readCertificate(dir.resolve("ca-1.pem")))
          .as("ca-1.pem is the issuing (sub) CA")
          .isEqualTo(server.caCertificates().get(0));
      assertThat(dir.resolve("ca-2.pem")).doesNotExist();

      Path key = generateKey("key.der");
      Path req = request(key, "C=CH, O=est4j, CN=ss-client", "ss-client.example.org", "req.pem");
      Cmd.Result enrolled = cmd.ok(pki, "--est", "--url", url(server), "--cacert", root.toString(),
          "--cacert", "ca-1.pem", "--in", req.toString(), "--outform", "pem");
      Path certFile = Files.write(dir.resolve("cert.pem"), enrolled.stdoutBytes());
      X509Certificate cert = Interop.readCertificate(certFile);
      assertThat(cert.getSubjectX500Principal().getName()).isEqualTo("CN=ss-client,O=est4j,C=CH");
      assertThat(List.copyOf(cert.getSubjectAlternativeNames())).containsExactly(List.of(2, "ss-client.example.org"));
      Interop.assertChainsTo(cert, server.caCertificates(), server.root());

      // Re-enroll: TLS client auth with the old cert/key, a new key and request with the same DN/SAN.
      Path newKey = generateKey("key2.der");
      Path req2 = request(newKey, "C=CH, O=est4j, CN=ss-client", "ss-client.example.org", "req2.pem");
      Cmd.Result renewed = cmd.ok(pki, "--est", "--url", url(server), "--cacert", root.toString(),
          "--cacert", "ca-1.pem", "--cert", certFile.toString(), "--key", key.toString(),
          "--in", req2.toString(), "--outform", "pem");
      X509Certificate newCert = Interop.readCertificate(Files.write(dir.resolve("cert2.pem"), renewed.stdoutBytes()));
      assertThat(newCert.getSubjectX500Principal()).isEqualTo(cert.getSubjectX500Principal());
      assertThat(List.copyOf(newCert.getSubjectAlternativeNames()))
          .isEqualTo(List.copyOf(cert.getSubjectAlternativeNames()));
      assertThat(newCert.getSerialNumber()).isNotEqualTo(cert.getSerialNumber());
      assertThat(newCert.getPublicKey()).isNotEqualTo(cert.getPublicKey());
      Interop.assertChainsTo(newCert, server.caCertificates(), server.root());
    }
  }

  @Test
  void enrollWithUserpassOnAConfiguredServer() throws Exception {
    try (EmbeddedEstServer server = Interop.configuredServer(dir, "est.yaml", Interop.AUTH_CONFIG)) {
      Path root = writeRoot(server);
      Path issuing = Interop.writePem(dir.resolve("issuing.pem"), server.caCertificates().get(0));
      Path req = request(generateKey("key.der"), "CN=ss-basic", "ss-basic.example.org", "req.pem");
      String[] est = {pki, "--est", "--url", url(server), "--cacert", root.toString(),
          "--cacert", issuing.toString(), "--in", req.toString(), "--outform", "pem"};

      Cmd.Result anonymous = cmd.fails(est);
      assertThat(anonymous.allOutput()).contains("HTTP 401");
      Cmd.Result wrong = cmd.fails(Cmd.concat(est, "--userpass", Interop.USER + ":nope"));
      assertThat(wrong.allOutput()).contains("HTTP 401");

      Cmd.Result enrolled = cmd.ok(Cmd.concat(est, "--userpass", Interop.USER + ":" + Interop.PASSWORD));
      X509Certificate cert = Interop.readCertificate(Files.write(dir.resolve("cert.pem"), enrolled.stdoutBytes()));
      assertThat(cert.getSubjectX500Principal().getName()).isEqualTo("CN=ss-basic");
      Interop.assertChainsTo(cert, server.caCertificates(), server.root());
    }
  }

  /**
   * The auto base64 rule is what makes pki work: forcing 76-column lines (what libest needs)
   * breaks pki 5.9's parser. pki cannot address a label (see the class comment), so the setting is
   * forced server-wide here rather than on a label; the same config without it works.
   */
  @Test
  void wrappedBase64BreaksPkiWhileTheDefaultWorks() throws Exception {
    String wrapped = Interop.AUTH_CONFIG + "base64_line_length: 76\n";
    try (EmbeddedEstServer server = Interop.configuredServer(dir, "wrapped.yaml", wrapped)) {
      Path root = writeRoot(server);

      Cmd.Result result = cmd.fails(pki, "--estca", "--url", url(server), "--cacert", root.toString(),
          "--caout", "wrapped.pem", "--outform", "pem", "--force");
      assertThat(result.allOutput()).contains("could not parse").doesNotContain("HTTP 4");
      assertThat(dir.resolve("wrapped-1.pem")).doesNotExist();
    }
    try (EmbeddedEstServer server = Interop.configuredServer(dir, "default.yaml", Interop.AUTH_CONFIG)) {
      Path root = writeRoot(server);

      cmd.ok(pki, "--estca", "--url", url(server), "--cacert", root.toString(),
          "--caout", "default.pem", "--outform", "pem", "--force");
      assertThat(Interop.readCertificate(dir.resolve("default-1.pem"))).isEqualTo(server.caCertificates().get(0));
    }
  }

  /** Documents pki's path building: a label in --url ends up before a second /.well-known/est. */
  @Test
  void pkiCannotAddressALabel() throws Exception {
    String yaml = Interop.AUTH_CONFIG + "labels:\n  wrapped:\n    base64_line_length: 76\n";
    try (EmbeddedEstServer server = Interop.configuredServer(dir, "est.yaml", yaml)) {
      Path root = writeRoot(server);

      Cmd.Result result = cmd.fails(pki, "--estca", "--url", url(server) + "/.well-known/est/wrapped",
          "--cacert", root.toString(), "--caout", "label.pem", "--outform", "pem", "--force");
      assertThat(result.allOutput()).contains("HTTP 404");
    }
  }
}
