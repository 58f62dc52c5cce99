package org.est4j.it.config;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.BufferedReader;
import java.io.InputStreamReader;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.KeyPair;
import java.security.KeyPairGenerator;
import java.security.cert.X509Certificate;
import java.security.spec.ECGenParameterSpec;
import java.time.Duration;
import java.util.Base64;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import javax.net.ssl.SSLContext;
import org.bouncycastle.asn1.x500.X500Name;
import org.bouncycastle.operator.jcajce.JcaContentSignerBuilder;
import org.bouncycastle.pkcs.jcajce.JcaPKCS10CertificationRequestBuilder;
import org.est4j.cli.EmbeddedEstServer;
import org.est4j.it.EstServerJar;
import org.est4j.protocol.CertsOnly;
import org.est4j.protocol.EstBase64;
import org.est4j.protocol.pem.PemReader;
import org.est4j.testing.TestPki;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * estserver with an existing CA from PEM files (made by openssl at test time): the intermediate's
 * key is encrypted PKCS#8, its passphrase comes from a file or an environment variable.
 */
class CaFromFilesTest {
  @TempDir static Path dir;
  static Path rootPem;

  @BeforeAll
  static void makePki() throws Exception {
    sh("openssl", "req", "-x509", "-newkey", "ec", "-pkeyopt", "ec_paramgen_curve:P-384", "-nodes",
        "-keyout", "root-key.pem", "-out", "root.pem", "-days", "30", "-subj", "/CN=File Root CA",
        "-addext", "basicConstraints=critical,CA:TRUE", "-addext", "keyUsage=critical,keyCertSign,cRLSign");
    sh("openssl", "genpkey", "-algorithm", "RSA", "-pkeyopt", "rsa_keygen_bits:3072", "-out", "inter-plain.pem");
    sh("openssl", "pkcs8", "-topk8", "-v2", "aes-256-cbc", "-in", "inter-plain.pem", "-out", "inter-key.pem",
        "-passout", "pass:correct horse");
    sh("openssl", "req", "-new", "-key", "inter-plain.pem", "-subj", "/CN=File Issuing CA", "-out", "inter.csr");
    Files.writeString(dir.resolve("ext.cnf"),
        "basicConstraints=critical,CA:TRUE,pathlen:0\nkeyUsage=critical,keyCertSign,cRLSign\n"
            + "subjectKeyIdentifier=hash\nauthorityKeyIdentifier=keyid\n");
    sh("openssl", "x509", "-req", "-in", "inter.csr", "-CA", "root.pem", "-CAkey", "root-key.pem",
        "-CAcreateserial", "-days", "20", "-extfile", "ext.cnf", "-out", "inter.pem");
    Files.writeString(dir.resolve("chain.pem"),
        Files.readString(dir.resolve("inter.pem")) + Files.readString(dir.resolve("root.pem")));
    Files.delete(dir.resolve("inter-plain.pem"));
    Files.writeString(dir.resolve("ca.pass"), "correct horse\n");
    rootPem = dir.resolve("root.pem");
  }

  @Test
  void enrollsWithAnEncryptedCaKeyWhosePassphraseIsInAFile() throws Exception {
    Path cfg = Files.writeString(dir.resolve("server.yaml"),
        "mock_ca:\n  certificates: chain.pem\n  private_key: inter-key.pem\n  private_key_passphrase_file: ca.pass\n"
            + "allow_unauthenticated_enrollment: true\n");
    try (EmbeddedEstServer server = EmbeddedEstServer.start(Optional.of(cfg), "127.0.0.1:0")) {
      HttpClient client = client();
      String base = "https://localhost:" + server.port() + "/.well-known/est/";
      List<X509Certificate> cas = CertsOnly.decode(EstBase64.decode(
          client.send(HttpRequest.newBuilder(URI.create(base + "cacerts")).build(), HttpResponse.BodyHandlers.ofByteArray()).body()));
      assertThat(cas).extracting(c -> c.getSubjectX500Principal().getName())
          .containsExactly("CN=File Issuing CA", "CN=File Root CA");

      HttpResponse<byte[]> enrolled = client.send(
          HttpRequest.newBuilder(URI.create(base + "simpleenroll"))
              .header("Content-Type", "application/pkcs10")
              .POST(HttpRequest.BodyPublishers.ofByteArray(csr("CN=file-ca-device")))
              .build(),
          HttpResponse.BodyHandlers.ofByteArray());
      assertThat(enrolled.statusCode()).as(new String(enrolled.body(), StandardCharsets.UTF_8)).isEqualTo(200);
      X509Certificate leaf = CertsOnly.decode(EstBase64.decode(enrolled.body())).get(0);
      Path leafPem = dir.resolve("leaf.pem");
      Files.writeString(leafPem, "-----BEGIN CERTIFICATE-----\n"
          + Base64.getMimeEncoder().encodeToString(leaf.getEncoded()) + "\n-----END CERTIFICATE-----\n");
      // an independent verifier: openssl, with the RSA intermediate and P-384 root from the files
      assertThat(sh("openssl", "verify", "-CAfile", "root.pem", "-untrusted", "inter.pem", "leaf.pem")).contains("leaf.pem: OK");
    }
  }

