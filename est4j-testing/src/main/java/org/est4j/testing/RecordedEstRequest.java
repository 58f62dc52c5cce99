package org.est4j.testing;

import java.nio.charset.StandardCharsets;
import java.security.cert.X509Certificate;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * A request as a {@link MockEstServer} received it: what the client put on the wire, plus what
 * the TLS handshake revealed about it. Verify these after running the code under test:
 *
 * <pre>{@code
 * RecordedEstRequest request = server.takeRequest();
 * assertThat(request.path()).isEqualTo("/.well-known/est/simpleenroll");
 * assertThat(request.header("Content-Type")).contains("application/pkcs10");
 * assertThat(request.clientCertificates()).isNotEmpty();
 * }</pre>
 *
 * <p>Immutable; the body is copied on the way out.
 */
public final class RecordedEstRequest {
  private final String requestLine;
  private final String method;
  private final String path;
  private final List<Map.Entry<String, String>> headers;
  private final byte[] body;
  private final boolean chunked;
  private final List<X509Certificate> clientCertificates;
  private final String tlsProtocol;
  private final String serverName;
  private final int sequenceNumber;

  RecordedEstRequest(
      String requestLine,
      List<Map.Entry<String, String>> headers,
      byte[] body,
      boolean chunked,
      TlsInfo tls,
      int sequenceNumber) {
    this.requestLine = requestLine;
    String[] parts = requestLine.split(" ", 3);
    this.method = parts[0];
    this.path = parts.length > 1 ? parts[1] : "";
    this.headers = List.copyOf(headers);
    this.body = body;
    this.chunked = chunked;
    this.clientCertificates = tls.peerCertificates();
    this.tlsProtocol = tls.protocol();
    this.serverName = tls.serverName();
    this.sequenceNumber = sequenceNumber;
  }

  /** The request line as sent, without its line break: {@code "POST /path HTTP/1.1"}. */
  public String requestLine() {
    return requestLine;
  }

  public String method() {
    return method;
  }

  /** The request target as sent, with any query: {@code "/.well-known/est/cacerts"}. */
  public String path() {
    return path;
  }

  /** All headers in the order sent, names as spelled by the client. */
  public List<Map.Entry<String, String>> headers() {
    return headers;
  }

  /** The first header named {@code name}, compared case-insensitively. */
  public Optional<String> header(String name) {
    return Headers.first(headers, name);
  }

  /** Every value of the headers named {@code name}, in order. */
  public List<String> headers(String name) {
    return Headers.all(headers, name);
  }

  /** The body after removing any chunked framing. */
  public byte[] body() {
    return body.clone();
  }

  public String bodyUtf8() {
    return new String(body, StandardCharsets.UTF_8);
  }

  /** Whether the body came with {@code Transfer-Encoding: chunked}. */
  public boolean bodyWasChunked() {
    return chunked;
  }

  /** The {@code Content-Length} header's value, or -1 when absent or not a number. */
  public long contentLength() {
    try {
      return header("Content-Length").map(v -> Long.parseLong(v.trim())).orElse(-1L);
    } catch (NumberFormatException e) {
      return -1;
    }
  }

  /** The certificate chain the client presented in the TLS handshake, leaf first; may be empty. */
  public List<X509Certificate> clientCertificates() {
    return clientCertificates;
  }

  /** The negotiated protocol ("TLSv1.3", "TLSv1.2"); empty for plain HTTP. */
  public Optional<String> tlsProtocol() {
    return Optional.ofNullable(tlsProtocol);
  }

  /** The host name the client sent in TLS SNI; empty when none (IP literals are never sent). */
  public Optional<String> serverName() {
    return Optional.ofNullable(serverName);
  }

  /** 0 for the first request on its connection, 1 for the next: more than 0 proves keep-alive. */
  public int sequenceNumber() {
    return sequenceNumber;
  }

  @Override
  public String toString() {
    return requestLine;
  }
}
