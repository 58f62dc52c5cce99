package org.est4j.testing;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.security.cert.X509Certificate;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import javax.net.ssl.SSLContext;
import javax.net.ssl.SSLHandshakeException;
import org.est4j.protocol.CertsOnly;
import org.est4j.protocol.EstBase64;
import org.est4j.protocol.MediaType;
import org.est4j.protocol.Multipart;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** The mock driven by the JDK's HttpClient, the transport est4j-client is built on. */
class MockEstServerTest {
  static final String CACERTS = "/.well-known/est/cacerts";

  MockEstServer server = new MockEstServer();
  List<X509Certificate> caCerts;

  @BeforeEach
  void setUp() {
    caCerts = List.of(server.pki().root().certificate());
  }

  @AfterEach
  void tearDown() throws IOException {
    server.close();
  }

  @Test
  void enqueueThenTakeRequestRoundTrip() throws Exception {
    server.enqueue(MockEstResponse.certsOnly(caCerts));
    server.start();

    byte[] csr = "MIIBcsrbase64==\r\n".getBytes();
    HttpResponse<byte[]> response = send(client(), HttpRequest.newBuilder(uri("/.well-known/est/simpleenroll"))
        .header("Content-Type", "application/pkcs10")
        .header("X-Trace", "one")
        .POST(HttpRequest.BodyPublishers.ofByteArray(csr)));

    assertThat(response.statusCode()).isEqualTo(200);
    assertThat(response.headers().firstValue("content-type")).contains("application/pkcs7-mime; smime-type=certs-only");
    assertThat(CertsOnly.decode(EstBase64.decode(response.body()))).isEqualTo(caCerts);

    RecordedEstRequest request = server.takeRequest();
    assertThat(request.method()).isEqualTo("POST");
    assertThat(request.path()).isEqualTo("/.well-known/est/simpleenroll");
    assertThat(request.requestLine()).isEqualTo("POST /.well-known/est/simpleenroll HTTP/1.1");
    assertThat(request.header("content-type")).contains("application/pkcs10");
    assertThat(request.header("X-TRACE")).contains("one");
    assertThat(request.body()).isEqualTo(csr);
    assertThat(request.contentLength()).isEqualTo(csr.length);
    assertThat(request.bodyWasChunked()).isFalse();
    assertThat(request.tlsProtocol()).contains("TLSv1.3");
    assertThat(request.serverName()).contains("localhost");
    assertThat(request.clientCertificates()).isEmpty();
    assertThat(request.sequenceNumber()).isZero();
    assertThat(server.requestCount()).isEqualTo(1);
    assertThat(server.errors()).isEmpty();
  }

  @Test
  void chunkedRequestBodyIsDecodedAndFlagged() throws Exception {
    server.enqueue(MockEstResponse.builder().build());
    server.start();
    byte[] body = new byte[10_000];
    for (int i = 0; i < body.length; i++) {
      body[i] = (byte) ('a' + i % 26);
    }

    // An InputStream publisher has no known length, so HttpClient sends it chunked.
    send(client(), HttpRequest.newBuilder(uri("/upload"))
        .POST(HttpRequest.BodyPublishers.ofInputStream(() -> new ByteArrayInputStream(body))));

    RecordedEstRequest request = server.takeRequest();
    assertThat(request.bodyWasChunked()).isTrue();
    assertThat(request.contentLength()).isEqualTo(-1);
    assertThat(request.header("Transfer-Encoding")).contains("chunked");
    assertThat(request.body()).isEqualTo(body);
  }

