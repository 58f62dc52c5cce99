package org.est4j.client.internal;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.BufferedInputStream;
import java.io.IOException;
import java.net.InetAddress;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import org.est4j.client.ScriptedServer;
import org.junit.jupiter.api.Test;

/** The response parser on scripted bytes from a real socket. */
class HttpWireTest {
  private static HttpResponse fetch(String raw, int maxBody) throws IOException {
    return fetch(raw.getBytes(StandardCharsets.ISO_8859_1), maxBody);
  }

  private static HttpResponse fetch(byte[] raw, int maxBody) throws IOException {
    try (ScriptedServer server = ScriptedServer.plainWriteOnly().enqueue(raw);
        Socket s = new Socket(InetAddress.getLoopbackAddress(), server.port())) {
      s.setSoTimeout(10_000);
      return HttpWire.read(new BufferedInputStream(s.getInputStream()), maxBody, false);
    }
  }

  @Test
  void contentLength() throws IOException {
    HttpResponse r = fetch("HTTP/1.1 200 OK\r\nContent-Type: text/plain\r\nContent-Length: 5\r\n\r\nhello", 1024);
    assertThat(r.status()).isEqualTo(200);
    assertThat(r.reason()).isEqualTo("OK");
    assertThat(r.header("content-type")).contains("text/plain");
    assertThat(new String(r.body(), StandardCharsets.US_ASCII)).isEqualTo("hello");
  }

  @Test
  void chunkedWithExtensionsAndTrailers() throws IOException {
    HttpResponse r = fetch(
        "HTTP/1.1 200 OK\r\nTransfer-Encoding: chunked\r\n\r\n"
            + "4;name=value\r\nhell\r\n"
            + "1\r\no\r\n"
            + "0;last\r\nX-Trailer: t\r\n\r\n", 1024);
    assertThat(new String(r.body(), StandardCharsets.US_ASCII)).isEqualTo("hello");
  }

  @Test
  void closeDelimitedAndInterimResponses() throws IOException {
    HttpResponse r = fetch("HTTP/1.1 100 Continue\r\n\r\nHTTP/1.0 200\nX: y\n\nuntil close", 1024);
    assertThat(r.status()).isEqualTo(200);
    assertThat(r.reason()).isEmpty();
    assertThat(new String(r.body(), StandardCharsets.US_ASCII)).isEqualTo("until close");
  }

  @Test
  void noBodyFor204() throws IOException {
    HttpResponse r = fetch("HTTP/1.1 204 No Content\r\n\r\n", 1024);
    assertThat(r.status()).isEqualTo(204);
    assertThat(r.body()).isEmpty();
  }

  @Test
  void truncatedContentLengthIsAnError() {
    assertThatThrownBy(() -> fetch("HTTP/1.1 200 OK\r\nContent-Length: 10\r\n\r\nhello", 1024))
        .isInstanceOf(HttpFormatException.class)
        .hasMessageContaining("truncated body")
        .hasMessageContaining("5 of 10");
  }

  @Test
  void truncatedChunkIsAnError() {
    assertThatThrownBy(() -> fetch("HTTP/1.1 200 OK\r\nTransfer-Encoding: chunked\r\n\r\n10\r\nhello", 1024))
        .isInstanceOf(HttpFormatException.class)
        .hasMessageContaining("truncated chunked body");
    assertThatThrownBy(() -> fetch("HTTP/1.1 200 OK\r\nTransfer-Encoding: chunked\r\n\r\n5\r\nhello\r\n", 1024))
        .isInstanceOf(HttpFormatException.class)
        .hasMessageContaining("before the last chunk");
  }

  @Test
  void truncatedHeadIsAnError() {
    assertThatThrownBy(() -> fetch("HTTP/1.1 200 OK\r\nContent-Le", 1024))
        .isInstanceOf(HttpFormatException.class)
        .hasMessageContaining("header section");
    assertThatThrownBy(() -> fetch("", 1024)).hasMessageContaining("without a response");
  }

  @Test
  void oversizedBodiesAreErrors() {
    String big = "x".repeat(2000);
    assertThatThrownBy(() -> fetch("HTTP/1.1 200 OK\r\nContent-Length: 2000\r\n\r\n" + big, 1024))
        .hasMessageContaining("larger than 1024 bytes");
    assertThatThrownBy(() -> fetch("HTTP/1.1 200 OK\r\n\r\n" + big, 1024))
        .hasMessageContaining("larger than 1024 bytes");
    assertThatThrownBy(() -> fetch("HTTP/1.1 200 OK\r\nTransfer-Encoding: chunked\r\n\r\n7d0\r\n" + big + "\r\n0\r\n\r\n", 1024))
        .hasMessageContaining("larger than 1024 bytes");
  }

  @Test
  void headerFloodIsAnError() {
    StringBuilder many = new StringBuilder("HTTP/1.1 200 OK\r\n");
    for (int i = 0; i < 101; i++) {
      many.append("X-").append(i).append(": v\r\n");
    }
    assertThatThrownBy(() -> fetch(many + "Content-Length: 0\r\n\r\n", 1024))
        .hasMessageContaining("more than 100 header fields");
    char[] huge = new char[70_000];
    Arrays.fill(huge, 'a');
    assertThatThrownBy(() -> fetch("HTTP/1.1 200 OK\r\nX-Big: " + new String(huge) + "\r\n\r\n", 1024))
        .hasMessageContaining("larger than 65536 bytes");
  }

  @Test
  void malformedFraming() {
    assertThatThrownBy(() -> fetch("HTTP/1.1 200 OK\r\nContent-Length: 3\r\nContent-Length: 4\r\n\r\nabcd", 1024))
        .hasMessageContaining("conflicting Content-Length");
    assertThatThrownBy(() -> fetch("HTTP/1.1 200 OK\r\nContent-Length: -1\r\n\r\n", 1024))
        .hasMessageContaining("invalid Content-Length");
    assertThatThrownBy(() -> fetch("SSH-2.0-OpenSSH\r\n\r\n", 1024)).hasMessageContaining("not an HTTP/1.x status line");
    assertThatThrownBy(() -> fetch("HTTP/1.1 200 OK\r\nno colon here\r\n\r\n", 1024)).hasMessageContaining("malformed header line");
  }

  @Test
  void requestHeadCarriesContentLengthAndRefusesCrLf() {
    HttpRequest r = new HttpRequest("POST", "/x", List.of(Map.entry("Host", "h")), new byte[] {1, 2, 3});
    assertThat(new String(r.encodeHead(), StandardCharsets.ISO_8859_1))
        .isEqualTo("POST /x HTTP/1.1\r\nHost: h\r\nContent-Length: 3\r\n\r\n");
    HttpRequest bad = new HttpRequest("GET", "/x", List.of(Map.entry("X", "a\r\nHost: evil")), null);
    assertThatThrownBy(bad::encodeHead).isInstanceOf(IllegalArgumentException.class);
  }
}
