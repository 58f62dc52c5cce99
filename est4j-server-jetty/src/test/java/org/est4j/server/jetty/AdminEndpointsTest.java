package org.est4j.server.jetty;

import static org.assertj.core.api.Assertions.assertThat;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.security.KeyPair;
import java.security.KeyPairGenerator;
import java.security.KeyStore;
import java.security.cert.X509Certificate;
import java.security.spec.ECGenParameterSpec;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.atomic.AtomicReference;
import javax.net.ssl.SSLContext;
import javax.net.ssl.TrustManagerFactory;
import org.bouncycastle.asn1.x500.X500Name;
import org.bouncycastle.asn1.x509.GeneralName;
import org.bouncycastle.asn1.x509.GeneralNames;
import org.bouncycastle.asn1.x509.SubjectPublicKeyInfo;
import org.est4j.ca.CertificateRequest;
import org.est4j.ca.EmbeddedCa;
import org.est4j.ca.TransientCa;
import org.est4j.server.EstServerEngine;
import org.est4j.server.EstServerSettings;
import org.est4j.server.LabelSettings;
import org.est4j.server.ReadinessCheck;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/** /healthz, /readyz and /metrics: beside the EST paths, and alone on an admin port. */
class AdminEndpointsTest {
  private static EmbeddedCa ca;
  private static TlsCredentials tls;
  private static HttpClient client;
  private static EstHttpsServer shared;
  private static EstHttpsServer separate;
  private static final AtomicReference<String> storeProblem = new AtomicReference<>();

  @BeforeAll
  static void start() throws Exception {
    ca = TransientCa.create();
    KeyPairGenerator g = KeyPairGenerator.getInstance("EC");
    g.initialize(new ECGenParameterSpec("secp256r1"));
    KeyPair kp = g.generateKeyPair();
    X509Certificate leaf = ca.issue(new CertificateRequest(new X500Name("CN=localhost"),
        Optional.of(new GeneralNames(new GeneralName(GeneralName.dNSName, "localhost"))),
        SubjectPublicKeyInfo.getInstance(kp.getPublic().getEncoded())));
    List<X509Certificate> chain = new ArrayList<>(List.of(leaf));
    chain.addAll(ca.caCertificates());
    tls = new TlsCredentials(chain, kp.getPrivate());
    shared = EstHttpsServer.builder(engine(), tls).host("127.0.0.1").port(0)
        .readinessCheck(ReadinessCheck.of("ca", ca::checkReady)).build().start();
    separate = EstHttpsServer.builder(engine(), tls).host("127.0.0.1").port(0).adminPort("127.0.0.1", 0)
        .readinessCheck(ReadinessCheck.of("ca", ca::checkReady))
        .readinessCheck(ReadinessCheck.of("store", () -> {
          String problem = storeProblem.get();
          if (problem != null) {
            throw new IllegalStateException(problem);
          }
        }))
        .build().start();
    KeyStore trust = KeyStore.getInstance("PKCS12");
    trust.load(null, null);
    trust.setCertificateEntry("root", ca.caCertificates().get(ca.caCertificates().size() - 1));
    TrustManagerFactory tmf = TrustManagerFactory.getInstance(TrustManagerFactory.getDefaultAlgorithm());
    tmf.init(trust);
    SSLContext ssl = SSLContext.getInstance("TLS");
    ssl.init(null, tmf.getTrustManagers(), null);
    client = HttpClient.newBuilder().sslContext(ssl).build();
  }

  private static EstServerEngine engine() {
    return new EstServerEngine(
        EstServerSettings.builder(LabelSettings.builder(ca).allowUnauthenticatedEnrollment(true).build()).build());
  }

  @AfterAll
  static void stop() throws Exception {
    shared.close();
    separate.close();
  }

  private static HttpResponse<String> get(String url) throws Exception {
    return client.send(HttpRequest.newBuilder(URI.create(url)).build(), HttpResponse.BodyHandlers.ofString());
  }

  private static HttpResponse<String> enroll(int port) throws Exception {
    byte[] csr = TestCsr.p256("CN=metrics test");
    return client.send(HttpRequest.newBuilder(URI.create("https://localhost:" + port + "/.well-known/est/simpleenroll"))
        .header("Content-Type", "application/pkcs10")
        .POST(HttpRequest.BodyPublishers.ofString(Base64.getEncoder().encodeToString(csr))).build(),
        HttpResponse.BodyHandlers.ofString());
  }

  @Test
  void withoutAnAdminPortTheEndpointsAreServedOverHttpsBesideEst() throws Exception {
    String base = "https://localhost:" + shared.port();
    HttpResponse<String> health = get(base + "/healthz");
    assertThat(health.statusCode()).isEqualTo(200);
    assertThat(health.body()).isEqualTo("ok\n");
    assertThat(health.headers().firstValue("Cache-Control")).hasValue("no-store");
    HttpResponse<String> ready = get(base + "/readyz");
    assertThat(ready.statusCode()).isEqualTo(200);
    assertThat(ready.body()).isEqualTo("ready\nca: ok\n");
    assertThat(get(base + "/.well-known/est/cacerts").statusCode()).isEqualTo(200);
    assertThat(shared.adminPort()).isEqualTo(-1);
  }

