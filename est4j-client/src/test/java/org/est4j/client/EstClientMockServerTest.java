package org.est4j.client;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.charset.StandardCharsets;
import java.security.KeyPair;
import java.security.cert.X509Certificate;
import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.Base64;
import java.util.Collections;
import java.util.List;
import org.est4j.protocol.CsrAttrs;
import org.est4j.protocol.EstBase64;
import org.est4j.protocol.MediaTypes;
import org.est4j.testing.MockEstResponse;
import org.est4j.testing.MockEstServer;
import org.est4j.testing.RecordedEstRequest;
import org.est4j.testing.TestCertificate;
import org.est4j.testing.TestPki;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * The client against {@link MockEstServer}: responses scripted byte for byte (faults, odd but
 * valid shapes), requests verified as the server received them.
 */
class EstClientMockServerTest {
  private static TestPki pki;
  private static TestCertificate device;
  private static byte[] csr;

  private MockEstServer server;

  @BeforeAll
  static void pki() throws Exception {
    pki = TestPki.create();
    device = pki.newClient("device-1");
    KeyPair key = KeyPairs.generate("ec:P-256");
    csr = CsrBuilder.create().commonName("device-1").sign(key);
  }

  @BeforeEach
  void start() throws Exception {
    server = new MockEstServer(pki).start();
  }

  @AfterEach
  void stop() throws Exception {
    server.close();
  }

  private EstClientBuilder client() {
    return client(server);
  }

  private static EstClientBuilder client(MockEstServer s) {
    return EstClient.builder()
        .server("localhost:" + s.port())
        .trust(TrustAnchors.explicit(List.of(s.pki().root().certificate())));
  }

  private static List<X509Certificate> ca() {
    return List.of(pki.intermediate().certificate(), pki.root().certificate());
  }

  private static MockEstResponse issued() {
    return MockEstResponse.certsOnly(List.of(device.certificate()));
  }

  // --- faults --------------------------------------------------------------------------------

  @Test
  void truncatedBodyIsAnErrorNeverAPartialSuccess() throws Exception {
    server.enqueue(MockEstResponse.certsOnly(ca()).toBuilder().truncateBodyAfter(100).build());
    assertThatThrownBy(() -> client().build().caCerts())
        .isInstanceOf(EstResponseException.class)
        .hasMessageContaining("/cacerts");

    server.enqueue(issued().toBuilder().truncateBodyAfter(50).build());
    assertThatThrownBy(() -> client().build().enroll(csr))
        .isInstanceOf(EstResponseException.class)
        .hasMessageContaining("/simpleenroll");

    // Truncated in the chunked framing: no last chunk.
    server.enqueue(MockEstResponse.certsOnly(ca()).toBuilder().chunked(64).truncateBodyAfter(300).build());
    assertThatThrownBy(() -> client().build().caCerts()).isInstanceOf(EstResponseException.class);
    assertThat(server.requestCount()).isEqualTo(3);
  }

  @Test
  void wrongContentTypeNamesTheOperation() throws Exception {
    server.enqueue(MockEstResponse.certsOnly(ca()).toBuilder().setHeader("Content-Type", "text/html").build());
    assertThatThrownBy(() -> client().build().caCerts())
        .isInstanceOf(EstResponseException.class)
        .hasMessageContaining("/cacerts")
        .hasMessageContaining("text/html");

    server.enqueue(issued().toBuilder().setHeader("Content-Type", "application/pkcs10").build());
    assertThatThrownBy(() -> client().build().enroll(csr))
        .isInstanceOf(EstResponseException.class)
        .hasMessageContaining("/simpleenroll")
        .hasMessageContaining("application/pkcs10");
  }

  @Test
  void badBase64IsAnError() throws Exception {
    server.enqueue(MockEstResponse.builder()
        .addHeader("Content-Type", MediaTypes.CERTS_ONLY)
        .addHeader("Content-Transfer-Encoding", "base64")
        .body("MIIB!!!this is *not* base64 at all\r\n")
        .build());
    assertThatThrownBy(() -> client().build().caCerts())
        .isInstanceOf(EstResponseException.class)
        .hasMessageContaining("/cacerts");
  }

  @Test
  void trailingNulOneLineAndNoTransferEncodingAreAccepted() throws Exception {
    server.enqueue(MockEstResponse.certsOnly(ca()).toBuilder()
        .oneLineBase64().withoutContentTransferEncoding().trailingNul().build());
    assertThat(client().build().caCerts()).containsExactlyElementsOf(ca());

    server.enqueue(issued().toBuilder().oneLineBase64().withoutContentTransferEncoding().trailingNul().build());
    assertThat(client().build().enroll(csr)).isEqualTo(new EnrollResult.Issued(device.certificate(), List.of()));
  }

