package org.est4j.it.config;

import static org.assertj.core.api.Assertions.assertThat;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.KeyPair;
import java.security.KeyPairGenerator;
import java.security.cert.X509Certificate;
import java.security.spec.ECGenParameterSpec;
import java.time.Duration;
import java.util.Base64;
import java.util.Optional;
import java.util.concurrent.TimeUnit;
import org.bouncycastle.asn1.x500.X500Name;
import org.bouncycastle.operator.jcajce.JcaContentSignerBuilder;
import org.bouncycastle.pkcs.jcajce.JcaPKCS10CertificationRequestBuilder;
import org.est4j.cli.EmbeddedEstServer;
import org.est4j.it.EstServerJar;
import org.est4j.it.SuiteStore;
import org.est4j.protocol.CertsOnly;
import org.est4j.protocol.EstBase64;
import org.est4j.server.store.CertificateRecord;
import org.est4j.store.jdbc.JdbcCertificateStore;
import org.est4j.testing.TestPki;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The suite-h2 / suite-postgres executions really run on their database: the zero-config server
 * and a configured one both record there (and find each other's rows), and an estserver process
 * started through {@link EstServerJar} says so in its log. Skipped outside those executions.
 */
class SuiteStoreTest {
  @TempDir Path dir;

  private static String kind() {
    Optional<String> kind = SuiteStore.kind();
    Assumptions.assumeTrue(kind.isPresent(), "runs in the suite-h2 and suite-postgres executions only");
    return kind.get();
  }

  private static String urlPrefix(String kind) {
    return kind.equals("h2") ? "jdbc:h2:file:" : "jdbc:postgresql://";
  }

  @Test
  void inJvmServersRecordInTheSuiteDatabase() throws Exception {
    String kind = kind();
    Path cfg = Files.writeString(dir.resolve("estserver.yaml"), "tls: {listen_address: '127.0.0.1:0'}\n"
        + "allow_unauthenticated_enrollment: true\nstore: memory\n");
    try (EmbeddedEstServer zero = EmbeddedEstServer.start(Optional.empty(), "127.0.0.1:0");
        EmbeddedEstServer configured = EmbeddedEstServer.start(Optional.of(cfg), null)) {
      for (EmbeddedEstServer s : new EmbeddedEstServer[] {zero, configured}) {
        assertThat(s.certificateStore()).isInstanceOf(JdbcCertificateStore.class);
        assertThat(s.certificateStore().describe()).startsWith(urlPrefix(kind)).doesNotContain(passwordOf());
      }
      X509Certificate cert = enroll(zero, "CN=suite-store-" + kind);
      String serial = cert.getSerialNumber().toString(16);
      CertificateRecord row = configured.certificateStore().findBySerial(serial).stream()
          .filter(r -> parse(r.pem()).equals(cert)).findFirst()
          .orElseThrow(() -> new AssertionError("the other server does not see serial " + serial));
      assertThat(row.subject()).isEqualTo("CN=suite-store-" + kind);
    }
    assertThat(dir.resolve("est4j-data")).as("the configured store (memory) was replaced, nothing else opened")
        .doesNotExist();
  }

  @Test
  void anEstserverProcessGetsTheOverride() throws Exception {
    String kind = kind();
    Path err = dir.resolve("stderr.log");
    Process p = new ProcessBuilder(EstServerJar.command("-listen", "127.0.0.1:0")).directory(dir.toFile())
        .redirectOutput(dir.resolve("stdout.log").toFile()).redirectError(err.toFile()).start();
    try {
      EstServerJar.awaitPort(p, err, Duration.ofSeconds(60));
      assertThat(EstServerJar.lines(err)).anySatisfy(l -> assertThat(l).contains("certificate store: " + urlPrefix(kind))
          .contains("(from est4j.store, replacing the configured store)").doesNotContain("password=" + passwordOf()));
    } finally {
      p.destroy();
      p.waitFor(15, TimeUnit.SECONDS);
      p.destroyForcibly();
    }
  }

  private static X509Certificate parse(String pem) {
    try {
      return (X509Certificate) java.security.cert.CertificateFactory.getInstance("X.509")
          .generateCertificate(new java.io.ByteArrayInputStream(pem.getBytes(java.nio.charset.StandardCharsets.US_ASCII)));
    } catch (java.security.cert.CertificateException e) {
      throw new IllegalStateException(e);
    }
  }

  /** The password in the suite's URL (PostgreSQL), to show the log does not print it. */
  private static String passwordOf() {
    String url = System.getProperty(SuiteStore.STORE_PROPERTY, "");
    int i = url.indexOf("password=");
    return i < 0 ? "\u0000none" : url.substring(i + "password=".length());
  }

  private static X509Certificate enroll(EmbeddedEstServer server, String subject) throws Exception {
    KeyPairGenerator g = KeyPairGenerator.getInstance("EC");
    g.initialize(new ECGenParameterSpec("secp256r1"));
    KeyPair key = g.generateKeyPair();
    byte[] der = new JcaPKCS10CertificationRequestBuilder(new X500Name(subject), key.getPublic())
        .build(new JcaContentSignerBuilder("SHA256withECDSA").build(key.getPrivate())).getEncoded();
    HttpClient client = HttpClient.newBuilder().sslContext(TestPki.clientSslContextTrusting(server.root()))
        .version(HttpClient.Version.HTTP_1_1).build();
    HttpResponse<byte[]> r = client.send(HttpRequest.newBuilder(
            URI.create("https://localhost:" + server.port() + "/.well-known/est/simpleenroll"))
        .header("Content-Type", "application/pkcs10").POST(HttpRequest.BodyPublishers.ofByteArray(
            Base64.getEncoder().encode(der))).build(), HttpResponse.BodyHandlers.ofByteArray());
    assertThat(r.statusCode()).as(new String(r.body())).isEqualTo(200);
    return CertsOnly.decode(EstBase64.decode(r.body())).get(0);
  }
}
