package org.est4j.it.profiles;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import java.security.KeyPair;
import java.security.cert.X509Certificate;
import java.util.Optional;
import org.est4j.cli.EmbeddedEstServer;
import org.est4j.client.CsrBuilder;
import org.est4j.client.EstClient;
import org.est4j.client.EstServerException;
import org.est4j.client.ServerKeyGenResult;
import org.est4j.protocol.pem.PemWriter;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * RA mode: est4j with an upstream CA in front of another est4j (both in this JVM). The upstream
 * server accepts only its own users and certificates: it issues to the RA because the RA uses its
 * own credentials (Basic on one RA label, a TLS client certificate on another), after the RA has
 * authenticated the device and checked the label's profile.
 */
class UpstreamRaTest {
  @TempDir static Path dir;
  static EmbeddedEstServer upstream;
  static EmbeddedEstServer ra;
  static X509Certificate corpRoot;
  static X509Certificate raRoot;

  @BeforeAll
  static void start() throws Exception {
    Path up = Files.createDirectories(dir.resolve("upstream"));
    Pki.embeddedCa(up, "corp", "ec:P-256");
    corpRoot = Pki.root(up, "corp");
    Path upCfg = Files.writeString(up.resolve("estserver.yaml"), String.join("\n",
        "data_dir: data",
        "cas: {corp: {kind: embedded, passphrase_file: ca.pass}}",
        "users: [{username: est4j-ra, password: ra-secret}]",
        "labels:",
        "  certonly: {auth: {enroll: [client_cert]}}",
        ""));
    upstream = EmbeddedEstServer.start(Optional.of(upCfg), "127.0.0.1:0");

    // the RA's own certificate at the upstream server, enrolled with its Basic credentials
    KeyPair raKey = Pki.key("ec:P-256");
    X509Certificate raCert = Pki.issued(Pki.basic(upstream.port(), null, corpRoot, "est4j-ra", "ra-secret")
        .enroll(CsrBuilder.create().commonName("est4j RA").sign(raKey)));
    Path ra = Files.createDirectories(dir.resolve("ra"));
    Files.writeString(ra.resolve("ra-cert.pem"), PemWriter.toPem(raCert));
    Files.writeString(ra.resolve("ra-key.pem"), PemWriter.privateKeyToPem(raKey.getPrivate()));
    Pki.pem(ra, "corp-root.pem", corpRoot);
    Files.writeString(ra.resolve("ra.pass"), "ra-secret\n");
    Files.writeString(ra.resolve("wrong.pass"), "not-the-secret\n");
    Pki.embeddedCa(ra, "local", "ec:P-256");
    raRoot = Pki.root(ra, "local");
    String url = "https://localhost:" + upstream.port();
    Path raCfg = Files.writeString(ra.resolve("estserver.yaml"), String.join("\n",
        "data_dir: data",
        "cas:",
        "  local: {kind: embedded, passphrase_file: ca.pass}",
        "  corp-basic: {kind: upstream, url: '" + url + "', trust_anchors: corp-root.pem, username: est4j-ra,",
        "               password_file: ra.pass}",
        "  corp-cert: {kind: upstream, url: '" + url + "', label: certonly, trust_anchors: corp-root.pem,",
        "              client_certificate: {certificates: ra-cert.pem, private_key: ra-key.pem}}",
        "  corp-wrong: {kind: upstream, url: '" + url + "', trust_anchors: corp-root.pem, username: est4j-ra,",
        "               password_file: wrong.pass}",
        "  corp-basic-on-certonly: {kind: upstream, url: '" + url + "', label: certonly,",
        "               trust_anchors: corp-root.pem, username: est4j-ra, password_file: ra.pass}",
        "ca: local",
        "users: [{username: device, password: device-secret}]",
        "profiles: {devices: {subject: {forbidden: [OU]}}}",
        "labels:",
        "  basic: {ca: corp-basic, profile: devices}",
        "  cert: {ca: corp-cert}",
        "  wrong: {ca: corp-wrong}",
        "  mismatch: {ca: corp-basic-on-certonly}",
        ""));
    UpstreamRaTest.ra = EmbeddedEstServer.start(Optional.of(raCfg), "127.0.0.1:0");
  }

  @AfterAll
  static void stop() throws Exception {
    if (ra != null) {
      ra.close();
    }
    if (upstream != null) {
      upstream.close();
    }
  }

  private static EstClient device(String label) {
    return Pki.basic(ra.port(), label, raRoot, "device", "device-secret");
  }

  @Test
  void enrollmentIsForwardedWithTheRasBasicCredentials() throws Exception {
    assertThat(device("basic").caCerts()).containsExactlyElementsOf(upstream.caCertificates("corp"));
    KeyPair key = Pki.key("ec:P-256");
    X509Certificate cert = Pki.issued(device("basic").enroll(CsrBuilder.create().commonName("sensor-7").sign(key)));
    assertThat(cert.getIssuerX500Principal()).isEqualTo(upstream.caCertificates("corp").get(0).getSubjectX500Principal());
    assertThat(cert.getPublicKey()).isEqualTo(key.getPublic());
    cert.verify(upstream.caCertificates("corp").get(0).getPublicKey());

    // re-enrollment: the RA checks the device's certificate against the upstream CA, then forwards
    EstClient renewing = Pki.withCertificate(ra.port(), "basic", raRoot, key, cert);
    KeyPair fresh = Pki.key("ec:P-256");
    X509Certificate renewed = Pki.issued(renewing.reenroll(CsrBuilder.create().commonName("sensor-7").sign(fresh)));
    assertThat(renewed.getPublicKey()).isEqualTo(fresh.getPublic());
    assertThat(renewed.getIssuerX500Principal()).isEqualTo(cert.getIssuerX500Principal());

    // server-generated keys: the RA signs a CSR with the new key for the upstream server
    ServerKeyGenResult generated = device("basic").serverKeyGen(CsrBuilder.create().commonName("gen").sign(Pki.key("ec:P-384")));
    assertThat(generated.certificate().getPublicKey().getAlgorithm()).isEqualTo("EC");
    generated.certificate().verify(upstream.caCertificates("corp").get(0).getPublicKey());
  }