  // --- 202 -----------------------------------------------------------------------------------

  @Test
  void pendingWithoutRetryAfterUsesTheDocumentedDefault() throws Exception {
    server.enqueue(MockEstResponse.pending());
    EnrollResult r = client().build().enroll(csr);
    assertThat(r).isEqualTo(new EnrollResult.Pending(EnrollResult.DEFAULT_RETRY_AFTER, false));
    assertThat(EnrollResult.DEFAULT_RETRY_AFTER).isEqualTo(Duration.ofSeconds(60));
  }

  @Test
  void pendingWithHttpDateRetryAfter() throws Exception {
    Instant at = Instant.now().plus(Duration.ofMinutes(5)).truncatedTo(ChronoUnit.SECONDS);
    server.enqueue(MockEstResponse.pendingHttpDate(at));
    EnrollResult r = client().build().enroll(csr);
    assertThat(r).isInstanceOf(EnrollResult.Pending.class);
    EnrollResult.Pending p = (EnrollResult.Pending) r;
    assertThat(p.retryAfterGiven()).isTrue();
    assertThat(p.retryAfter()).isBetween(Duration.ofSeconds(280), Duration.ofSeconds(300));

    server.enqueue(MockEstResponse.pending(Duration.ofSeconds(17)));
    assertThat(client().build().enroll(csr)).isEqualTo(new EnrollResult.Pending(Duration.ofSeconds(17), true));
  }

  @Test
  void enrollAndWaitWithoutRetryAfterGivesUpAtOnceInsteadOfPolling() throws Exception {
    server.enqueue(MockEstResponse.pending());
    long t0 = System.nanoTime();
    assertThatThrownBy(() -> client().build().enrollAndWait(csr, Duration.ofSeconds(5)))
        .isInstanceOfSatisfying(EstPendingException.class,
            e -> assertThat(e.retryAfter()).isEqualTo(EnrollResult.DEFAULT_RETRY_AFTER));
    assertThat(Duration.ofNanos(System.nanoTime() - t0)).isLessThan(Duration.ofSeconds(4));
    assertThat(server.requestCount()).isEqualTo(1);
  }

  @Test
  void serverKeyGenPendingIsAnException() throws Exception {
    server.enqueue(MockEstResponse.pending(Duration.ofSeconds(5)));
    assertThatThrownBy(() -> client().build().serverKeyGen(csr))
        .isInstanceOfSatisfying(EstPendingException.class,
            e -> assertThat(e.retryAfter()).isEqualTo(Duration.ofSeconds(5)));
  }

  // --- csrattrs ------------------------------------------------------------------------------

  @Test
  void csrAttrsNoneAndRfcExample() throws Exception {
    server.enqueue(MockEstResponse.builder().status(204).build());
    server.enqueue(MockEstResponse.error(404, "not found"));
    server.enqueue(MockEstResponse.csrAttrs(CsrAttrs.rfc7030Example().encoded()));
    EstClient c = client().build();
    assertThat(c.csrAttrs()).isEqualTo(CsrAttrs.empty());
    assertThat(c.csrAttrs()).isEqualTo(CsrAttrs.empty());
    assertThat(c.csrAttrs()).isEqualTo(CsrAttrs.rfc7030Example());
    for (int i = 0; i < 3; i++) {
      RecordedEstRequest req = server.takeRequest();
      assertThat(req.requestLine()).isEqualTo("GET /.well-known/est/csrattrs HTTP/1.1");
      assertThat(req.header("Accept")).contains(MediaTypes.CSRATTRS);
    }
  }

  // --- redirects -----------------------------------------------------------------------------

