package org.est4j.it.interop;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.cert.X509Certificate;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.Map;
import org.est4j.cli.EmbeddedEstServer;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The README quickstart by hand: curl for HTTP, openssl for base64, PKCS#7, PKCS#10, PKCS#8 and
 * path validation, against the zero-config server. Each pipeline stage is a separate process
 * chained through files, so a failure names the stage.
 */
class CurlOpensslInteropTest {
  @TempDir Path dir;
  private Cmd cmd;
  private String curl;
  private String openssl;
  private EmbeddedEstServer server;
  private String base;

  @BeforeEach
  void setUp() throws Exception {
    curl = ExternalTools.curl().toString();
    openssl = ExternalTools.openssl().toString();
    cmd = Cmd.in(dir);
    server = Interop.zeroConfigServer();
    base = "https://localhost:" + server.port() + "/.well-known/est";
    Interop.writePem(dir.resolve("root.pem"), server.root());
  }

  @AfterEach
  void tearDown() throws Exception {
    if (server != null) {
      server.close();
    }
  }

  /** curl -sS --fail-with-body --cacert root.pem [args] url -o out. */
  private Cmd.Result curl(String url, String out, String... args) {
    String[] command = Cmd.concat(new String[] {curl, "-sS", "--fail-with-body", "--cacert", "root.pem", "-o", out}, args);
    return cmd.ok(Cmd.concat(command, url));
  }

  private Cmd.Result post(String operation, String out, String... args) {
    return curl(base + "/" + operation, out, Cmd.concat(args,
        "-H", "Content-Type: application/pkcs10", "--data-binary", "@csr.b64"));
  }

  /** openssl base64 -d, then openssl pkcs7 -print_certs: base64 certs-only file to PEM file. */
  private Path certsOnlyToPem(String b64, String pem) {
    cmd.ok(openssl, "base64", "-d", "-in", b64, "-out", b64 + ".der");
    cmd.ok(openssl, "pkcs7", "-inform", "DER", "-in", b64 + ".der", "-print_certs", "-out", pem);
    return dir.resolve(pem);
  }

  private void newCsr(String key, String subject) {
    cmd.ok(openssl, "req", "-new", "-newkey", "ec", "-pkeyopt", "ec_paramgen_curve:P-256", "-nodes",
        "-keyout", key, "-subj", subject, "-outform", "DER", "-out", "csr.der");
    cmd.ok(openssl, "base64", "-in", "csr.der", "-out", "csr.b64");
  }

  @Test
  void quickstartCacertsEnrollReenrollServerKeygen() throws Exception {
    curl(base + "/cacerts", "cacerts.b64");
    Path cacerts = certsOnlyToPem("cacerts.b64", "cacerts.pem");
    assertThat(Interop.readCertificates(cacerts)).containsExactlyElementsOf(server.caCertificates());

    newCsr("key.pem", "/CN=dev1");
    post("simpleenroll", "cert.b64");
    Path certPem = certsOnlyToPem("cert.b64", "cert.pem");
    assertThat(cmd.ok(openssl, "verify", "-CAfile", "cacerts.pem", "cert.pem").stdout()).contains("cert.pem: OK");
    X509Certificate cert = Interop.readCertificate(certPem);
    assertThat(cert.getSubjectX500Principal().getName()).isEqualTo("CN=dev1");
    Interop.assertChainsTo(cert, server.caCertificates(), server.root());

    // Re-enroll with the same CSR (same key, same subject), authenticated by the new certificate.
    post("simplereenroll", "cert2.b64", "--cert", "cert.pem", "--key", "key.pem");
    certsOnlyToPem("cert2.b64", "cert2.pem");
    assertThat(cmd.ok(openssl, "verify", "-CAfile", "cacerts.pem", "cert2.pem").stdout()).contains("cert2.pem: OK");
    X509Certificate cert2 = Interop.readCertificate(dir.resolve("cert2.pem"));
    assertThat(cert2.getSubjectX500Principal()).isEqualTo(cert.getSubjectX500Principal());
    assertThat(cert2.getSerialNumber()).isNotEqualTo(cert.getSerialNumber());
    assertThat(cert2.getPublicKey()).isEqualTo(cert.getPublicKey());
    // Without the client certificate, re-enroll is refused.
    Cmd.Result anonymous = cmd.run(curl, "-sS", "--cacert", "root.pem", "-o", "/dev/null", "-w", "%{http_code}",
        "-H", "Content-Type: application/pkcs10", "--data-binary", "@csr.b64", base + "/simplereenroll");
    assertThat(anonymous.stdout()).isNotEqualTo("200").startsWith("4");

    // Server-side key generation: multipart/mixed with a PKCS#8 part and a certs-only part.
    newCsr("ignored-key.pem", "/CN=dev1-keygen");
    post("serverkeygen", "keygen.txt", "-D", "keygen.headers");
    String headers = Files.readString(dir.resolve("keygen.headers"), StandardCharsets.US_ASCII);
    assertThat(headers).containsIgnoringCase("Content-Type: multipart/mixed; boundary=estServerKeyGenBoundary");
    Map<String, String> parts = multipartParts(Files.readString(dir.resolve("keygen.txt"), StandardCharsets.US_ASCII),
        "estServerKeyGenBoundary");
    assertThat(parts.keySet()).containsExactly("application/pkcs8", "application/pkcs7-mime; smime-type=certs-only");
    Files.writeString(dir.resolve("key.b64"), parts.get("application/pkcs8"), StandardCharsets.US_ASCII);
    Files.writeString(dir.resolve("kcert.b64"), parts.get("application/pkcs7-mime; smime-type=certs-only"),
        StandardCharsets.US_ASCII);
    cmd.ok(openssl, "base64", "-d", "-in", "key.b64", "-out", "key.der");
    cmd.ok(openssl, "pkey", "-inform", "DER", "-in", "key.der", "-noout", "-check");
    String keyPublic = cmd.ok(openssl, "pkey", "-inform", "DER", "-in", "key.der", "-pubout").stdout();
    certsOnlyToPem("kcert.b64", "kcert.pem");
    String certPublic = cmd.ok(openssl, "x509", "-in", "kcert.pem", "-noout", "-pubkey").stdout();
    assertThat(keyPublic).startsWith("-----BEGIN PUBLIC KEY-----").isEqualTo(certPublic);
    assertThat(cmd.ok(openssl, "verify", "-CAfile", "cacerts.pem", "kcert.pem").stdout()).contains("kcert.pem: OK");
    assertThat(Interop.readCertificate(dir.resolve("kcert.pem")).getSubjectX500Principal().getName())
        .isEqualTo("CN=dev1-keygen");
  }