  @Test
  void keepAliveServesSeveralRequestsOnOneConnection() throws Exception {
    server.enqueue(MockEstResponse.certsOnly(caCerts));
    server.enqueue(MockEstResponse.error(404, "no such label"));
    server.start();
    HttpClient client = client();

    assertThat(send(client, HttpRequest.newBuilder(uri(CACERTS))).statusCode()).isEqualTo(200);
    HttpResponse<byte[]> second = send(client, HttpRequest.newBuilder(uri("/.well-known/est/x/cacerts")));

    assertThat(second.statusCode()).isEqualTo(404);
    assertThat(new String(second.body())).isEqualTo("404 no such label\n");
    assertThat(server.takeRequest().sequenceNumber()).isZero();
    assertThat(server.takeRequest().sequenceNumber()).isEqualTo(1);
  }

  @Test
  void emptyScriptAnswers503SayingSo() throws Exception {
    server.start();
    HttpResponse<byte[]> response = send(client(), HttpRequest.newBuilder(uri(CACERTS)));
    assertThat(response.statusCode()).isEqualTo(503);
    assertThat(new String(response.body())).contains("no response enqueued", "GET " + CACERTS);
  }

  @Test
  void dispatcherChoosesResponsesAndItsFailuresAreVisible() throws Exception {
    server.setDispatcher(request -> {
      if (request.path().endsWith("/cacerts")) {
        return MockEstResponse.certsOnly(caCerts);
      }
      throw new IllegalStateException("unexpected " + request.path());
    });
    server.start();
    HttpClient client = client();

    assertThat(send(client, HttpRequest.newBuilder(uri(CACERTS))).statusCode()).isEqualTo(200);
    HttpResponse<byte[]> failed = send(client, HttpRequest.newBuilder(uri("/other")));

    assertThat(failed.statusCode()).isEqualTo(500);
    assertThat(new String(failed.body())).contains("unexpected /other");
    assertThat(server.errors()).singleElement().isInstanceOf(IllegalStateException.class);
  }

  @Test
  void truncatedBodyIsAPrematureEndOfStream() throws Exception {
    server.enqueue(MockEstResponse.certsOnly(caCerts).toBuilder().truncateBodyAfter(10).build());
    server.start();

    assertThatThrownBy(() -> send(client(), HttpRequest.newBuilder(uri(CACERTS))))
        .isInstanceOf(IOException.class);
    assertThat(server.takeRequest().path()).isEqualTo(CACERTS);
  }

  @Test
  void chunkedResponseIsDecodedByHttpClient() throws Exception {
    MockEstResponse certsOnly = MockEstResponse.certsOnly(caCerts);
    server.enqueue(certsOnly.toBuilder().chunked(7).build());
    server.start();

    HttpResponse<byte[]> response = send(client(), HttpRequest.newBuilder(uri(CACERTS)));

    assertThat(response.headers().firstValue("Transfer-Encoding")).contains("chunked");
    assertThat(response.headers().firstValue("Content-Length")).isEmpty();
    assertThat(response.body()).isEqualTo(certsOnly.body());
  }

  @Test
  void bodyDelimitedByConnectionClose() throws Exception {
    MockEstResponse certsOnly = MockEstResponse.certsOnly(caCerts);
    server.enqueue(certsOnly.toBuilder().withoutContentLength().build());
    server.start();

    HttpResponse<byte[]> response = send(client(), HttpRequest.newBuilder(uri(CACERTS)));

    assertThat(response.headers().firstValue("Content-Length")).isEmpty();
    assertThat(response.body()).isEqualTo(certsOnly.body());
  }

  @Test
  void disconnectAtStartSendsNothing() throws Exception {
    server.enqueue(MockEstResponse.builder().disconnectAtStart().build());
    server.start();

    // POST: HttpClient does not retry it, so the dropped connection reaches the caller.
    assertThatThrownBy(() -> send(client(), HttpRequest.newBuilder(uri("/.well-known/est/simpleenroll"))
            .POST(HttpRequest.BodyPublishers.ofString("csr"))))
        .isInstanceOf(IOException.class);
    assertThat(server.takeRequest().bodyUtf8()).isEqualTo("csr"); // the request was still read
  }