  @Test
  void crossOriginRedirectIsRefusedNamingTheTarget() throws Exception {
    server.enqueue(MockEstResponse.redirect(302, "https://evil.example:8443/.well-known/est/cacerts"));
    assertThatThrownBy(() -> client().build().caCerts())
        .isInstanceOf(EstResponseException.class)
        .hasMessageContaining("evil.example");

    int otherPort = server.port() == 65535 ? 65534 : server.port() + 1;
    String otherPortTarget = "https://localhost:" + otherPort + "/.well-known/est/cacerts";
    server.enqueue(MockEstResponse.redirect(307, otherPortTarget));
    assertThatThrownBy(() -> client().build().caCerts())
        .isInstanceOf(EstResponseException.class)
        .hasMessageContaining("localhost:" + otherPort);

    server.enqueue(MockEstResponse.redirect(302, "//evil.example/.well-known/est/cacerts"));
    assertThatThrownBy(() -> client().build().caCerts())
        .isInstanceOf(EstResponseException.class)
        .hasMessageContaining("evil.example");

    server.enqueue(MockEstResponse.redirect(301, "http://localhost:" + server.port() + "/.well-known/est/cacerts"));
    assertThatThrownBy(() -> client().build().caCerts())
        .isInstanceOf(EstResponseException.class)
        .hasMessageContaining("http://localhost:" + server.port());
    assertThat(server.requestCount()).isEqualTo(4);
  }

  @Test
  void sameOriginRedirectIsFollowedWithMethodAndBody() throws Exception {
    server.enqueue(MockEstResponse.redirect(302, "/.well-known/est/moved/simpleenroll"));
    server.enqueue(issued());
    assertThat(client().build().enroll(csr)).isInstanceOf(EnrollResult.Issued.class);
    RecordedEstRequest first = server.takeRequest();
    RecordedEstRequest second = server.takeRequest();
    assertThat(first.path()).isEqualTo("/.well-known/est/simpleenroll");
    assertThat(second.method()).isEqualTo("POST");
    assertThat(second.path()).isEqualTo("/.well-known/est/moved/simpleenroll");
    assertThat(EstBase64.decode(second.body())).isEqualTo(csr);

    server.enqueue(MockEstResponse.redirect(308, server.url("/.well-known/est/elsewhere/cacerts")));
    server.enqueue(MockEstResponse.certsOnly(ca()));
    assertThat(client().build().caCerts()).containsExactlyElementsOf(ca());
    server.takeRequest();
    assertThat(server.takeRequest().path()).isEqualTo("/.well-known/est/elsewhere/cacerts");
  }

  // --- framing -------------------------------------------------------------------------------

  @Test
  void oversizedBodyIsAnError() throws Exception {
    List<X509Certificate> many = new ArrayList<>(Collections.nCopies(12, pki.root().certificate()));
    MockEstResponse big = MockEstResponse.certsOnly(many);
    assertThat(big.body().length).isGreaterThan(4096);
    server.enqueue(big);
    assertThatThrownBy(() -> client().maxResponseBytes(4096).build().caCerts())
        .isInstanceOf(EstResponseException.class)
        .hasMessageContaining("/cacerts");
    server.enqueue(big.toBuilder().chunked(1000).build());
    assertThatThrownBy(() -> client().maxResponseBytes(4096).build().caCerts())
        .isInstanceOf(EstResponseException.class);
    server.enqueue(big.toBuilder().withoutContentLength().build());
    assertThatThrownBy(() -> client().maxResponseBytes(4096).build().caCerts())
        .isInstanceOf(EstResponseException.class);
    // the same body fits the default bound
    server.enqueue(big);
    assertThat(client().build().caCerts()).hasSize(12);
  }

  @Test
  void chunkedAndCloseDelimitedResponsesAreDecoded() throws Exception {
    server.enqueue(MockEstResponse.certsOnly(ca()).toBuilder().chunked(7).build());
    assertThat(client().build().caCerts()).containsExactlyElementsOf(ca());
    server.enqueue(issued().toBuilder().chunked(7).build());
    assertThat(client().build().enroll(csr)).isEqualTo(new EnrollResult.Issued(device.certificate(), List.of()));
    server.enqueue(MockEstResponse.csrAttrs(CsrAttrs.rfc7030Example().encoded()).toBuilder().chunked(7).build());
    assertThat(client().build().csrAttrs()).isEqualTo(CsrAttrs.rfc7030Example());
    server.enqueue(MockEstResponse.certsOnly(ca()).toBuilder().withoutContentLength().build());
    assertThat(client().build().caCerts()).containsExactlyElementsOf(ca());
  }

  @Test
  void connectionClosedWithoutResponseOrTooSlowAreErrors() throws Exception {
    server.enqueue(MockEstResponse.builder().disconnectAtStart().build());
    assertThatThrownBy(() -> client().build().caCerts())
        .isInstanceOf(EstResponseException.class)
        .hasMessageContaining("/cacerts");
    server.enqueue(MockEstResponse.certsOnly(ca()).toBuilder().bodyDelay(Duration.ofSeconds(3)).build());
    assertThatThrownBy(() -> client().readTimeout(Duration.ofMillis(300)).build().caCerts())
        .isInstanceOf(EstConnectionException.class)
        .hasMessageContaining("read timeout");
  }

