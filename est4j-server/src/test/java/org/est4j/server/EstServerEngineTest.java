package org.est4j.server;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.ByteArrayInputStream;
import java.security.KeyPair;
import java.security.cert.CertificateFactory;
import java.security.cert.X509Certificate;
import java.util.List;
import java.util.Map;
import org.est4j.ca.CaException;
import org.est4j.ca.CertificateAuthority;
import org.est4j.ca.CertificateRequest;
import org.est4j.ca.EmbeddedCa;
import org.est4j.ca.TransientCa;
import org.est4j.protocol.CertsOnly;
import org.est4j.protocol.CsrAttrs;
import org.est4j.protocol.EstBase64;
import org.est4j.protocol.MediaType;
import org.est4j.protocol.Multipart;
import org.est4j.protocol.MultipartPart;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

class EstServerEngineTest {
  private static EmbeddedCa ca;
  private static KeyPair key;

  @BeforeAll
  static void setUp() throws Exception {
    ca = TransientCa.create();
    key = TestRequests.p256();
  }

  private static EstServerEngine open() {
    return new EstServerEngine(
        EstServerSettings.builder(LabelSettings.builder(ca).allowUnauthenticatedEnrollment(true).build())
            .testLabels(true)
            .build());
  }

  private static EstServerEngine withUsers() {
    return new EstServerEngine(
        EstServerSettings.builder(LabelSettings.builder(ca).build())
            .users(UserStore.of(Map.of("alice", PasswordHash.create("wonderland".toCharArray(), 10_000))))
            .realm("test realm")
            .build());
  }

  static List<X509Certificate> certsOf(EstResponse r) throws Exception {
    return CertsOnly.decode(EstBase64.decode(r.body()));
  }

  @Test
  void cacertsReturnsTheChainAndSecurityHeaders() throws Exception {
    EstResponse r = open().handle(TestRequests.get("/.well-known/est/cacerts").build());
    assertThat(r.status()).isEqualTo(200);
    assertThat(r.header("Content-Type")).isEqualTo("application/pkcs7-mime; smime-type=certs-only");
    assertThat(r.header("Strict-Transport-Security")).contains("max-age=");
    assertThat(r.header("X-Content-Type-Options")).isEqualTo("nosniff");
    assertThat(certsOf(r)).containsExactlyElementsOf(ca.caCertificates());
  }

  @Test
  void base64IsWrappedForNamedClientsAndOneLineWithoutUserAgent() {
    EstServerEngine engine = open();
    String wrapped = engine.handle(TestRequests.get("/.well-known/est/cacerts").build()).bodyText();
    String oneLine = engine.handle(TestRequests.get("/.well-known/est/cacerts").header("User-Agent", null).build()).bodyText();
    String strongswan =
        engine.handle(TestRequests.get("/.well-known/est/cacerts").header("User-Agent", "strongSwan 5.9").build()).bodyText();
    assertThat(wrapped).contains("\r\n");
    assertThat(wrapped.split("\r\n")[0]).hasSize(76);
    assertThat(oneLine).doesNotContain("\n").isEqualTo(wrapped.replace("\r\n", ""));
    assertThat(strongswan).isEqualTo(oneLine);
  }

  @Test
  void aLabelCanFixTheLineLength() {
    EstServerEngine engine =
        new EstServerEngine(
            EstServerSettings.builder(LabelSettings.builder(ca).build())
                .label("libest", LabelSettings.builder(ca).base64LineLength(64).build())
                .build());
    String body = engine.handle(TestRequests.get("/.well-known/est/libest/cacerts").header("User-Agent", null).build()).bodyText();
    assertThat(body.split("\r\n")[0]).hasSize(64);
  }

  @Test
  void csrattrsIs204WhenEmptyAndTheRfcExampleOnTheTestLabel() throws Exception {
    EstServerEngine engine = open();
    EstResponse empty = engine.handle(TestRequests.get("/.well-known/est/csrattrs").build());
    assertThat(empty.status()).isEqualTo(204);
    assertThat(empty.body()).isEmpty();
    EstResponse example = engine.handle(TestRequests.get("/.well-known/est/csrattrs/csrattrs").build());
    assertThat(example.status()).isEqualTo(200);
    assertThat(example.header("Content-Type")).isEqualTo("application/csrattrs");
    assertThat(EstBase64.decode(example.body())).isEqualTo(CsrAttrs.rfc7030Example().encoded());
  }