  @Test
  void httpClientRetriesAGetOnceWhenTheConnectionDropsBeforeAnyResponse() throws Exception {
    // Worth knowing when scripting client tests: JDK HttpClient silently resends an idempotent
    // request whose connection closed before any response, so a GET consumes two responses.
    server.enqueue(MockEstResponse.builder().disconnectAtStart().build());
    server.enqueue(MockEstResponse.certsOnly(caCerts));
    server.start();

    assertThat(send(client(), HttpRequest.newBuilder(uri(CACERTS))).statusCode()).isEqualTo(200);
    assertThat(server.requestCount()).isEqualTo(2);
  }

  @Test
  void bodyDelayAndThrottleSlowTheBodyDown() throws Exception {
    server.enqueue(MockEstResponse.builder().body(new byte[300]).bodyDelay(Duration.ofMillis(300)).build());
    server.enqueue(MockEstResponse.builder().body(new byte[300]).throttle(1000).build());
    server.start();
    HttpClient client = client();

    for (int i = 0; i < 2; i++) {
      Instant start = Instant.now();
      HttpResponse<byte[]> response = send(client, HttpRequest.newBuilder(uri("/slow")));
      assertThat(response.body()).hasSize(300);
      assertThat(Duration.between(start, Instant.now())).isGreaterThanOrEqualTo(Duration.ofMillis(190));
    }
  }

  @Test
  void serverKeyGenMultipartArrivesAsTwoParts() throws Exception {
    TestCertificate device = server.pki().newClient("device");
    server.enqueue(MockEstResponse.serverKeyGen(device.keyPair().getPrivate().getEncoded(), device.certificate()));
    server.start();

    HttpResponse<byte[]> response = send(client(), HttpRequest.newBuilder(uri("/.well-known/est/serverkeygen"))
        .POST(HttpRequest.BodyPublishers.ofString("csr")));

    MediaType type = MediaType.parse(response.headers().firstValue("Content-Type").orElseThrow());
    assertThat(Multipart.decode(type, response.body())).hasSize(2);
  }

  @Test
  void unauthorizedAndPendingHeadersReachTheClient() throws Exception {
    server.enqueue(MockEstResponse.unauthorized("est"));
    server.enqueue(MockEstResponse.pending(Duration.ofSeconds(5)));
    server.start();
    HttpClient client = client();

    HttpResponse<byte[]> unauthorized = send(client, HttpRequest.newBuilder(uri("/a")));
    assertThat(unauthorized.statusCode()).isEqualTo(401);
    assertThat(unauthorized.headers().firstValue("WWW-Authenticate")).contains("Basic realm=\"est\"");
    HttpResponse<byte[]> pending = send(client, HttpRequest.newBuilder(uri("/b")));
    assertThat(pending.statusCode()).isEqualTo(202);
    assertThat(pending.headers().firstValue("Retry-After")).contains("5");
  }

  @Test
  void recordsTheClientCertificateChain() throws Exception {
    server.enqueue(MockEstResponse.builder().build());
    server.start();
    TestCertificate device = server.pki().newClient("device-1");

    send(client(server.pki().clientSslContext(device)), HttpRequest.newBuilder(uri("/.well-known/est/simplereenroll")));

    RecordedEstRequest request = server.takeRequest();
    assertThat(request.clientCertificates())
        .containsExactly(device.certificate(), server.pki().intermediate().certificate());
  }

  @Test
  void requiredClientCertificateRejectsAnonymousClients() throws Exception {
    server.requireClientCertificate(true).start();

    assertThatThrownBy(() -> send(client(), HttpRequest.newBuilder(uri(CACERTS))))
        .isInstanceOf(IOException.class);
    assertThat(server.requestCount()).isZero();
    awaitErrors();
    assertThat(server.errors()).first().isInstanceOf(SSLHandshakeException.class);
  }