  /**
   * A non-2xx answer whose body exceeds maxResponseBytes (a proxy's large HTML error page, or a
   * 10 KB one with maxResponseBytes(4096)) still yields its status and Retry-After: only the start
   * of an error body is read, so the caller can tell a 502 from a malformed EST answer.
   */
  @Test
  void oversizedErrorBodyStillReportsTheStatus() throws Exception {
    server.enqueue(MockEstResponse.error(502, "x".repeat(10_000)).toBuilder().addHeader("Retry-After", "30").build());
    assertThatThrownBy(() -> client().maxResponseBytes(4096).build().enroll(csr))
        .isInstanceOfSatisfying(EstServerException.class, e -> {
          assertThat(e.status()).isEqualTo(502);
          assertThat(e.retryAfter()).contains(Duration.ofSeconds(30));
        });
  }

  // --- serverkeygen --------------------------------------------------------------------------

  @Test
  void serverKeyGenPartsInReverseOrderWithAndWithoutTransferEncoding() throws Exception {
    TestCertificate generated = pki.newClient("keygen");
    byte[] pkcs8 = generated.keyPair().getPrivate().getEncoded();
    MockEstResponse rfcOrder = MockEstResponse.serverKeyGen(pkcs8, generated.certificate());
    List<MockEstResponse> variants = List.of(
        rfcOrder,
        rfcOrder.toBuilder().certificatePartFirst().build(),
        rfcOrder.toBuilder().certificatePartFirst().withoutContentTransferEncoding().build(),
        rfcOrder.toBuilder().certificatePartFirst().withoutContentTransferEncoding().oneLineBase64()
            .boundary("=_b0und4ry_=").build(),
        rfcOrder.toBuilder().withoutContentTransferEncoding().chunked(7).build());
    for (MockEstResponse variant : variants) {
      server.enqueue(variant);
      ServerKeyGenResult r = client().build().serverKeyGen(csr);
      assertThat(r.certificate()).isEqualTo(generated.certificate());
      assertThat(r.privateKey().getEncoded()).isEqualTo(pkcs8);
      RecordedEstRequest req = server.takeRequest();
      assertThat(req.requestLine()).isEqualTo("POST /.well-known/est/serverkeygen HTTP/1.1");
      assertThat(req.header("Accept")).contains(MediaTypes.MULTIPART_MIXED);
    }
  }

  // --- authentication ------------------------------------------------------------------------

  @Test
  void basicAfterChallengeIsExactlyTwoRequests() throws Exception {
    server.enqueue(MockEstResponse.unauthorized("est"));
    server.enqueue(issued());
    EnrollResult r = client().basicAuth("alice", "wonderland".toCharArray()).build().enroll(csr);
    assertThat(r).isEqualTo(new EnrollResult.Issued(device.certificate(), List.of()));
    assertThat(server.requestCount()).isEqualTo(2);
    RecordedEstRequest first = server.takeRequest();
    RecordedEstRequest second = server.takeRequest();
    assertThat(first.header("Authorization")).isEmpty();
    String expected = "Basic "
        + Base64.getEncoder().encodeToString("alice:wonderland".getBytes(StandardCharsets.UTF_8));
    assertThat(second.headers("Authorization")).containsExactly(expected);
    assertThat(EstBase64.decode(second.body())).isEqualTo(csr);
  }

  @Test
  void challengeWithoutCredentialsIsA401AfterOneRequest() throws Exception {
    server.enqueue(MockEstResponse.unauthorized("est"));
    assertThatThrownBy(() -> client().build().enroll(csr))
        .isInstanceOfSatisfying(EstServerException.class, e -> assertThat(e.status()).isEqualTo(401));
    server.takeRequest();
    // Nothing else came: the script's 503 fallback would have been served otherwise.
    assertThat(server.requestCount()).isEqualTo(1);
  }

  // --- the request as the server saw it ------------------------------------------------------