  @Test
  void enrollIssuesForTheCsrSubject() throws Exception {
    byte[] csr = TestRequests.csr(key, "CN=device-1", "device-1.example");
    EstResponse r = open().handle(TestRequests.post("/.well-known/est/simpleenroll", TestRequests.base64(csr)).build());
    assertThat(r.status()).as(r.bodyText()).isEqualTo(200);
    X509Certificate cert = certsOf(r).get(0);
    assertThat(cert.getSubjectX500Principal().getName()).isEqualTo("CN=device-1");
    assertThat(cert.getPublicKey()).isEqualTo(key.getPublic());
    cert.verify(ca.caCertificates().get(0).getPublicKey());
  }

  @Test
  void contentTypeIsCheckedBeforeAuthentication() throws Exception {
    byte[] body = TestRequests.base64(TestRequests.csr(key, "CN=x"));
    EstServerEngine engine = withUsers();
    EstResponse wrongType =
        engine.handle(TestRequests.post("/.well-known/est/simpleenroll", body).header("Content-Type", "text/plain").build());
    assertThat(wrongType.status()).isEqualTo(415);
    assertThat(wrongType.bodyText()).isEqualTo("415 Content-Type must be application/pkcs10\n");
    EstResponse noAuth = engine.handle(TestRequests.post("/.well-known/est/simpleenroll", body).build());
    assertThat(noAuth.status()).isEqualTo(401);
    assertThat(noAuth.header("WWW-Authenticate")).startsWith("Basic realm=\"test realm\"");
    assertThat(noAuth.body()).as("a 401 has no body (Bouncy Castle fails on one)").isEmpty();
    EstResponse wrong = engine.handle(TestRequests.post("/.well-known/est/simpleenroll", body).basic("alice", "no").build());
    assertThat(wrong.body()).isEmpty();
    assertThat(wrong.header("WWW-Authenticate")).startsWith("Basic realm=");
  }

  @Test
  void basicCredentialsAreChecked() throws Exception {
    byte[] body = TestRequests.base64(TestRequests.csr(key, "CN=x"));
    EstServerEngine engine = withUsers();
    assertThat(engine.handle(TestRequests.post("/.well-known/est/simpleenroll", body).basic("alice", "wrong").build()).status())
        .isEqualTo(401);
    assertThat(engine.handle(TestRequests.post("/.well-known/est/simpleenroll", body).basic("bob", "wonderland").build()).status())
        .isEqualTo(401);
    assertThat(engine.handle(TestRequests.post("/.well-known/est/simpleenroll", body).basic("alice", "wonderland").build()).status())
        .isEqualTo(200);
    // a remembered success must not let a wrong password through afterwards
    assertThat(engine.handle(TestRequests.post("/.well-known/est/simpleenroll", body).basic("alice", "wonderlanD").build()).status())
        .isEqualTo(401);
  }

  @Test
  void aCertificateFromOurCaAuthenticatesEnrollment() throws Exception {
    EstServerEngine engine = withUsers();
    X509Certificate issued = issue("CN=old-device");
    byte[] body = TestRequests.base64(TestRequests.csr(key, "CN=new-device"));
    EstResponse r =
        engine.handle(TestRequests.post("/.well-known/est/simpleenroll", body).peers(List.of(issued)).build());
    assertThat(r.status()).as(r.bodyText()).isEqualTo(200);
  }

  @Test
  void reenrollNeedsOurCertificateAndTheSameNames() throws Exception {
    EstServerEngine engine = withUsers();
    X509Certificate current = issue("CN=device-2", "b.example", "a.example");
    byte[] same = TestRequests.base64(TestRequests.csr(key, "CN=device-2", "a.example", "b.example"));
    byte[] changed = TestRequests.base64(TestRequests.csr(key, "CN=device-3", "a.example", "b.example"));
    String path = "/.well-known/est/simplereenroll";
    EstResponse none = engine.handle(TestRequests.post(path, same).build());
    assertThat(none.status()).isEqualTo(403);
    assertThat(none.bodyText()).contains("client certificate must be provided");
    EstResponse ok = engine.handle(TestRequests.post(path, same).peers(List.of(current)).build());
    assertThat(ok.status()).as(ok.bodyText()).isEqualTo(200);
    EstResponse renamed = engine.handle(TestRequests.post(path, changed).peers(List.of(current)).build());
    assertThat(renamed.status()).isEqualTo(403);
    assertThat(renamed.bodyText()).contains("Subject and SubjectAltName");
    X509Certificate foreign = new TestRequestsCa().issue("CN=device-2");
    EstResponse stranger = engine.handle(TestRequests.post(path, same).peers(List.of(foreign)).build());
    assertThat(stranger.status()).isEqualTo(403);
    assertThat(stranger.bodyText()).isEqualTo("403 invalid client certificate\n");
  }

