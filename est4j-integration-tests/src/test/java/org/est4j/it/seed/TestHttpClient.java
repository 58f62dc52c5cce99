package org.est4j.it.seed;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.security.PrivateKey;
import java.security.Principal;
import java.security.SecureRandom;
import java.security.cert.X509Certificate;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Base64;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.TreeMap;
import javax.net.ssl.KeyManager;
import javax.net.ssl.SSLContext;
import javax.net.ssl.SSLEngine;
import javax.net.ssl.SSLParameters;
import javax.net.ssl.SSLSocket;
import javax.net.ssl.TrustManager;
import javax.net.ssl.X509ExtendedKeyManager;
import org.est4j.testing.TestPki;

/**
 * The tests' HTTPS client. Ordinary requests go through {@link java.net.http.HttpClient}
 * (HTTP/1.1, trusting only the server's root, an optional client certificate); requests that
 * need a Host header of their own, a hand-made request line or chunking under our control go
 * over a raw {@link SSLSocket} speaking HTTP/1.1 by hand. Immutable: the {@code with*} methods
 * return configured copies.
 */
final class TestHttpClient {
  static final String PREFIX = "/.well-known/est";

  private final int port;
  private final X509Certificate root;
  private final PrivateKey clientKey;
  private final List<X509Certificate> clientChain;
  private final String hostHeader;
  private final String basic;
  private final SSLContext ssl;
  private volatile HttpClient http;

  TestHttpClient(int port, X509Certificate root) {
    this(port, root, null, null, null, null);
  }

  private TestHttpClient(
      int port, X509Certificate root, PrivateKey key, List<X509Certificate> chain, String hostHeader, String basic) {
    this.port = port;
    this.root = root;
    this.clientKey = key;
    this.clientChain = chain;
    this.hostHeader = hostHeader;
    this.basic = basic;
    this.ssl = sslContext(root, key, chain);
  }

  TestHttpClient withClientCertificate(PrivateKey key, List<X509Certificate> chain) {
    return new TestHttpClient(port, root, key, List.copyOf(chain), hostHeader, basic);
  }

  /** Sends this Host header (over the raw socket, since java.net.http will not). */
  TestHttpClient withHost(String host) {
    return new TestHttpClient(port, root, clientKey, clientChain, host, basic);
  }

  TestHttpClient withBasic(String user, String password) {
    String token = Base64.getEncoder().encodeToString((user + ":" + password).getBytes(StandardCharsets.UTF_8));
    return new TestHttpClient(port, root, clientKey, clientChain, hostHeader, "Basic " + token);
  }

  TestHttpClient withoutBasic() {
    return new TestHttpClient(port, root, clientKey, clientChain, hostHeader, null);
  }

  int port() {
    return port;
  }

  /** A response: status, headers (names case-insensitive), body. */
  record Response(int status, Map<String, List<String>> headers, byte[] body) {
    String text() {
      return new String(body, StandardCharsets.UTF_8);
    }

    String header(String name) {
      List<String> v = headers.get(name);
      return v == null || v.isEmpty() ? null : v.get(0);
    }

    @Override
    public String toString() {
      return status + " " + headers + " " + text();
    }
  }

  Response get(String path) throws IOException {
    return request("GET", path, Map.of(), null, false);
  }

  Response head(String path) throws IOException {
    return request("HEAD", path, Map.of(), null, false);
  }

  /** POST with a Content-Length; {@code contentType} null sends no Content-Type. */
  Response post(String path, String contentType, byte[] body) throws IOException {
    return request("POST", path, contentTypeHeader(contentType), body, false);
  }

  /** POST with {@code Transfer-Encoding: chunked}, as the Go client sends. */
  Response postChunked(String path, String contentType, byte[] body) throws IOException {
    return request("POST", path, contentTypeHeader(contentType), body, true);
  }

  private static Map<String, String> contentTypeHeader(String contentType) {
    return contentType == null ? Map.of() : Map.of("Content-Type", contentType);
  }