  @Test
  void enrollRequestAsTheServerSawIt() throws Exception {
    server.enqueue(issued());
    client().hostHeader("est.example.com").header("X-Device-Id", "42").header("X-Trace", "abc")
        .build().enroll(csr);
    RecordedEstRequest req = server.takeRequest();
    assertThat(req.requestLine()).isEqualTo("POST /.well-known/est/simpleenroll HTTP/1.1");
    assertThat(req.bodyWasChunked()).isFalse();
    assertThat(req.header("Transfer-Encoding")).isEmpty();
    assertThat(req.contentLength()).isEqualTo(req.body().length);
    assertThat(req.headers("Content-Type")).containsExactly("application/pkcs10");
    assertThat(req.headers("Accept")).containsExactly(MediaTypes.PKCS7_MIME);
    assertThat(req.header("User-Agent")).hasValueSatisfying(ua -> assertThat(ua).startsWith("est4j/"));
    assertThat(req.headers("Host")).containsExactly("est.example.com");
    assertThat(req.serverName()).as("SNI is the server's name, never the Host override").contains("localhost");
    assertThat(req.header("X-Device-Id")).contains("42");
    assertThat(req.header("X-Trace")).contains("abc");
    assertThat(req.header("Authorization")).isEmpty();

    String body = req.bodyUtf8();
    assertThat(body).endsWith("\r\n");
    String[] lines = body.substring(0, body.length() - 2).split("\r\n", -1);
    assertThat(lines.length).isGreaterThan(1);
    for (int i = 0; i < lines.length - 1; i++) {
      assertThat(lines[i]).hasSize(76);
    }
    assertThat(lines[lines.length - 1].length()).isBetween(1, 76);
    assertThat(body.replace("\r\n", "")).doesNotContain("\n", "\r");
    assertThat(EstBase64.decode(req.body())).isEqualTo(csr);
  }

  @Test
  void getRequestsHaveNoBodyAndTheDefaultHost() throws Exception {
    server.enqueue(MockEstResponse.certsOnly(ca()));
    client().label("arbitraryLabel1").build().caCerts();
    RecordedEstRequest req = server.takeRequest();
    assertThat(req.requestLine()).isEqualTo("GET /.well-known/est/arbitraryLabel1/cacerts HTTP/1.1");
    assertThat(req.headers("Host")).containsExactly("localhost:" + server.port());
    assertThat(req.body()).isEmpty();
    assertThat(req.header("Content-Type")).isEmpty();
    assertThat(req.bodyWasChunked()).isFalse();
  }

  // --- TLS -----------------------------------------------------------------------------------

  @Test
  void serverCertificateForAnotherHostIsAConnectionError() throws Exception {
    TestCertificate other = TestCertificate.builder()
        .commonName("other.example").addDnsName("other.example").serverAuth()
        .signedBy(pki.intermediate()).build();
    try (MockEstServer s = new MockEstServer(pki).serverCertificate(other).start()) {
      s.enqueue(MockEstResponse.certsOnly(ca()));
      assertThatThrownBy(() -> client(s).build().caCerts())
          .isInstanceOf(EstConnectionException.class)
          .hasMessageContaining("localhost:" + s.port());
      assertThat(s.requestCount()).isZero();
    }
  }

  @Test
  void expiredServerCertificateIsAConnectionError() throws Exception {
    Instant now = Instant.now();
    TestCertificate expired = TestCertificate.builder()
        .commonName("localhost").addDnsName("localhost").addIpAddress("127.0.0.1").serverAuth()
        .validity(now.minus(Duration.ofDays(10)), now.minus(Duration.ofDays(1)))
        .signedBy(pki.intermediate()).build();
    try (MockEstServer s = new MockEstServer(pki).serverCertificate(expired).start()) {
      s.enqueue(MockEstResponse.certsOnly(ca()));
      assertThatThrownBy(() -> client(s).build().caCerts()).isInstanceOf(EstConnectionException.class);
      assertThat(s.requestCount()).isZero();
    }
  }

  @Test
  void clientCertificateIsPresented() throws Exception {
    TestCertificate dev = pki.newClient("dev");
    server.enqueue(issued());
    client().clientIdentity(ClientIdentity.of(dev.keyPair().getPrivate(), dev.chain()))
        .build().reenroll(csr);
    RecordedEstRequest req = server.takeRequest();
    assertThat(req.path()).isEqualTo("/.well-known/est/simplereenroll");
    assertThat(req.clientCertificates()).isNotEmpty();
    assertThat(req.clientCertificates().get(0)).isEqualTo(dev.certificate());
  }

  @Test
  void noClientCertificateWithoutIdentity() throws Exception {
    server.enqueue(issued());
    client().build().enroll(csr);
    assertThat(server.takeRequest().clientCertificates()).isEmpty();
  }
}