  @Test
  void serverKeyGenReturnsAMatchingKeyAndCertificate() throws Exception {
    byte[] body = TestRequests.base64(TestRequests.csr(key, "CN=keygen"));
    EstResponse r = open().handle(TestRequests.post("/.well-known/est/serverkeygen", body).build());
    assertThat(r.status()).as(r.bodyText()).isEqualTo(200);
    assertThat(r.header("Cache-Control")).isEqualTo("no-store");
    List<MultipartPart> parts = Multipart.decode(MediaType.parse(r.header("Content-Type")), r.body());
    assertThat(parts).hasSize(2);
    assertThat(parts.get(0).header("Content-Type")).contains("application/pkcs8");
    java.security.PrivateKey priv =
        java.security.KeyFactory.getInstance("EC")
            .generatePrivate(new java.security.spec.PKCS8EncodedKeySpec(EstBase64.decode(parts.get(0).body())));
    X509Certificate cert = CertsOnly.decode(EstBase64.decode(parts.get(1).body())).get(0);
    java.security.Signature s = java.security.Signature.getInstance("SHA256withECDSA");
    s.initSign(priv);
    s.update(new byte[] {1, 2, 3});
    byte[] sig = s.sign();
    s.initVerify(cert.getPublicKey());
    s.update(new byte[] {1, 2, 3});
    assertThat(s.verify(sig)).isTrue();
  }

  @Test
  void triggerLabelsAnswerAsTheSeedDocuments() throws Exception {
    EstServerEngine engine = open();
    String path = "/.well-known/est/triggererrors/simpleenroll";
    EstResponse forbidden = engine.handle(TestRequests.post(path, TestRequests.base64(TestRequests.csr(key, "CN=Trigger Error Forbidden"))).build());
    assertThat(forbidden.bodyText()).isEqualTo("403 triggered forbidden response\n");
    EstResponse deferred = engine.handle(TestRequests.post(path, TestRequests.base64(TestRequests.csr(key, "CN=Trigger Error Deferred"))).build());
    assertThat(deferred.status()).isEqualTo(202);
    assertThat(deferred.header("Retry-After")).isEqualTo("600");
    EstResponse unknown = engine.handle(TestRequests.post(path, TestRequests.base64(TestRequests.csr(key, "CN=Trigger Error Unknown"))).build());
    assertThat(unknown.status()).isEqualTo(500);
    assertThat(unknown.bodyText()).startsWith("500 internal server error (request id ");
    assertThat(engine.handle(TestRequests.get("/.well-known/est/triggererrors/cacerts").build()).status()).isEqualTo(500);
  }

  @Test
  void aFailingCaIsA500WithTheRequestIdNeverAnEmpty200() throws Exception {
    CertificateAuthority broken =
        new CertificateAuthority() {
          @Override
          public List<X509Certificate> caCertificates() {
            return ca.caCertificates();
          }

          @Override
          public X509Certificate issue(CertificateRequest request) throws CaException {
            throw new NullPointerException("simulated bug");
          }
        };
    EstServerEngine engine =
        new EstServerEngine(EstServerSettings.builder(LabelSettings.builder(broken).allowUnauthenticatedEnrollment(true).build()).build());
    EstResponse r = engine.handle(TestRequests.post("/.well-known/est/simpleenroll", TestRequests.base64(TestRequests.csr(key, "CN=x"))).build());
    assertThat(r.status()).isEqualTo(500);
    assertThat(r.bodyText()).contains(r.header("X-Request-Id"));
  }

  @Test
  void methodsPathsAndLabels() {
    EstServerEngine engine = open();
    EstResponse post = engine.handle(new TestRequests.Builder("POST", "/.well-known/est/cacerts").build());
    assertThat(post.status()).isEqualTo(405);
    assertThat(post.header("Allow")).isEqualTo("GET, HEAD");
    EstResponse get = engine.handle(TestRequests.get("/.well-known/est/simpleenroll").build());
    assertThat(get.status()).isEqualTo(405);
    assertThat(get.header("Allow")).isEqualTo("POST");
    assertThat(engine.handle(new TestRequests.Builder("HEAD", "/.well-known/est/cacerts").build()).status()).isEqualTo(200);
    assertThat(engine.handle(TestRequests.get("/.well-known/est/nosuchoperation").build()).bodyText()).isEqualTo("404 page not found\n");
    assertThat(engine.handle(TestRequests.get("/.well-known/est/a/b/cacerts").build()).status()).isEqualTo(404);
    assertThat(engine.handle(TestRequests.get("/other").build()).status()).isEqualTo(404);
    assertThat(engine.handle(TestRequests.get("/.well-known/est/simpleenroll/cacerts").build()).status()).isEqualTo(400);
    assertThat(engine.handle(TestRequests.get("/.well-known/est/bad{label/cacerts").build()).status()).isEqualTo(400);
    assertThat(engine.handle(TestRequests.get("/.well-known/est/ClearPass:x@y/cacerts").build()).status()).isEqualTo(200);
  }

