package org.est4j.client;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.charset.StandardCharsets;
import java.security.KeyPair;
import java.security.cert.X509Certificate;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.atomic.AtomicReference;
import org.bouncycastle.asn1.pkcs.PrivateKeyInfo;
import org.est4j.protocol.CertsOnly;
import org.est4j.protocol.EstBase64;
import org.est4j.protocol.Multipart;
import org.est4j.protocol.MultipartPart;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** The client against a scripted TLS server: what goes on the wire, and how answers are read. */
class EstClientWireTest {
  private static TestCerts pki;
  private static X509Certificate issued;
  private static byte[] csr;
  private ScriptedServer server;

  @BeforeAll
  static void pki() throws Exception {
    pki = TestCerts.create();
    KeyPair key = KeyPairs.generate("ec:P-256");
    issued = pki.leaf("device-1", key);
    csr = CsrBuilder.create().commonName("device-1").sign(key);
  }

  @BeforeEach
  void start() throws Exception {
    server = ScriptedServer.tls(pki.serverContext());
  }

  @AfterEach
  void stop() throws Exception {
    server.close();
  }

  private EstClientBuilder client() {
    return EstClient.builder().server("127.0.0.1:" + server.port()).trust(TrustAnchors.explicit(List.of(pki.ca)));
  }

  static String response(String statusLine, String headers, byte[] body) {
    return "HTTP/1.1 " + statusLine + "\r\n" + headers + "Content-Length: " + body.length + "\r\n\r\n"
        + new String(body, StandardCharsets.ISO_8859_1);
  }

  static String certs(X509Certificate... certs) {
    return response("200 OK", "Content-Type: application/pkcs7-mime; smime-type=certs-only\r\n",
        EstBase64.encode(CertsOnly.encode(List.of(certs))));
  }

  static final String CHALLENGE =
      response("401 Unauthorized", "WWW-Authenticate: Basic realm=\"est4j\", charset=\"UTF-8\"\r\n", new byte[0]);

  @Test
  void enrollRequestOnTheWire() throws Exception {
    server.enqueue(certs(issued));
    EnrollResult r = client().header("X-Device", "42").build().enroll(csr);
    assertThat(r).isEqualTo(new EnrollResult.Issued(issued, List.of()));
    ScriptedServer.Recorded req = server.requests().get(0);
    assertThat(req.requestLine()).isEqualTo("POST /.well-known/est/simpleenroll HTTP/1.1");
    assertThat(req.headers())
        .containsEntry("host", "127.0.0.1:" + server.port())
        .containsEntry("accept", "application/pkcs7-mime")
        .containsEntry("content-type", "application/pkcs10")
        .containsEntry("content-transfer-encoding", "base64")
        .containsEntry("content-length", String.valueOf(req.body().length))
        .containsEntry("connection", "close")
        .containsEntry("x-device", "42")
        .doesNotContainKeys("transfer-encoding", "authorization");
    assertThat(req.headers().get("user-agent")).startsWith("est4j/");
    String body = new String(req.body(), StandardCharsets.US_ASCII);
    assertThat(body.split("\r\n")).allSatisfy(line -> assertThat(line.length()).isLessThanOrEqualTo(76));
    assertThat(body).endsWith("\r\n").contains("\r\n");
    assertThat(body.indexOf("\r\n")).isEqualTo(76);
    assertThat(EstBase64.decode(req.body())).isEqualTo(csr);
  }

  @Test
  void basicIsSentOnlyAfterTheChallenge() throws Exception {
    server.enqueue(CHALLENGE).enqueue(certs(issued));
    EnrollResult r = client().basicAuth("alice", "wonderland".toCharArray()).build().enroll(csr);
    assertThat(r).isInstanceOf(EnrollResult.Issued.class);
    List<ScriptedServer.Recorded> reqs = server.requests();
    assertThat(reqs).hasSize(2);
    assertThat(reqs.get(0).headers()).doesNotContainKey("authorization");
    assertThat(reqs.get(1).headers()).containsEntry("authorization", "Basic YWxpY2U6d29uZGVybGFuZA==");
    assertThat(EstBase64.decode(reqs.get(1).body())).isEqualTo(csr);
  }