  @Test
  void aWrongPassphraseIsAConfigurationErrorNamingTheKey() throws Exception {
    Files.writeString(dir.resolve("wrong.pass"), "battery staple\n");
    Path cfg = Files.writeString(dir.resolve("wrong.yaml"),
        "mock_ca:\n  certificates: chain.pem\n  private_key: inter-key.pem\n  private_key_passphrase_file: wrong.pass\n");
    org.assertj.core.api.Assertions.assertThatThrownBy(() -> EmbeddedEstServer.start(Optional.of(cfg), "127.0.0.1:0"))
        .hasMessageStartingWith("mock_ca:")
        .hasMessageContaining("passphrase");
  }

  @Test
  void thePassphraseCanComeFromTheEnvironmentOfAnEstserverProcess() throws Exception {
    Path cfg = Files.writeString(dir.resolve("env.yaml"),
        "mock_ca:\n  certificates: chain.pem\n  private_key: inter-key.pem\n  private_key_passphrase_env: EST4J_TEST_CA_PASS\n");
    ProcessBuilder pb = new ProcessBuilder(EstServerJar.command("-config", cfg.toString(), "-listen", "127.0.0.1:0"));
    pb.environment().put("EST4J_TEST_CA_PASS", "correct horse");
    pb.environment().put("EST4J_ACCESS_LOG_LEVEL", "OFF");
    pb.redirectErrorStream(true);
    Process p = pb.start();
    try {
      BufferedReader out = new BufferedReader(new InputStreamReader(p.getInputStream(), StandardCharsets.UTF_8));
      Pattern listening = Pattern.compile("listening on https://127\\.0\\.0\\.1:(\\d+)");
      StringBuilder seen = new StringBuilder();
      int port = -1;
      long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(30);
      String line;
      while (port < 0 && System.nanoTime() < deadline && (line = out.readLine()) != null) {
        seen.append(line).append('\n');
        Matcher m = listening.matcher(line);
        if (m.find()) {
          port = Integer.parseInt(m.group(1));
        }
      }
      assertThat(port).as(seen.toString()).isPositive();
      assertThat(seen.toString()).contains("CA: CN=File Issuing CA").doesNotContain("TEST SERVER");
      HttpResponse<byte[]> r = client().send(
          HttpRequest.newBuilder(URI.create("https://localhost:" + port + "/.well-known/est/cacerts")).build(),
          HttpResponse.BodyHandlers.ofByteArray());
      assertThat(r.statusCode()).isEqualTo(200);
      // a configured server requires credentials: an anonymous enrollment is refused
      HttpResponse<String> anon = client().send(
          HttpRequest.newBuilder(URI.create("https://localhost:" + port + "/.well-known/est/simpleenroll"))
              .header("Content-Type", "application/pkcs10")
              .POST(HttpRequest.BodyPublishers.ofByteArray(csr("CN=nobody"))).build(),
          HttpResponse.BodyHandlers.ofString());
      assertThat(anon.statusCode()).isEqualTo(401);
      assertThat(anon.headers().firstValue("WWW-Authenticate")).get().asString().startsWith("Basic realm=");
    } finally {
      p.destroy();
      assertThat(p.waitFor(20, TimeUnit.SECONDS)).isTrue();
    }
  }

  private static HttpClient client() throws Exception {
    SSLContext ctx = TestPki.clientSslContextTrusting(PemReader.readCertificates(rootPem).get(0));
    return HttpClient.newBuilder().sslContext(ctx).version(HttpClient.Version.HTTP_1_1).connectTimeout(Duration.ofSeconds(10)).build();
  }

  private static byte[] csr(String subject) throws Exception {
    KeyPairGenerator g = KeyPairGenerator.getInstance("EC");
    g.initialize(new ECGenParameterSpec("secp256r1"));
    KeyPair kp = g.generateKeyPair();
    byte[] der = new JcaPKCS10CertificationRequestBuilder(new X500Name(subject), kp.getPublic())
        .build(new JcaContentSignerBuilder("SHA256withECDSA").build(kp.getPrivate())).getEncoded();
    return Base64.getMimeEncoder().encode(der);
  }

  private static String sh(String... cmd) throws Exception {
    Process p = new ProcessBuilder(cmd).directory(dir.toFile()).redirectErrorStream(true).start();
    String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
    assertThat(p.waitFor(60, TimeUnit.SECONDS)).isTrue();
    assertThat(p.exitValue()).as(String.join(" ", cmd) + "\n" + out).isZero();
    return out;
  }
}