  @Test
  void metricsCountRequestsByOperationAndStatusAndCertificatesIssued() throws Exception {
    String base = "https://localhost:" + shared.port();
    assertThat(enroll(shared.port()).statusCode()).isEqualTo(200);
    assertThat(enroll(shared.port()).statusCode()).isEqualTo(200);
    assertThat(get(base + "/.well-known/est/nosuchop").statusCode()).isEqualTo(404);
    HttpResponse<String> metrics = get(base + "/metrics");
    assertThat(metrics.statusCode()).isEqualTo(200);
    assertThat(metrics.headers().firstValue("Content-Type")).hasValue(EstMetrics.CONTENT_TYPE);
    assertThat(metrics.body())
        .contains("est_requests_total{operation=\"simpleenroll\",status=\"200\"} 2")
        .contains("est_certificates_issued_total{operation=\"simpleenroll\"} 2")
        .containsPattern("est_request_duration_seconds_bucket\\{operation=\"simpleenroll\",le=\"0\\.25\"} 2")
        .contains("est_request_duration_seconds_count{operation=\"simpleenroll\"} 2")
        .containsPattern("est_requests_total\\{operation=\"[^\"]*\",status=\"404\"} 1")
        .contains("est_requests_pending 0.0")
        .contains("est_store_duration_seconds_count{operation=\"certificates.record\",result=\"ok\"}")
        .contains("jvm_memory_used_bytes");
  }

  /** An approved request delivered on every retry is one certificate issued, however often it is fetched. */
  @Test
  void aRedeliveredApprovedCertificateIsCountedOnce() throws Exception {
    org.est4j.server.store.InMemoryCertificateStore store = new org.est4j.server.store.InMemoryCertificateStore();
    org.est4j.server.store.InMemoryPendingRequestStore pending = new org.est4j.server.store.InMemoryPendingRequestStore(store);
    EstServerEngine engine = new EstServerEngine(EstServerSettings.builder(
        LabelSettings.builder(ca).allowUnauthenticatedEnrollment(true).manualApproval(true).build())
        .certificateStore(store).pendingRequests(pending).build());
    try (EstHttpsServer server = EstHttpsServer.builder(engine, tls).host("127.0.0.1").port(0).build().start()) {
      String csr = Base64.getEncoder().encodeToString(TestCsr.p256("CN=held"));
      HttpRequest post = HttpRequest.newBuilder(
              URI.create("https://localhost:" + server.port() + "/.well-known/est/simpleenroll"))
          .header("Content-Type", "application/pkcs10").POST(HttpRequest.BodyPublishers.ofString(csr)).build();
      assertThat(client.send(post, HttpResponse.BodyHandlers.ofString()).statusCode()).isEqualTo(202);
      long id = pending.list(Optional.empty(), 1).get(0).id();
      pending.decide(id, org.est4j.server.store.PendingStatus.APPROVED, "op", "ok", java.time.Instant.now());
      for (int i = 0; i < 3; i++) {
        assertThat(client.send(post, HttpResponse.BodyHandlers.ofString()).statusCode()).isEqualTo(200);
      }
      assertThat(get("https://localhost:" + server.port() + "/metrics").body())
          .contains("est_requests_total{operation=\"simpleenroll\",status=\"200\"} 3")
          .contains("est_certificates_issued_total{operation=\"simpleenroll\"} 1");
    }
  }

  @Test
  void anAdminPortServesOnlyTheEndpointsOverPlainHttpAndTheHttpsPortNoLongerDoes() throws Exception {
    String admin = "http://127.0.0.1:" + separate.adminPort();
    assertThat(separate.adminPort()).isPositive().isNotEqualTo(separate.port());
    assertThat(get(admin + "/healthz").body()).isEqualTo("ok\n");
    assertThat(get(admin + "/metrics").body()).contains("jvm_threads_live_threads");
    HttpResponse<String> est = get(admin + "/.well-known/est/cacerts");
    assertThat(est.statusCode()).isEqualTo(404);
    assertThat(est.body()).contains("/healthz");
    assertThat(get("https://localhost:" + separate.port() + "/metrics").statusCode()).isEqualTo(404);
    assertThat(get("https://localhost:" + separate.port() + "/.well-known/est/cacerts").statusCode()).isEqualTo(200);
  }

  @Test
  void readinessFailsWithTheNameAndReasonOfEachFailingCheckAndRecovers() throws Exception {
    String admin = "http://127.0.0.1:" + separate.adminPort();
    storeProblem.set("connection refused\nby the database");
    try {
      HttpResponse<String> ready = get(admin + "/readyz");
      assertThat(ready.statusCode()).isEqualTo(503);
      assertThat(ready.body()).isEqualTo("not ready\nca: ok\nstore: connection refused by the database\n");
      assertThat(get(admin + "/healthz").statusCode()).isEqualTo(200); // alive all the same
    } finally {
      storeProblem.set(null);
    }
    assertThat(get(admin + "/readyz").statusCode()).isEqualTo(200);
  }

  @Test
  void onlyGetAndHeadAreAllowed() throws Exception {
    HttpResponse<String> post = client.send(
        HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + separate.adminPort() + "/metrics"))
            .POST(HttpRequest.BodyPublishers.ofString("x")).build(), HttpResponse.BodyHandlers.ofString());
    assertThat(post.statusCode()).isEqualTo(405);
    assertThat(post.headers().firstValue("Allow")).hasValue("GET, HEAD");
    HttpResponse<String> head = client.send(
        HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + separate.adminPort() + "/healthz"))
            .method("HEAD", HttpRequest.BodyPublishers.noBody()).build(), HttpResponse.BodyHandlers.ofString());
    assertThat(head.statusCode()).isEqualTo(200);
    assertThat(head.body()).isEmpty();
  }
}
