package org.est4j.testing;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.ProtocolException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import javax.net.ssl.SSLSocket;
import org.est4j.protocol.CertsOnly;
import org.est4j.protocol.EstBase64;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** What the mock puts on the wire, seen through a raw TLS socket and through curl. */
class MockEstServerWireTest {
  @TempDir Path dir;
  MockEstServer server = new MockEstServer();

  @AfterEach
  void tearDown() throws IOException {
    server.close();
  }

  @Test
  void writesTheScriptedBytesExactly() throws Exception {
    server.enqueue(MockEstResponse.builder()
        .status(200, "Fine")
        .addHeader("X-One", "1")
        .addHeader("x-one", "2")
        .body("hello")
        .build());
    server.start();

    String response = exchange("GET /a HTTP/1.1\r\nHost: localhost\r\nConnection: close\r\n\r\n");

    assertThat(response).isEqualTo(
        "HTTP/1.1 200 Fine\r\nX-One: 1\r\nx-one: 2\r\nContent-Length: 5\r\n\r\nhello");
  }

  @Test
  void chunkedResponseFraming() throws Exception {
    server.enqueue(MockEstResponse.builder().body("hello world").chunked(4).build());
    server.start();

    String response = exchange("GET / HTTP/1.1\r\nHost: localhost\r\nConnection: close\r\n\r\n");

    assertThat(response).isEqualTo("HTTP/1.1 200 OK\r\nTransfer-Encoding: chunked\r\n\r\n"
        + "4\r\nhell\r\n4\r\no wo\r\n3\r\nrld\r\n0\r\n\r\n");
  }

  @Test
  void truncationClosesAfterTheDeclaredLengthIsPromised() throws Exception {
    server.enqueue(MockEstResponse.builder().body("0123456789").truncateBodyAfter(4).build());
    server.start();

    // No "Connection: close": the mock itself ends the connection after four body bytes.
    String response = exchange("GET / HTTP/1.1\r\nHost: localhost\r\n\r\n");

    assertThat(response).isEqualTo("HTTP/1.1 200 OK\r\nContent-Length: 10\r\n\r\n0123");
  }

  @Test
  void parsesChunkedRequestsAndAnswersExpectContinue() throws Exception {
    server.enqueue(MockEstResponse.builder().status(204).build());
    server.start();

    String response = exchange("POST /p HTTP/1.1\r\nHost: localhost\r\nExpect: 100-continue\r\n"
        + "Transfer-Encoding: chunked\r\nConnection: close\r\n\r\n"
        + "3;ext=1\r\nabc\r\n2\r\nde\r\n0\r\nTrailer: x\r\n\r\n");

    assertThat(response).isEqualTo("HTTP/1.1 100 Continue\r\n\r\nHTTP/1.1 204 No Content\r\n\r\n");
    RecordedEstRequest request = server.takeRequest();
    assertThat(request.bodyUtf8()).isEqualTo("abcde");
    assertThat(request.bodyWasChunked()).isTrue();
  }

  @Test
  void malformedRequestIsAnswered400AndReported() throws Exception {
    server.timeout(Duration.ofMillis(500)).start();

    String response = exchange("GARBAGE\r\n\r\n");

    assertThat(response).startsWith("HTTP/1.1 400 Bad Request\r\n").contains("malformed request line: GARBAGE");
    assertThat(server.errors()).singleElement().isInstanceOf(ProtocolException.class);
    assertThatThrownBy(() -> server.takeRequest())
        .isInstanceOf(IllegalStateException.class)
        .hasMessageContaining("1 server-side errors")
        .satisfies(e -> assertThat(e.getSuppressed()).hasSize(1));
  }

  @Test
  void badContentLengthIsReported() throws Exception {
    server.start();
    String response = exchange("POST / HTTP/1.1\r\nHost: localhost\r\nContent-Length: ten\r\n\r\n");
    assertThat(response).startsWith("HTTP/1.1 400 ");
    assertThat(server.errors()).singleElement().satisfies(e -> assertThat(e).hasMessageContaining("ten"));
  }

  @Test
  void curlFetchesCaCerts() throws Exception {
    ExternalTool.require("curl");
    server.enqueue(MockEstResponse.certsOnly(List.of(server.pki().root().certificate())));
    server.start();
    Files.writeString(dir.resolve("root.pem"), server.pki().root().certificatePem());

    ExternalTool.Result result = ExternalTool.run(dir, "curl", "-sS", "--fail", "--cacert", "root.pem",
        "-o", "cacerts.b64", server.url("/.well-known/est/cacerts"));

    assertThat(result.exitCode()).as(result.output()).isZero();
    byte[] body = Files.readAllBytes(dir.resolve("cacerts.b64"));
    assertThat(CertsOnly.decode(EstBase64.decode(body))).containsExactly(server.pki().root().certificate());
    RecordedEstRequest request = server.takeRequest();
    assertThat(request.header("User-Agent").orElse("")).startsWith("curl/");
    assertThat(request.clientCertificates()).isEmpty();
  }

  @Test
  void curlPresentsAClientCertificateAndPostsABody() throws Exception {
    ExternalTool.require("curl");
    server.enqueue(MockEstResponse.pending(Duration.ofSeconds(3)));
    server.requireClientCertificate(true).start();
    Files.writeString(dir.resolve("root.pem"), server.pki().root().certificatePem());
    TestCertificate device = server.pki().newClient("curl-device");
    device.writeTo(dir, "device");
    Files.writeString(dir.resolve("csr.b64"), "MIIB\r\n");

    ExternalTool.Result result = ExternalTool.run(dir, "curl", "-sS", "--cacert", "root.pem",
        "--cert", "device.pem", "--key", "device-key.pem", "-H", "Content-Type: application/pkcs10",
        "--data-binary", "@csr.b64", "-o", "/dev/null", "-w", "%{http_code}",
        server.url("/.well-known/est/simpleenroll"));

    assertThat(result.output()).isEqualTo("202");
    RecordedEstRequest request = server.takeRequest();
    assertThat(request.method()).isEqualTo("POST");
    assertThat(request.bodyUtf8()).isEqualTo("MIIB\r\n");
    assertThat(request.contentLength()).isEqualTo(6);
    assertThat(request.clientCertificates().get(0)).isEqualTo(device.certificate());
  }

  /** Sends raw bytes over TLS (trusting the PKI root) and reads until the server closes. */
  private String exchange(String request) throws IOException {
    try (SSLSocket socket = (SSLSocket) server.pki().clientSslContext().getSocketFactory()
        .createSocket("localhost", server.port())) {
      socket.setSoTimeout(10_000);
      OutputStream out = socket.getOutputStream();
      out.write(request.getBytes(StandardCharsets.ISO_8859_1));
      out.flush();
      InputStream in = socket.getInputStream();
      ByteArrayOutputStream received = new ByteArrayOutputStream();
      byte[] buffer = new byte[4096];
      try {
        for (int n; (n = in.read(buffer)) >= 0; ) {
          received.write(buffer, 0, n);
        }
      } catch (IOException e) {
        // a reset after a close is still the end of the response for this purpose
      }
      return received.toString(StandardCharsets.ISO_8859_1);
    }
  }
}