  @Test
  void csrattrsIs204UnlabelledAndTheRfcExampleOnTheTestLabel() throws Exception {
    Cmd.Result none = cmd.ok(curl, "-sS", "--cacert", "root.pem", "-o", "none.bin", "-w", "%{http_code}", base + "/csrattrs");
    assertThat(none.stdout()).isEqualTo("204");
    assertThat(dir.resolve("none.bin")).satisfiesAnyOf(p -> assertThat(p).doesNotExist(), p -> assertThat(p).isEmptyFile());

    curl(base + "/csrattrs/csrattrs", "attrs.b64");
    cmd.ok(openssl, "base64", "-d", "-in", "attrs.b64", "-out", "attrs.der");
    // The RFC 7030 section 4.5.2 example, byte for byte as the RFC prints it.
    byte[] rfcExample = HexFormat.of().parseHex(
        "304106092a864886f70d0109073012" + "06072a8648ce3d0201310706052b81040022"
            + "301606092a864886f70d01090e3109" + "06072b06010101011606082a8648ce3d040303");
    byte[] served = Files.readAllBytes(dir.resolve("attrs.der"));
    assertThat(served).isEqualTo(rfcExample);
    assertThat(cmd.ok(openssl, "asn1parse", "-inform", "DER", "-in", "attrs.der").stdout())
        .contains("challengePassword", "id-ecPublicKey", "secp384r1", "Extension Request", "ecdsa-with-SHA384");
  }

  /**
   * Interop hazard of the auto base64 rule: a request without User-Agent (here curl with the header
   * removed) gets ONE unwrapped line, and {@code openssl base64 -d} silently decodes only part of a
   * long single line (it needs {@code -A}), so the quickstart pipeline breaks for such clients.
   */
  @Test
  void withoutUserAgentTheQuickstartNeedsBase64DashA() throws Exception {
    cmd.ok(curl, "-sS", "--fail-with-body", "--cacert", "root.pem", "-H", "User-Agent:", "-o", "oneline.b64", base + "/cacerts");
    String body = Files.readString(dir.resolve("oneline.b64"), StandardCharsets.US_ASCII).strip();
    assertThat(body).doesNotContain("\n").doesNotContain("\r").hasSizeGreaterThan(76);

    cmd.ok(openssl, "base64", "-d", "-in", "oneline.b64", "-out", "truncated.der");
    cmd.fails(openssl, "pkcs7", "-inform", "DER", "-in", "truncated.der", "-print_certs");

    cmd.ok(openssl, "base64", "-d", "-A", "-in", "oneline.b64", "-out", "full.der");
    cmd.ok(openssl, "pkcs7", "-inform", "DER", "-in", "full.der", "-print_certs", "-out", "oneline.pem");
    assertThat(Interop.readCertificates(dir.resolve("oneline.pem"))).containsExactlyElementsOf(server.caCertificates());

    // With curl's default User-Agent the same request is wrapped at 76 columns.
    curl(base + "/cacerts", "wrapped.b64");
    String wrapped = Files.readString(dir.resolve("wrapped.b64"), StandardCharsets.US_ASCII);
    assertThat(wrapped.split("\r\n")[0]).hasSize(76);
  }

  /** Content-Type of each part (in order) to its body, for a simple RFC 2046 multipart body. */
  private static Map<String, String> multipartParts(String body, String boundary) {
    Map<String, String> parts = new LinkedHashMap<>();
    for (String chunk : body.split("--" + boundary)) {
      int split = chunk.indexOf("\r\n\r\n");
      if (split < 0) {
        continue; // preamble or the closing "--"
      }
      String contentType = null;
      for (String line : chunk.substring(0, split).split("\r\n")) {
        if (line.regionMatches(true, 0, "Content-Type:", 0, 13)) {
          contentType = line.substring(13).trim();
        }
      }
      parts.put(contentType, chunk.substring(split + 4).strip());
    }
    return parts;
  }
}