  /**
   * One request. {@code body} null sends none; {@code chunked} sends it chunked. Uses the raw
   * socket when a Host header is set, else java.net.http.
   */
  Response request(String method, String path, Map<String, String> headers, byte[] body, boolean chunked)
      throws IOException {
    Map<String, String> all = new LinkedHashMap<>();
    if (basic != null) {
      all.put("Authorization", basic);
    }
    all.putAll(headers);
    if (hostHeader != null) {
      return raw(method, path, all, body, chunked);
    }
    HttpRequest.BodyPublisher publisher;
    if (body == null) {
      publisher = HttpRequest.BodyPublishers.noBody();
    } else if (chunked) {
      // ofInputStream has an unknown length: java.net.http sends it chunked
      publisher = HttpRequest.BodyPublishers.ofInputStream(() -> new ByteArrayInputStream(body));
    } else {
      publisher = HttpRequest.BodyPublishers.ofByteArray(body);
    }
    HttpRequest.Builder b =
        HttpRequest.newBuilder(URI.create("https://localhost:" + port + path))
            .timeout(Duration.ofSeconds(30))
            .method(method, publisher);
    all.forEach(b::header);
    try {
      HttpResponse<byte[]> r = client().send(b.build(), HttpResponse.BodyHandlers.ofByteArray());
      Map<String, List<String>> h = new TreeMap<>(String.CASE_INSENSITIVE_ORDER);
      h.putAll(r.headers().map());
      return new Response(r.statusCode(), h, r.body());
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IOException(e);
    }
  }

  /** A request written by hand over TLS; the Host header is {@link #withHost}'s or localhost:port. */
  Response raw(String method, String path, Map<String, String> headers, byte[] body, boolean chunked)
      throws IOException {
    Map<String, String> all = new LinkedHashMap<>();
    all.put("Host", hostHeader != null ? hostHeader : "localhost:" + port);
    if (basic != null) {
      all.put("Authorization", basic);
    }
    all.putAll(headers);
    if (body != null) {
      if (chunked) {
        all.put("Transfer-Encoding", "chunked");
      } else {
        all.put("Content-Length", Integer.toString(body.length));
      }
    }
    all.put("Connection", "close");
    StringBuilder head = new StringBuilder(method + " " + path + " HTTP/1.1\r\n");
    all.forEach((k, v) -> head.append(k).append(": ").append(v).append("\r\n"));
    head.append("\r\n");
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    out.writeBytes(head.toString().getBytes(StandardCharsets.ISO_8859_1));
    if (body != null) {
      out.writeBytes(chunked ? chunk(body) : body);
    }
    return rawTls(out.toByteArray(), method.equals("HEAD"));
  }

  /** Writes {@code request} verbatim over TLS and reads one response. */
  Response rawTls(byte[] request, boolean head) throws IOException {
    SSLSocket socket = (SSLSocket) ssl.getSocketFactory().createSocket();
    try (socket) {
      socket.connect(new InetSocketAddress("localhost", port), 10_000);
      socket.setSoTimeout(30_000);
      SSLParameters p = socket.getSSLParameters();
      p.setEndpointIdentificationAlgorithm("HTTPS");
      socket.setSSLParameters(p);
      socket.startHandshake();
      return exchange(socket, request, head);
    }
  }

  /** Writes {@code request} over plain TCP to the TLS port. */
  Response plainHttp(byte[] request) throws IOException {
    try (Socket socket = new Socket()) {
      socket.connect(new InetSocketAddress("localhost", port), 10_000);
      socket.setSoTimeout(30_000);
      return exchange(socket, request, false);
    }
  }