  @Test
  void preemptiveBasicIsOneRequest() throws Exception {
    server.enqueue(certs(issued));
    client().basicAuth("alice", "wonderland".toCharArray()).preemptiveBasicAuth(true).build().enroll(csr);
    assertThat(server.requests()).hasSize(1);
    assertThat(server.requests().get(0).headers()).containsEntry("authorization", "Basic YWxpY2U6d29uZGVybGFuZA==");
  }

  @Test
  void secondChallengeIsAnError() throws Exception {
    server.enqueue(CHALLENGE).enqueue(CHALLENGE).enqueue(certs(issued));
    EstClient c = client().basicAuth("alice", "wrong".toCharArray()).build();
    assertThatThrownBy(() -> c.enroll(csr))
        .isInstanceOfSatisfying(EstServerException.class, e -> assertThat(e.status()).isEqualTo(401))
        .hasMessage("server refused /simpleenroll: 401 Unauthorized");
    assertThat(server.requests()).hasSize(2);
  }

  @Test
  void noCredentialsForOtherSchemesOrWithoutCredentials() throws Exception {
    server.enqueue(response("401 Unauthorized", "WWW-Authenticate: Bearer realm=\"x\"\r\n", new byte[0]));
    EstClient c = client().basicAuth("alice", "wonderland".toCharArray()).build();
    assertThatThrownBy(() -> c.enroll(csr)).isInstanceOf(EstServerException.class);
    server.enqueue(CHALLENGE);
    assertThatThrownBy(() -> client().build().enroll(csr)).isInstanceOf(EstServerException.class);
    assertThat(server.requests()).hasSize(2);
    assertThat(server.requests()).allSatisfy(r -> assertThat(r.headers()).doesNotContainKey("authorization"));
  }

  @Test
  void insecureBootstrapNeverSendsCredentials() throws Exception {
    server.enqueue(certs(pki.ca));
    EstClient c = EstClient.builder().server("127.0.0.1:" + server.port())
        .trust(TrustAnchors.insecureBootstrapForCaCertsOnly())
        .basicAuth("alice", "wonderland".toCharArray()).preemptiveBasicAuth(true).build();
    assertThat(c.caCerts()).containsExactly(pki.ca);
    assertThat(server.requests().get(0).headers()).doesNotContainKey("authorization");
    assertThat(server.requests().get(0).requestLine()).isEqualTo("GET /.well-known/est/cacerts HTTP/1.1");
    assertThatThrownBy(() -> c.enroll(csr)).isInstanceOf(IllegalStateException.class)
        .hasMessageContaining("caCerts()").hasMessageContaining("TrustAnchors.explicit");
  }

  @Test
  void hostHeaderOverrideAndLabel() throws Exception {
    server.enqueue(certs(pki.ca));
    client().hostHeader("est.example").label("arbitraryLabel").build().caCerts();
    ScriptedServer.Recorded r = server.requests().get(0);
    assertThat(r.headers()).containsEntry("host", "est.example");
    assertThat(r.rawHeaderLines()).filteredOn(l -> l.toLowerCase().startsWith("host:")).hasSize(1);
    assertThat(r.requestLine()).isEqualTo("GET /.well-known/est/arbitraryLabel/cacerts HTTP/1.1");
  }