  @Test
  void onlyConfiguredLabelsRefusesOthers() {
    EstServerEngine engine =
        new EstServerEngine(
            EstServerSettings.builder(LabelSettings.builder(ca).build())
                .label("iot", LabelSettings.builder(ca).build())
                .onlyConfiguredLabels(true)
                .build());
    assertThat(engine.handle(TestRequests.get("/.well-known/est/iot/cacerts").build()).status()).isEqualTo(200);
    assertThat(engine.handle(TestRequests.get("/.well-known/est/other/cacerts").build()).status()).isEqualTo(404);
  }

  @Test
  void oversizedBodiesAre413() {
    EstResponse r = open().handle(TestRequests.post("/.well-known/est/simpleenroll", new byte[65537]).build());
    assertThat(r.status()).isEqualTo(413);
  }

  @Test
  void allowedHostsAndHealthcheck() {
    EstServerEngine engine =
        new EstServerEngine(
            EstServerSettings.builder(LabelSettings.builder(ca).build()).allowedHosts(List.of("est.example", "[::1]")).build(),
            UserStore.of(Map.of("healthcheck", PasswordHash.create("pw".toCharArray(), 10_000))));
    assertThat(engine.handle(TestRequests.get("/healthcheck").header("Host", "est.example:8443").basic("healthcheck", "pw").build()).status())
        .isEqualTo(200);
    assertThat(engine.handle(TestRequests.get("/healthcheck").header("Host", "[::1]:8443").basic("healthcheck", "pw").build()).status())
        .isEqualTo(200);
    assertThat(engine.handle(TestRequests.get("/healthcheck").header("Host", "EST.example").basic("healthcheck", "no").build()).status())
        .isEqualTo(401);
    EstResponse bad = engine.handle(TestRequests.get("/.well-known/est/cacerts").header("Host", "evil.example").build());
    assertThat(bad.bodyText()).isEqualTo("400 host not allowed\n");
  }

  @Test
  void rateLimitAnswers429WithRetryAfter() {
    EstServerEngine engine =
        new EstServerEngine(EstServerSettings.builder(LabelSettings.builder(ca).build()).clientRateLimit(1).build());
    int limited = 0;
    String retryAfter = null;
    for (int i = 0; i < 5; i++) {
      EstResponse r = engine.handle(TestRequests.get("/.well-known/est/cacerts").build());
      if (r.status() == 429) {
        limited++;
        retryAfter = r.header("Retry-After");
      }
    }
    assertThat(limited).isGreaterThanOrEqualTo(2); // burst of 2, then refused
    assertThat(retryAfter).isEqualTo("1");
  }

  @Test
  void accessLogDurationsHaveTwoDecimals() {
    assertThat(RequestLog.millis(0)).isEqualTo("0.00");
    assertThat(RequestLog.millis(4)).isEqualTo("0.00");
    assertThat(RequestLog.millis(5)).isEqualTo("0.01");
    assertThat(RequestLog.millis(90)).isEqualTo("0.09");
    assertThat(RequestLog.millis(1234)).isEqualTo("1.23");
    assertThat(RequestLog.millis(1995)).isEqualTo("2.00");
    assertThat(RequestLog.millis(123_456_789)).isEqualTo("123456.79");
  }

  private static X509Certificate issue(String subject, String... dns) throws Exception {
    byte[] csr = TestRequests.csr(key, subject, dns);
    org.est4j.protocol.Csr parsed = org.est4j.protocol.Csr.decode(csr);
    return ca.issue(new CertificateRequest(parsed.subject(), parsed.subjectAltNames(), parsed.publicKeyInfo()));
  }

  /** A second, unrelated CA. */
  private static final class TestRequestsCa {
    private final EmbeddedCa other = TransientCa.create();

    X509Certificate issue(String subject) throws Exception {
      org.est4j.protocol.Csr parsed = org.est4j.protocol.Csr.decode(TestRequests.csr(key, subject, "a.example", "b.example"));
      X509Certificate c = other.issue(new CertificateRequest(parsed.subject(), parsed.subjectAltNames(), parsed.publicKeyInfo()));
      return (X509Certificate) CertificateFactory.getInstance("X.509").generateCertificate(new ByteArrayInputStream(c.getEncoded()));
    }
  }
}