  @Test
  void enrollmentIsForwardedWithTheRasClientCertificate() throws Exception {
    X509Certificate cert = Pki.issued(device("cert").enroll(CsrBuilder.create().commonName("sensor-8").sign(Pki.key("ec:P-256"))));
    cert.verify(upstream.caCertificates("corp").get(0).getPublicKey());
    // the same upstream label refuses Basic: so the certificate is what the RA used above
    EstServerException e = Pki.refusal(() -> device("mismatch").enroll(CsrBuilder.create().commonName("x").sign(Pki.key("ec:P-256"))));
    assertThat(e.status()).isEqualTo(403);
    assertThat(e.serverMessage()).contains("upstream CA refused the request").contains("HTTP Basic may not be used for simpleenroll");
  }

  @Test
  void wrongRaCredentialsAreTheRasFaultNotTheDevices() {
    EstServerException e = Pki.refusal(() -> device("wrong").enroll(CsrBuilder.create().commonName("x").sign(Pki.key("ec:P-256"))));
    assertThat(e.status()).isEqualTo(500);
    assertThat(e.serverMessage()).contains("request id");
  }

  /** /readyz of an RA names each upstream CA and turns 503 when one stops answering. */
  @Test
  void readinessFollowsTheUpstreamServer() throws Exception {
    Path up = Files.createDirectories(dir.resolve("upstream2"));
    Pki.embeddedCa(up, "corp2", "ec:P-256");
    Path upCfg = Files.writeString(up.resolve("estserver.yaml"),
        "data_dir: data\ncas: {corp2: {kind: embedded, passphrase_file: ca.pass}}\nstore: memory\n");
    EmbeddedEstServer upstream2 = EmbeddedEstServer.start(Optional.of(upCfg), "127.0.0.1:0");
    Path ra2 = Files.createDirectories(dir.resolve("ra2"));
    Pki.pem(ra2, "corp2-root.pem", Pki.root(up, "corp2"));
    Pki.embeddedCa(ra2, "local", "ec:P-256");
    Path raCfg = Files.writeString(ra2.resolve("estserver.yaml"), "data_dir: data\nstore: memory\ncas:\n"
        + "  local: {kind: embedded, passphrase_file: ca.pass}\n"
        + "  corp2: {kind: upstream, url: 'https://localhost:" + upstream2.port() + "', trust_anchors: corp2-root.pem}\n"
        + "ca: local\nlabels: {up: {ca: corp2}}\n");
    try (EmbeddedEstServer ra2Server = EmbeddedEstServer.start(Optional.of(raCfg), "127.0.0.1:0")) {
      java.net.http.HttpClient http = java.net.http.HttpClient.newBuilder().sslContext(sslContext(Pki.root(ra2, "local")))
          .build();
      java.net.URI readyz = java.net.URI.create("https://localhost:" + ra2Server.port() + "/readyz");
      java.net.http.HttpResponse<String> ready = http.send(java.net.http.HttpRequest.newBuilder(readyz).build(),
          java.net.http.HttpResponse.BodyHandlers.ofString());
      assertThat(ready.statusCode()).as(ready.body()).isEqualTo(200);
      upstream2.close();
      java.net.http.HttpResponse<String> notReady = http.send(java.net.http.HttpRequest.newBuilder(readyz).build(),
          java.net.http.HttpResponse.BodyHandlers.ofString());
      assertThat(notReady.statusCode()).isEqualTo(503);
      assertThat(notReady.body()).contains("ca corp2:").contains("upstream CA 'corp2'").contains("unreachable");
    } finally {
      upstream2.close();
    }
  }

  private static javax.net.ssl.SSLContext sslContext(X509Certificate anchor) throws Exception {
    java.security.KeyStore ks = java.security.KeyStore.getInstance("PKCS12");
    ks.load(null, null);
    ks.setCertificateEntry("anchor", anchor);
    javax.net.ssl.TrustManagerFactory tmf =
        javax.net.ssl.TrustManagerFactory.getInstance(javax.net.ssl.TrustManagerFactory.getDefaultAlgorithm());
    tmf.init(ks);
    javax.net.ssl.SSLContext ctx = javax.net.ssl.SSLContext.getInstance("TLS");
    ctx.init(null, tmf.getTrustManagers(), null);
    return ctx;
  }

  @Test
  void theRaChecksItsOwnAuthenticationAndProfileBeforeForwarding() {
    EstServerException anonymous = Pki.refusal(() -> Pki.client(ra.port(), "basic", raRoot).build()
        .enroll(CsrBuilder.create().commonName("x").sign(Pki.key("ec:P-256"))));
    assertThat(anonymous.status()).isEqualTo(401);
    EstServerException profile = Pki.refusal(() -> device("basic")
        .enroll(CsrBuilder.create().commonName("x").organizationalUnit("Sales").sign(Pki.key("ec:P-256"))));
    assertThat(profile.status()).isEqualTo(403);
    assertThat(profile.serverMessage()).contains("profile 'devices' rule subject.forbidden");
  }
}