  @Test
  void builderRefusesBadInput() {
    assertThatThrownBy(() -> client().header("Host", "x").build()).hasMessageContaining("hostHeader");
    assertThatThrownBy(() -> client().header("Content-Length", "1").build()).isInstanceOf(IllegalArgumentException.class);
    assertThatThrownBy(() -> client().header("X-A", "a\r\nX-B: b").build()).isInstanceOf(IllegalArgumentException.class);
    assertThatThrownBy(() -> client().header("X\nA", "a").build()).isInstanceOf(IllegalArgumentException.class);
    assertThatThrownBy(() -> client().label("..").build()).hasMessageContaining("dot segment");
    assertThatThrownBy(() -> client().label("healthcheck").build()).hasMessageContaining("reserved");
    assertThatThrownBy(() -> client().label("a/b").build()).hasMessageContaining("invalid label");
    assertThatThrownBy(() -> EstClient.builder().server(java.net.URI.create("https://h/prefix/.well-known/est")).trust(TrustAnchors.system()).build())
        .hasMessageContaining("path");
    assertThatThrownBy(() -> EstClient.builder().server(java.net.URI.create("http://h")).trust(TrustAnchors.system()).build())
        .hasMessageContaining("https");
    assertThatThrownBy(() -> EstClient.builder().server("h:1").build()).hasMessageContaining("trust");
    assertThat(EstClient.builder().server(java.net.URI.create("https://h.example/.well-known/est")).trust(TrustAnchors.system()).build().server())
        .isEqualTo("h.example:443");
    assertThat(EstClient.builder().server("[::1]:8443").trust(TrustAnchors.system()).build().server()).isEqualTo("[::1]:8443");
  }

  @Test
  void sameOriginRedirectIsFollowed() throws Exception {
    server.enqueue(response("307 Temporary Redirect", "Location: /.well-known/est/moved/simpleenroll\r\n", new byte[0]))
        .enqueue(certs(issued));
    assertThat(client().build().enroll(csr)).isInstanceOf(EnrollResult.Issued.class);
    assertThat(server.requests()).extracting(ScriptedServer.Recorded::requestLine).containsExactly(
        "POST /.well-known/est/simpleenroll HTTP/1.1", "POST /.well-known/est/moved/simpleenroll HTTP/1.1");
    assertThat(EstBase64.decode(server.requests().get(1).body())).isEqualTo(csr);
  }

  @Test
  void crossOriginRedirectIsRefused() throws Exception {
    server.enqueue(response("302 Found", "Location: https://evil.example/steal\r\n", new byte[0]));
    assertThatThrownBy(() -> client().basicAuth("a", "b".toCharArray()).build().enroll(csr))
        .isInstanceOf(EstResponseException.class)
        .hasMessageContaining("another origin").hasMessageContaining("https://evil.example/steal");
    server.enqueue(response("302 Found", "Location: https://127.0.0.1:1/x\r\n", new byte[0]));
    assertThatThrownBy(() -> client().build().caCerts()).hasMessageContaining("another origin");
    assertThat(server.requests()).hasSize(2);
  }

  @Test
  void redirectLoopStops() throws Exception {
    for (int i = 0; i < 5; i++) {
      server.enqueue(response("301 Moved", "Location: /.well-known/est/cacerts\r\n", new byte[0]));
    }
    assertThatThrownBy(() -> client().build().caCerts()).hasMessageContaining("more than 3 redirects");
    assertThat(server.requests()).hasSize(4);
  }

  @Test
  void pendingWithAndWithoutRetryAfter() throws Exception {
    server.enqueue(response("202 Accepted", "Retry-After: 120\r\n", new byte[0]))
        .enqueue(response("202 Accepted", "", new byte[0]))
        .enqueue(response("202 Accepted", "Retry-After: tomorrow\r\n", new byte[0]));
    EstClient c = client().build();
    assertThat(c.enroll(csr)).isEqualTo(new EnrollResult.Pending(Duration.ofSeconds(120), true));
    assertThat(c.enroll(csr)).isEqualTo(new EnrollResult.Pending(Duration.ofSeconds(60), false));
    assertThat(c.enroll(csr)).isEqualTo(new EnrollResult.Pending(Duration.ofSeconds(60), false));
  }

  @Test
  void enrollAndWaitResubmitsAfterRetryAfter() throws Exception {
    server.enqueue(response("202 Accepted", "Retry-After: 1\r\n", new byte[0])).enqueue(certs(issued));
    long start = System.nanoTime();
    assertThat(client().build().enrollAndWait(csr, Duration.ofSeconds(30))).isEqualTo(issued);
    assertThat(Duration.ofNanos(System.nanoTime() - start)).isBetween(Duration.ofMillis(950), Duration.ofSeconds(20));
    assertThat(server.requests()).hasSize(2);
    assertThat(server.requests().get(1).body()).isEqualTo(server.requests().get(0).body());
  }