  /**
   * Writes in a background thread, so a server that answers (and closes) before reading a large
   * body does not dead-lock us; a write failure after the answer is expected and ignored.
   */
  private static Response exchange(Socket socket, byte[] request, boolean head) throws IOException {
    OutputStream out = socket.getOutputStream();
    Thread writer =
        new Thread(
            () -> {
              try {
                for (int i = 0; i < request.length; i += 16 * 1024) {
                  out.write(request, i, Math.min(16 * 1024, request.length - i));
                }
                out.flush();
              } catch (IOException ignored) {
                // the server answered early and closed: the response tells
              }
            },
            "raw-http-writer");
    writer.setDaemon(true);
    writer.start();
    Response r = readResponse(socket.getInputStream(), head);
    try {
      writer.join(5_000);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
    return r;
  }

  static byte[] chunk(byte[] body) {
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    for (int i = 0; i < body.length; i += 1000) {
      int n = Math.min(1000, body.length - i);
      out.writeBytes((Integer.toHexString(n) + "\r\n").getBytes(StandardCharsets.US_ASCII));
      out.write(body, i, n);
      out.writeBytes("\r\n".getBytes(StandardCharsets.US_ASCII));
    }
    out.writeBytes("0\r\n\r\n".getBytes(StandardCharsets.US_ASCII));
    return out.toByteArray();
  }

  private static Response readResponse(InputStream in, boolean head) throws IOException {
    String status = line(in);
    if (status == null) {
      throw new IOException("connection closed before a response");
    }
    String[] parts = status.split(" ", 3);
    int code = Integer.parseInt(parts[1]);
    Map<String, List<String>> headers = new TreeMap<>(String.CASE_INSENSITIVE_ORDER);
    for (String l = line(in); l != null && !l.isEmpty(); l = line(in)) {
      int colon = l.indexOf(':');
      headers.computeIfAbsent(l.substring(0, colon).trim(), k -> new ArrayList<>()).add(l.substring(colon + 1).trim());
    }
    byte[] body;
    List<String> te = headers.get("Transfer-Encoding");
    List<String> cl = headers.get("Content-Length");
    if (head || code == 204 || code == 304 || code / 100 == 1) {
      body = new byte[0];
    } else if (te != null && te.get(0).toLowerCase(Locale.ROOT).contains("chunked")) {
      ByteArrayOutputStream out = new ByteArrayOutputStream();
      while (true) {
        String size = line(in);
        int n = Integer.parseInt(size.split(";")[0].trim(), 16);
        if (n == 0) {
          while (!line(in).isEmpty()) {
            // trailers
          }
          break;
        }
        out.writeBytes(in.readNBytes(n));
        line(in);
      }
      body = out.toByteArray();
    } else if (cl != null) {
      body = in.readNBytes(Integer.parseInt(cl.get(0)));
    } else {
      body = in.readAllBytes();
    }
    return new Response(code, headers, body);
  }

  private static String line(InputStream in) throws IOException {
    ByteArrayOutputStream b = new ByteArrayOutputStream();
    int c;
    while ((c = in.read()) >= 0) {
      if (c == '\n') {
        byte[] a = b.toByteArray();
        int n = a.length > 0 && a[a.length - 1] == '\r' ? a.length - 1 : a.length;
        return new String(a, 0, n, StandardCharsets.ISO_8859_1);
      }
      b.write(c);
    }
    return b.size() == 0 ? null : b.toString(StandardCharsets.ISO_8859_1);
  }

  private HttpClient client() {
    HttpClient c = http;
    if (c == null) {
      c = HttpClient.newBuilder()
          .version(HttpClient.Version.HTTP_1_1)
          .sslContext(ssl)
          .connectTimeout(Duration.ofSeconds(10))
          .build();
      http = c;
    }
    return c;
  }

  private static SSLContext sslContext(X509Certificate root, PrivateKey key, List<X509Certificate> chain) {
    try {
      SSLContext context = SSLContext.getInstance("TLS");
      KeyManager[] kms = key == null ? null : new KeyManager[] {new FixedKeyManager(key, chain)};
      context.init(kms, new TrustManager[] {TestPki.trustManagerTrusting(root)}, new SecureRandom());
      return context;
    } catch (Exception e) {
      throw new IllegalStateException(e);
    }
  }

  /** Always offers the one client certificate, whatever issuers the server hints at. */
  private static final class FixedKeyManager extends X509ExtendedKeyManager {
    private static final String ALIAS = "client";
    private final PrivateKey key;
    private final X509Certificate[] chain;

    FixedKeyManager(PrivateKey key, List<X509Certificate> chain) {
      this.key = key;
      this.chain = chain.toArray(new X509Certificate[0]);
    }

    @Override
    public String[] getClientAliases(String keyType, Principal[] issuers) {
      return new String[] {ALIAS};
    }

    @Override
    public String chooseClientAlias(String[] keyType, Principal[] issuers, Socket socket) {
      return ALIAS;
    }

    @Override
    public String chooseEngineClientAlias(String[] keyType, Principal[] issuers, SSLEngine engine) {
      return ALIAS;
    }

    @Override
    public String[] getServerAliases(String keyType, Principal[] issuers) {
      return null;
    }

    @Override
    public String chooseServerAlias(String keyType, Principal[] issuers, Socket socket) {
      return null;
    }

    @Override
    public X509Certificate[] getCertificateChain(String alias) {
      return chain.clone();
    }

    @Override
    public PrivateKey getPrivateKey(String alias) {
      return key;
    }
  }
}