  @Test
  void clientCertificateFromAnUntrustedIssuerFailsTheHandshake() throws Exception {
    server.start();
    TestPki other = TestPki.create();
    SSLContext tls = TestPki.serverSslContext(other.newClient("stranger"), List.of(server.pki().root().certificate()));

    assertThatThrownBy(() -> send(client(tls), HttpRequest.newBuilder(uri(CACERTS))))
        .isInstanceOf(IOException.class);
    awaitErrors();
    assertThat(server.errors()).first().isInstanceOf(SSLHandshakeException.class);
  }

  @Test
  void presentsAnotherServerCertificate() throws Exception {
    Instant past = Instant.now().minus(Duration.ofDays(3));
    TestCertificate expired = TestCertificate.builder()
        .commonName("localhost").addDnsName("localhost").serverAuth()
        .validity(past, past.plus(Duration.ofDays(1)))
        .signedBy(server.pki().intermediate())
        .build();
    server.serverCertificate(expired).start();

    assertThatThrownBy(() -> send(client(), HttpRequest.newBuilder(uri(CACERTS))))
        .isInstanceOf(SSLHandshakeException.class);
  }

  @Test
  void tls12Only() throws Exception {
    server.enqueue(MockEstResponse.builder().build());
    server.tlsProtocols("TLSv1.2").start();
    send(client(), HttpRequest.newBuilder(uri(CACERTS)));
    assertThat(server.takeRequest().tlsProtocol()).contains("TLSv1.2");
  }

  @Test
  void plainHttp() throws Exception {
    server.enqueue(MockEstResponse.certsOnly(caCerts));
    server.useTls(false).start();
    assertThat(server.url("/x")).isEqualTo("http://localhost:" + server.port() + "/x");
    assertThat(server.hostAndPort()).isEqualTo("127.0.0.1:" + server.port());

    HttpResponse<byte[]> response = send(HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).build(),
        HttpRequest.newBuilder(uri(CACERTS)));

    assertThat(response.statusCode()).isEqualTo(200);
    RecordedEstRequest request = server.takeRequest();
    assertThat(request.tlsProtocol()).isEmpty();
    assertThat(request.clientCertificates()).isEmpty();
  }

  @Test
  void takeRequestTimesOutInsteadOfHanging() throws Exception {
    server.timeout(Duration.ofMillis(200)).start();
    assertThatThrownBy(() -> server.takeRequest())
        .isInstanceOf(IllegalStateException.class)
        .hasMessageContaining("no request within 200 ms");
  }

  @Test
  void configurationIsFrozenOnceStartedAndCloseIsIdempotent() throws Exception {
    assertThatThrownBy(() -> server.port()).isInstanceOf(IllegalStateException.class);
    server.start();
    assertThatThrownBy(() -> server.useTls(false)).isInstanceOf(IllegalStateException.class);
    assertThat(server.url("/p")).isEqualTo("https://localhost:" + server.port() + "/p");
    server.close();
    server.close();
    assertThatThrownBy(() -> send(client(), HttpRequest.newBuilder(uri(CACERTS)))).isInstanceOf(IOException.class);
  }

  private void awaitErrors() throws InterruptedException {
    // The server records a failed handshake on its own thread, possibly after the client gave up.
    for (int i = 0; i < 100 && server.errors().isEmpty(); i++) {
      Thread.sleep(20);
    }
  }

  private URI uri(String path) {
    return URI.create(server.url(path));
  }

  private HttpClient client() {
    return client(server.pki().clientSslContext());
  }

  private static HttpClient client(SSLContext tls) {
    return HttpClient.newBuilder()
        .sslContext(tls)
        .version(HttpClient.Version.HTTP_1_1)
        .connectTimeout(Duration.ofSeconds(5))
        .build();
  }

  private static HttpResponse<byte[]> send(HttpClient client, HttpRequest.Builder request)
      throws IOException, InterruptedException {
    return client.send(request.timeout(Duration.ofSeconds(10)).build(), HttpResponse.BodyHandlers.ofByteArray());
  }
}