  @Test
  void enrollAndWaitGivesUpWithoutSleepingPastTheBound() throws Exception {
    server.enqueue(response("202 Accepted", "Retry-After: 600\r\n", new byte[0]));
    long start = System.nanoTime();
    assertThatThrownBy(() -> client().build().enrollAndWait(csr, Duration.ofSeconds(5)))
        .isInstanceOfSatisfying(EstPendingException.class, e -> assertThat(e.retryAfter()).isEqualTo(Duration.ofSeconds(600)));
    assertThat(Duration.ofNanos(System.nanoTime() - start)).isLessThan(Duration.ofSeconds(4));
  }

  @Test
  void malformedAnswers() throws Exception {
    EstClient c = client().build();
    server.enqueue(response("200 OK", "Content-Type: text/html\r\n", "<html>".getBytes(StandardCharsets.US_ASCII)));
    assertThatThrownBy(c::caCerts).isInstanceOf(EstResponseException.class)
        .hasMessage("/cacerts: unexpected Content-Type text/html (expected application/pkcs7-mime)");
    server.enqueue(response("200 OK", "Content-Type: application/pkcs7-mime\r\n", "!!!!".getBytes(StandardCharsets.US_ASCII)));
    assertThatThrownBy(c::caCerts).hasMessage("/cacerts: the response body is not valid base64");
    server.enqueue(response("200 OK", "Content-Type: application/pkcs7-mime\r\n", EstBase64.encode(new byte[] {1, 2, 3})));
    assertThatThrownBy(c::caCerts).hasMessageStartingWith("/cacerts: the response body is not a PKCS#7 certs-only message");
    server.enqueue(response("200 OK", "Content-Type: application/pkcs7-mime\r\n", EstBase64.encode(CertsOnly.encode(List.of()))));
    assertThatThrownBy(c::caCerts).hasMessage("/cacerts: the server returned no CA certificates");
    server.enqueue("HTTP/1.1 200 OK\r\nContent-Type: application/pkcs7-mime\r\nContent-Length: 5000\r\n\r\nMIIB");
    assertThatThrownBy(c::caCerts).isInstanceOf(EstResponseException.class).hasMessageContaining("/cacerts: truncated body");
    server.enqueue(response("200 OK", "Content-Type: application/pkcs7-mime\r\n", new byte[3000]));
    assertThatThrownBy(() -> client().maxResponseBytes(2048).build().caCerts()).hasMessageContaining("larger than 2048 bytes");
  }

  @Test
  void lenientAnswers() throws Exception {
    byte[] oneLine = EstBase64.encode(CertsOnly.encode(List.of(pki.ca, issued)), 0);
    byte[] withNul = new byte[oneLine.length + 1];
    System.arraycopy(oneLine, 0, withNul, 0, oneLine.length);
    // one line, trailing NUL, no Content-Transfer-Encoding, odd case in the media type, chunked
    String chunked = "HTTP/1.1 200 OK\r\nContent-Type: Application/PKCS7-MIME ; smime-type=\"certs-only\"\r\n"
        + "Transfer-Encoding: chunked\r\n\r\n" + Integer.toHexString(withNul.length) + "\r\n"
        + new String(withNul, StandardCharsets.ISO_8859_1) + "\r\n0\r\n\r\n";
    server.enqueue(chunked);
    assertThat(client().build().caCerts()).containsExactly(pki.ca, issued);
    server.enqueue(certs(issued, pki.ca));
    assertThat(client().build().enroll(csr)).isEqualTo(new EnrollResult.Issued(issued, List.of(pki.ca)));
  }

  @Test
  void serverErrorsCarryStatusAndBoundedText() throws Exception {
    String ugly = "500 internal error \u0007(request id abc)\n" + "x".repeat(10_000);
    server.enqueue(response("500 Server Error", "Content-Type: text/plain; charset=utf-8\r\nRetry-After: 30\r\n", ugly.getBytes(StandardCharsets.UTF_8)));
    assertThatThrownBy(() -> client().build().enroll(csr)).isInstanceOfSatisfying(EstServerException.class, e -> {
      assertThat(e.status()).isEqualTo(500);
      assertThat(e.retryAfter()).contains(Duration.ofSeconds(30));
      assertThat(e.serverMessage()).startsWith("500 internal error (request id abc) xxx").hasSizeLessThanOrEqualTo(4096);
      assertThat(e.getMessage()).startsWith("server refused /simpleenroll: 500 internal error (request id abc)");
    });
    server.enqueue(response("403 Forbidden", "Content-Type: text/html\r\n", "<b>no</b>".getBytes(StandardCharsets.US_ASCII)));
    assertThatThrownBy(() -> client().build().enroll(csr)).hasMessage("server refused /simpleenroll: 403 Forbidden");
  }

  @Test
  void csrAttrsNoneAndPresent() throws Exception {
    server.enqueue(response("204 No Content", "", new byte[0]))
        .enqueue(response("404 Not Found", "Content-Type: text/plain\r\n", "404 not found\n".getBytes(StandardCharsets.US_ASCII)))
        .enqueue(response("200 OK", "Content-Type: application/csrattrs\r\n",
            EstBase64.encode(org.est4j.protocol.CsrAttrs.rfc7030Example().encoded())));
    EstClient c = client().build();
    assertThat(c.csrAttrs().isEmpty()).isTrue();
    assertThat(c.csrAttrs().isEmpty()).isTrue();
    assertThat(c.csrAttrs()).isEqualTo(org.est4j.protocol.CsrAttrs.rfc7030Example());
    assertThat(server.requests().get(2).headers()).containsEntry("accept", "application/csrattrs");
  }

  @Test
  void csrFactoryRunsAfterTheHandshake() throws Exception {
    server.enqueue(certs(issued));
    AtomicReference<TlsInfo> seen = new AtomicReference<>();
    client().build().enroll(tls -> {
      seen.set(tls);
      return csr;
    });
    assertThat(seen.get().protocol()).isIn("TLSv1.3", "TLSv1.2");
    assertThat(seen.get().peerCertificates()).containsExactly(pki.server);
    assertThat(EstBase64.decode(server.requests().get(0).body())).isEqualTo(csr);
  }

  @Test
  void untrustedServerIsAConnectionError() throws Exception {
    TestCerts other = TestCerts.create();
    EstClient c = EstClient.builder().server("127.0.0.1:" + server.port()).trust(TrustAnchors.explicit(List.of(other.ca))).build();
    assertThatThrownBy(c::caCerts).isInstanceOf(EstConnectionException.class)
        .hasMessageContaining("127.0.0.1:" + server.port())
        .hasMessageContaining("the server's certificate for 127.0.0.1 is not trusted by the configured trust anchors");
    assertThat(server.requests()).isEmpty();
  }

  @Test
  void reenrollNeedsAnIdentity() {
    assertThatThrownBy(() -> client().build().reenroll(csr)).isInstanceOf(IllegalStateException.class)
        .hasMessageContaining("clientIdentity");
  }

  @Test
  void throughAConnectProxy() throws Exception {
    try (ConnectProxy proxy = new ConnectProxy()) {
      server.enqueue(certs(pki.ca));
      assertThat(client().proxy("127.0.0.1", proxy.port()).build().caCerts()).containsExactly(pki.ca);
      assertThat(proxy.heads).hasSize(1);
      assertThat(proxy.heads.get(0)).startsWith("CONNECT 127.0.0.1:" + server.port() + " HTTP/1.1\r\n")
          .contains("Host: 127.0.0.1:" + server.port() + "\r\n");
      server.enqueue(certs(pki.ca));
      EstClient viaEnv = client().environment(java.util.Map.of("HTTPS_PROXY", "http://127.0.0.1:" + proxy.port()))
          .proxyFromEnvironment().build();
      viaEnv.caCerts();
      assertThat(proxy.heads).hasSize(2);
      server.enqueue(certs(pki.ca));
      client().environment(java.util.Map.of("HTTPS_PROXY", "127.0.0.1:" + proxy.port(), "NO_PROXY", "127.0.0.1"))
          .proxyFromEnvironment().build().caCerts();
      assertThat(proxy.heads).hasSize(2);
    }
  }

  @Test
  void serverKeyGenPartsInAnyOrderAndPkcs1() throws Exception {
    KeyPair rsa = KeyPairs.generate("rsa:2048");
    X509Certificate cert = pki.leaf("kg", rsa);
    byte[] pkcs1 = PrivateKeyInfo.getInstance(rsa.getPrivate().getEncoded()).parsePrivateKey().toASN1Primitive().getEncoded();
    for (byte[] keyDer : List.of(rsa.getPrivate().getEncoded(), pkcs1)) {
      byte[] body = Multipart.encode("b0undary", List.of(
          MultipartPart.base64("application/pkcs7-mime; smime-type=certs-only", CertsOnly.encode(List.of(cert))),
          MultipartPart.base64("application/pkcs8", keyDer)));
      server.enqueue(response("200 OK", "Content-Type: multipart/mixed; boundary=b0undary\r\n", body));
      ServerKeyGenResult r = client().build().serverKeyGen(csr);
      assertThat(r.certificate()).isEqualTo(cert);
      assertThat(r.privateKey().getAlgorithm()).isEqualTo("RSA");
      assertThat(r.privateKey().getEncoded()).isEqualTo(rsa.getPrivate().getEncoded());
    }
    assertThat(server.requests().get(0).headers()).containsEntry("accept", "multipart/mixed");
  }

  @Test
  void serverKeyGenEncryptedKeyIsKeptEncryptedAndAMalformedOneIsReportedOnDecrypt() throws Exception {
    byte[] body = Multipart.encode("b", List.of(
        MultipartPart.base64("application/pkcs7-mime; smime-type=server-generated-key", new byte[] {0x30, 0}),
        MultipartPart.base64("application/pkcs7-mime; smime-type=certs-only", CertsOnly.encode(List.of(issued)))));
    server.enqueue(response("200 OK", "Content-Type: multipart/mixed; boundary=b\r\n", body));
    ServerKeyGenResult r = client().build().serverKeyGen(csr);
    assertThat(r.isEncrypted()).isTrue();
    assertThat(r.encryptedKey()).hasValue(new byte[] {0x30, 0});
    assertThatThrownBy(r::privateKey).isInstanceOf(IllegalStateException.class).hasMessageContaining("encrypted");
    KeyEncryption enc = KeyEncryption.sharedKey(new byte[] {1}, new byte[16]);
    assertThatThrownBy(() -> r.decrypt(enc, List.of(issued))).isInstanceOf(EstResponseException.class)
        .hasMessageContaining("not a CMS ContentInfo");
  }

  @Test
  void anUnencryptedKeyIsRefusedWhenEncryptionWasAsked() throws Exception {
    KeyPair ec = KeyPairs.generate("ec:P-256");
    byte[] body = Multipart.encode("b", List.of(
        MultipartPart.base64("application/pkcs8", ec.getPrivate().getEncoded()),
        MultipartPart.base64("application/pkcs7-mime; smime-type=certs-only", CertsOnly.encode(List.of(issued)))));
    server.enqueue(response("200 OK", "Content-Type: multipart/mixed; boundary=b\r\n", body));
    KeyEncryption enc = KeyEncryption.sharedKey(new byte[] {1}, new byte[16]).verifyWith(List.of(issued));
    assertThatThrownBy(() -> client().build().serverKeyGen(csr, enc)).isInstanceOf(EstResponseException.class)
        .hasMessageContaining("returned the private key unencrypted");
  }
}
