package org.est4j.client;

import java.io.IOException;
import java.io.InterruptedIOException;
import java.net.URI;
import java.nio.ByteBuffer;
import java.nio.CharBuffer;
import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.security.cert.X509Certificate;
import java.time.Duration;
import java.util.AbstractMap;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Base64;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;
import javax.net.ssl.KeyManager;
import javax.net.ssl.SSLContext;
import org.est4j.client.internal.Connection;
import org.est4j.client.internal.Exchanger;
import org.est4j.client.internal.HttpRequest;
import org.est4j.client.internal.HttpResponse;
import org.est4j.client.internal.ProxySettings;
import org.est4j.client.internal.Responses;
import org.est4j.client.internal.ServerAddress;
import org.est4j.client.internal.ServerKeyGenParser;
import org.est4j.client.internal.Version;
import org.est4j.protocol.CsrAttrs;
import org.est4j.protocol.EstOperation;
import org.est4j.protocol.EstProtocolException;
import org.est4j.protocol.Labels;
import org.est4j.protocol.MediaTypes;

/**
 * An EST client (RFC 7030, as updated by RFC 8951): one method per operation. Instances are
 * immutable and thread-safe; each call opens its own TLS connection and closes it afterwards
 * (no connection reuse yet).
 *
 * <p>Bootstrap, then enroll (RFC 7030 §4.1.1, §4.2.1):
 *
 * <pre>{@code
 * // 1. Fetch the CA certificates without authenticating the server, check the root out of band.
 * EstClient bootstrap = EstClient.builder()
 *     .server("est.example.com:8443")
 *     .trust(TrustAnchors.insecureBootstrapForCaCertsOnly())
 *     .build();
 * List<X509Certificate> ca = bootstrap.caCerts();              // §4.1
 * X509Certificate root = ca.get(ca.size() - 1);                // compare its fingerprint!
 *
 * // 2. From now on trust only that root.
 * EstClient est = EstClient.builder()
 *     .server("est.example.com:8443")
 *     .trust(TrustAnchors.explicit(List.of(root)))
 *     .basicAuth("alice", password)
 *     .build();
 * CsrAttrs wanted = est.csrAttrs();                            // §4.5
 * KeyPair key = KeyPairs.generate("ec:P-256");
 * byte[] csr = CsrBuilder.create().commonName("device-1").addDnsName("device-1.example").sign(key);
 * X509Certificate cert = est.enrollAndWait(csr, Duration.ofMinutes(5));  // §4.2.1, §4.2.3
 *
 * // 3. Renew with the current certificate as TLS client identity (§4.2.2).
 * EstClient renewer = EstClient.builder().server("est.example.com:8443")
 *     .trust(TrustAnchors.explicit(List.of(root)))
 *     .clientIdentity(ClientIdentity.of(key.getPrivate(), List.of(cert)))
 *     .build();
 * KeyPair next = KeyPairs.generate("ec:P-256");
 * EnrollResult renewed = renewer.reenroll(CsrBuilder.forReenrollment(cert, next).sign(next));
 *
 * // Server-side key generation (§4.4).
 * ServerKeyGenResult kg = est.serverKeyGen(CsrBuilder.create().commonName("d2").sign(key));
 * }</pre>
 */
public final class EstClient {
  /** Path of every EST operation (RFC 7030 §3.2.2). */
  public static final String WELL_KNOWN = "/.well-known/est";

  public static final int DEFAULT_MAX_RESPONSE_BYTES = 1024 * 1024;

  private static final Duration MIN_POLL = Duration.ofSeconds(1);

  private final String host;
  private final int port;
  private final String label;
  private final String basePath;
  private final TrustAnchors trust;
  private final ClientIdentity identity;
  private final Exchanger exchanger;

  private EstClient(Builder b, Exchanger exchanger, String basePath) {
    this.host = b.host;
    this.port = b.port;
    this.label = b.label;
    this.basePath = basePath;
    this.trust = b.trust;
    this.identity = b.identity;
    this.exchanger = exchanger;
  }

  public static Builder builder() {
    return new Builder();
  }

  /**
   * GET /cacerts (RFC 7030 §4.1): the CA certificates in the server's order (est4j and most
   * servers send the issuing CA first and the root last). The only operation allowed with {@link
   * TrustAnchors#insecureBootstrapForCaCertsOnly()}.
   *
   * @throws EstResponseException if the answer is not a non-empty base64 PKCS#7 certs-only
   */
  public List<X509Certificate> caCerts() throws IOException {
    String op = "/cacerts";
    HttpResponse r = exchanger.exchange(op, "GET", path("cacerts"), MediaTypes.PKCS7_MIME, null, null);
    if (r.status() != 200) {
      throw unexpected(op, r);
    }
    Responses.requireType(op, r, MediaTypes.PKCS7_MIME);
    List<X509Certificate> certs = Responses.certsOnly(op, r.body(), "response body");
    if (certs.isEmpty()) {
      throw new EstResponseException(op + ": the server returned no CA certificates");
    }
    return certs;
  }

  /**
   * GET /csrattrs (RFC 7030 §4.5): the attributes the server wants in a CSR. 204 and 404 mean
   * "none" (§4.5.2) and give {@link CsrAttrs#empty()}.
   */
  public CsrAttrs csrAttrs() throws IOException {
    requireAuthenticatedServer("csrAttrs()");
    String op = "/csrattrs";
    HttpResponse r = exchanger.exchange(op, "GET", path("csrattrs"), MediaTypes.CSRATTRS, null, null);
    if (r.status() == 204 || r.status() == 404) {
      return CsrAttrs.empty();
    }
    if (r.status() != 200) {
      throw unexpected(op, r);
    }
    Responses.requireType(op, r, MediaTypes.CSRATTRS);
    byte[] der = Responses.base64(op, r.body(), "response body");
    try {
      return CsrAttrs.decode(der);
    } catch (EstProtocolException e) {
      throw new EstResponseException(op + ": the response is not a CsrAttrs structure: " + e.getMessage(), e);
    }
  }

  /**
   * POST /simpleenroll (RFC 7030 §4.2.1) with a DER PKCS#10 CSR.
   *
   * <pre>{@code
   * EnrollResult r = client.enroll(CsrBuilder.create().commonName("device-1").sign(keyPair));
   * }</pre>
   *
   * @return {@link EnrollResult.Issued}, or {@link EnrollResult.Pending} for a 202 (§4.2.3)
   * @throws EstServerException for any other refusal (4xx, 5xx)
   */
  public EnrollResult enroll(byte[] csrDer) throws IOException {
    return enroll(fixed(csrDer));
  }

  /**
   * POST /simpleenroll (RFC 7030 §4.2.1) with a CSR made after the TLS handshake and sent on the
   * same connection (§3.5).
   */
  public EnrollResult enroll(CsrFactory csr) throws IOException {
    requireAuthenticatedServer("enroll()");
    return enrollOn("simpleenroll", csr);
  }

  /**
   * POST /simplereenroll (RFC 7030 §4.2.2): renew (and usually rekey) with the current
   * certificate as TLS client identity. The CSR's Subject and SubjectAltName must equal the
   * certificate's: use {@link CsrBuilder#forReenrollment}.
   *
   * <pre>{@code
   * KeyPair next = KeyPairs.generate("ec:P-256");
   * EnrollResult r = client.reenroll(CsrBuilder.forReenrollment(current, next).sign(next));
   * }</pre>
   *
   * @throws IllegalStateException if the client has no {@link ClientIdentity}
   */
  public EnrollResult reenroll(byte[] csrDer) throws IOException {
    return reenroll(fixed(csrDer));
  }

  /** {@link #reenroll(byte[])} with a CSR made after the TLS handshake. */
  public EnrollResult reenroll(CsrFactory csr) throws IOException {
    requireAuthenticatedServer("reenroll()");
    requireIdentity();
    return enrollOn("simplereenroll", csr);
  }

  /**
   * {@link #enroll(byte[])}, resubmitting the same CSR after each 202's Retry-After (RFC 7030
   * §4.2.3) until the certificate is issued, the server refuses, or waiting again would exceed
   * {@code maxWait}. It never sleeps past the bound: when the next Retry-After does not fit in the
   * remaining time it throws at once.
   *
   * <pre>{@code
   * X509Certificate cert = client.enrollAndWait(csr, Duration.ofHours(1));
   * }</pre>
   *
   * @throws EstPendingException still pending when the bound was reached (carries Retry-After)
   * @throws InterruptedIOException if the thread was interrupted while waiting (flag restored)
   */
  public X509Certificate enrollAndWait(byte[] csrDer, Duration maxWait) throws IOException {
    requireAuthenticatedServer("enrollAndWait()");
    return andWait("simpleenroll", csrDer, maxWait);
  }

  /** {@link #reenroll(byte[])} with the polling of {@link #enrollAndWait}. */
  public X509Certificate reenrollAndWait(byte[] csrDer, Duration maxWait) throws IOException {
    requireAuthenticatedServer("reenrollAndWait()");
    requireIdentity();
    return andWait("simplereenroll", csrDer, maxWait);
  }

  /**
   * POST /serverkeygen (RFC 7030 §4.4): the server generates the key pair; the CSR (signed with
   * any key, whose type the server usually copies) carries the names. Only unencrypted keys
   * (application/pkcs8) are supported yet.
   *
   * <pre>{@code
   * ServerKeyGenResult r = client.serverKeyGen(CsrBuilder.create().commonName("d").sign(throwaway));
   * PrivateKey key = r.privateKey();
   * }</pre>
   *
   * @throws EstPendingException for a 202: resubmit after its Retry-After
   */
  public ServerKeyGenResult serverKeyGen(byte[] csrDer) throws IOException {
    requireAuthenticatedServer("serverKeyGen()");
    Object r = serverKeyGenOnce(csrDer);
    if (r instanceof EnrollResult.Pending) {
      throw new EstPendingException(
          "/serverkeygen: the server accepted the request for later processing; resubmit after "
              + ((EnrollResult.Pending) r).retryAfter().toSeconds() + " s",
          ((EnrollResult.Pending) r).retryAfter());
    }
    return (ServerKeyGenResult) r;
  }

  /**
   * {@link #serverKeyGen(byte[])}, resubmitting the same CSR after each 202's Retry-After (RFC
   * 7030 §4.2.3, which §4.4.2 applies to /serverkeygen) with the polling rules of {@link
   * #enrollAndWait}: at least one second between requests, and never sleeping past {@code maxWait}.
   *
   * <pre>{@code
   * ServerKeyGenResult r = client.serverKeyGenAndWait(csr, Duration.ofMinutes(10));
   * }</pre>
   *
   * @throws EstPendingException still pending when the bound was reached (carries Retry-After)
   * @throws InterruptedIOException if the thread was interrupted while waiting (flag restored)
   */
  public ServerKeyGenResult serverKeyGenAndWait(byte[] csrDer, Duration maxWait) throws IOException {
    requireAuthenticatedServer("serverKeyGenAndWait()");
    Objects.requireNonNull(csrDer, "csrDer");
    return poll("serverkeygen", maxWait, () -> serverKeyGenOnce(csrDer), ServerKeyGenResult.class);
  }

  /** One POST /serverkeygen: a {@link ServerKeyGenResult} or an {@link EnrollResult.Pending}. */
  private Object serverKeyGenOnce(byte[] csrDer) throws IOException {
    String op = "/serverkeygen";
    HttpResponse r =
        exchanger.exchange(op, "POST", path("serverkeygen"), MediaTypes.MULTIPART_MIXED, MediaTypes.PKCS10, fixed(csrDer));
    if (r.status() == 202) {
      return pending(r);
    }
    if (r.status() != 200) {
      throw unexpected(op, r);
    }
    return ServerKeyGenParser.parse(r);
  }

  /** The server as "host:port". */
  public String server() {
    return (host.indexOf(':') >= 0 ? "[" + host + "]" : host) + ":" + port;
  }

  /** The CA label (RFC 7030 §3.2.2), if any. */
  public Optional<String> label() {
    return Optional.ofNullable(label);
  }

  @Override
  public String toString() {
    return "EstClient[https://" + server() + basePath + ", " + trust + "]";
  }

  // ---------------------------------------------------------------------------------------------

  private EnrollResult enrollOn(String operation, CsrFactory csr) throws IOException {
    String op = "/" + operation;
    HttpResponse r =
        exchanger.exchange(op, "POST", path(operation), MediaTypes.PKCS7_MIME, MediaTypes.PKCS10, csr);
    if (r.status() == 202) {
      return pending(r);
    }
    if (r.status() != 200) {
      throw unexpected(op, r);
    }
    Responses.requireType(op, r, MediaTypes.PKCS7_MIME);
    List<X509Certificate> certs = Responses.certsOnly(op, r.body(), "response body");
    if (certs.isEmpty()) {
      throw new EstResponseException(op + ": the server returned no certificate");
    }
    return new EnrollResult.Issued(certs.get(0), certs.subList(1, certs.size()));
  }

  private X509Certificate andWait(String operation, byte[] csrDer, Duration maxWait) throws IOException {
    CsrFactory csr = fixed(csrDer);
    EnrollResult.Issued issued = poll(operation, maxWait, () -> enrollOn(operation, csr), EnrollResult.Issued.class);
    return issued.certificate();
  }

  private interface Attempt {
    /** The result, or an {@link EnrollResult.Pending} for a 202. */
    Object send() throws IOException;
  }

  /** Repeats {@code attempt} after each 202's Retry-After until a {@code type} comes back. */
  private static <T> T poll(String operation, Duration maxWait, Attempt attempt, Class<T> type) throws IOException {
    Objects.requireNonNull(maxWait, "maxWait");
    long deadline = System.nanoTime() + maxWait.toNanos();
    while (true) {
      Object r = attempt.send();
      if (type.isInstance(r)) {
        return type.cast(r);
      }
      EnrollResult.Pending pending = (EnrollResult.Pending) r;
      Duration wait = pending.retryAfter();
      if (wait.compareTo(MIN_POLL) < 0) {
        wait = MIN_POLL; // never poll in a tight loop, whatever the server says
      }
      long remaining = deadline - System.nanoTime();
      if (wait.toNanos() > remaining) {
        throw new EstPendingException(
            "/" + operation + ": still pending after waiting up to " + maxWait.toSeconds()
                + (pending.retryAfterGiven()
                    ? " s; the server asks to retry after " + wait.toSeconds() + " s"
                    : " s; the server gave no Retry-After, the next try would be in "
                        + wait.toSeconds() + " s"),
            pending.retryAfter());
      }
      try {
        Thread.sleep(wait.toMillis());
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        InterruptedIOException ie = new InterruptedIOException("/" + operation + ": interrupted while waiting");
        ie.initCause(e);
        throw ie;
      }
    }
  }

  private static EnrollResult.Pending pending(HttpResponse r) {
    Optional<Duration> retryAfter = Responses.retryAfter(r);
    return new EnrollResult.Pending(retryAfter.orElse(EnrollResult.DEFAULT_RETRY_AFTER), retryAfter.isPresent());
  }

  private static EstException unexpected(String op, HttpResponse r) {
    if (r.status() >= 200 && r.status() < 300) {
      return new EstResponseException(op + ": unexpected status " + r.status() + " (expected 200)");
    }
    return Responses.serverError(op, r);
  }

  private String path(String operation) {
    return basePath + "/" + operation;
  }

  private static CsrFactory fixed(byte[] csrDer) {
    Objects.requireNonNull(csrDer, "csrDer");
    if (csrDer.length == 0) {
      throw new IllegalArgumentException("the CSR is empty");
    }
    byte[] copy = csrDer.clone();
    return tls -> copy;
  }

  private void requireAuthenticatedServer(String operation) {
    if (trust.isInsecure()) {
      throw new IllegalStateException(
          operation + " is not allowed with TrustAnchors.insecureBootstrapForCaCertsOnly(): the"
              + " server is not authenticated. Fetch the CA certificates with caCerts(), check the"
              + " root's fingerprint out of band, then build a client with TrustAnchors.explicit(root).");
    }
  }

  private void requireIdentity() {
    if (identity == null) {
      throw new IllegalStateException(
          "reenrollment (RFC 7030 §4.2.2) authenticates with the current certificate: configure"
              + " clientIdentity(...) on the builder");
    }
  }

  /**
   * Builds an {@link EstClient}. {@link #server} and {@link #trust} are required; everything is
   * checked in {@link #build()}.
   */
  public static final class Builder {
    private static final Set<String> RESERVED_HEADERS =
        Set.of("host", "content-length", "transfer-encoding", "connection", "content-type",
            "content-transfer-encoding", "accept");

    private String host;
    private int port;
    private String serverError;
    private String label;
    private TrustAnchors trust;
    private ClientIdentity identity;
    private String basicUser;
    private char[] basicPassword;
    private boolean preemptive;
    private final List<Map.Entry<String, String>> headers = new ArrayList<>();
    private String hostHeader;
    private Duration connectTimeout = Duration.ofSeconds(30);
    private Duration readTimeout = Duration.ofSeconds(60);
    private int maxResponseBytes = DEFAULT_MAX_RESPONSE_BYTES;
    private ProxySettings proxy;
    private boolean proxyFromEnvironment;
    private Map<String, String> environment = System.getenv();

    private Builder() {}

    /** "host:port", "host" (port 443) or "[v6addr]:port". */
    public Builder server(String hostPort) {
      Objects.requireNonNull(hostPort, "hostPort");
      return server(() -> ServerAddress.parse(hostPort));
    }

    /**
     * An https URI such as {@code https://est.example.com:8443} or {@code
     * https://est.example.com/.well-known/est}; any other path (a prefix before {@code
     * /.well-known/est}, or a label: use {@link #label}) is an error.
     */
    public Builder server(URI uri) {
      Objects.requireNonNull(uri, "uri");
      return server(() -> ServerAddress.parse(uri));
    }

    /** Keeps the parse error for {@link #build()}, which reports every problem the same way. */
    private Builder server(java.util.function.Supplier<ServerAddress> parse) {
      serverError = null;
      try {
        ServerAddress address = parse.get();
        host = address.host();
        port = address.port();
      } catch (IllegalArgumentException e) {
        serverError = e.getMessage();
      }
      return this;
    }

    /**
     * The CA label (RFC 7030 §3.2.2): {@code /.well-known/est/<label>/<operation>}. Checked with
     * {@link Labels} in {@link #build()}: one RFC 3986 path segment, not a dot segment. Unlike
     * {@link Labels}, a label spelled like an operation ({@code csrattrs}) is accepted, because
     * the Go seed's test server uses it and the path stays unambiguous.
     */
    public Builder label(String label) {
      this.label = label;
      return this;
    }

    /** Required: how the server is authenticated. */
    public Builder trust(TrustAnchors trust) {
      this.trust = Objects.requireNonNull(trust, "trust");
      return this;
    }

    /** The TLS client certificate and key (RFC 7030 §3.3.2); required for reenroll. */
    public Builder clientIdentity(ClientIdentity identity) {
      this.identity = Objects.requireNonNull(identity, "identity");
      return this;
    }

    /**
     * HTTP Basic credentials (RFC 7030 §3.2.3), sent only in answer to a Basic challenge from an
     * authenticated server (or at once with {@link #preemptiveBasicAuth}). The password is
     * copied; clear your array afterwards.
     */
    public Builder basicAuth(String user, char[] password) {
      this.basicUser = Objects.requireNonNull(user, "user");
      this.basicPassword = Objects.requireNonNull(password, "password").clone();
      return this;
    }

    /** Send Basic credentials with the first request instead of waiting for a 401 (default false). */
    public Builder preemptiveBasicAuth(boolean preemptive) {
      this.preemptive = preemptive;
      return this;
    }

    /** An extra request header (repeatable). Host, Content-Length and the framing headers are refused. */
    public Builder header(String name, String value) {
      headers.add(new AbstractMap.SimpleImmutableEntry<>(
          Objects.requireNonNull(name, "name"), Objects.requireNonNull(value, "value")));
      return this;
    }

    /**
     * The Host header to send instead of the server's host:port (for servers behind a proxy that
     * route by name). TLS SNI and certificate verification still use the server's host name.
     */
    public Builder hostHeader(String hostHeader) {
      this.hostHeader = Objects.requireNonNull(hostHeader, "hostHeader");
      return this;
    }

    /** TCP connect timeout (default 30 s; zero = none). */
    public Builder connectTimeout(Duration timeout) {
      this.connectTimeout = Objects.requireNonNull(timeout, "timeout");
      return this;
    }

    /** Timeout of each read, including the TLS handshake (default 60 s; zero = none). */
    public Builder readTimeout(Duration timeout) {
      this.readTimeout = Objects.requireNonNull(timeout, "timeout");
      return this;
    }

    /** The largest response body accepted (default 1 MiB). */
    public Builder maxResponseBytes(int max) {
      this.maxResponseBytes = max;
      return this;
    }

    /** Connect through this HTTP proxy with CONNECT. */
    public Builder proxy(String host, int port) {
      if (port < 1 || port > 65535) {
        throw new IllegalArgumentException("proxy port out of range: " + port);
      }
      this.proxy = new ProxySettings(Objects.requireNonNull(host, "host"), port, null);
      this.proxyFromEnvironment = false;
      return this;
    }

    /**
     * Use {@code HTTPS_PROXY}/{@code https_proxy} unless {@code NO_PROXY}/{@code no_proxy} lists
     * the server (exact host, domain suffix, or {@code *}). Read in {@link #build()}.
     */
    public Builder proxyFromEnvironment() {
      this.proxyFromEnvironment = true;
      this.proxy = null;
      return this;
    }

    /** For tests: the environment {@link #proxyFromEnvironment()} reads. */
    Builder environment(Map<String, String> env) {
      this.environment = Map.copyOf(env);
      return this;
    }

    public EstClient build() {
      if (serverError != null) {
        throw new IllegalArgumentException(serverError);
      }
      if (host == null) {
        throw new IllegalStateException("server(...) is required");
      }
      if (trust == null) {
        throw new IllegalStateException(
            "trust(...) is required: TrustAnchors.explicit(root) normally, or"
                + " TrustAnchors.insecureBootstrapForCaCertsOnly() to fetch /cacerts the first time");
      }
      String basePath = WELL_KNOWN;
      if (label != null) {
        try {
          Labels.check(label);
        } catch (EstProtocolException e) {
          // A label spelled like an operation is still unambiguous on the wire (an operation
          // always follows it), and the Go seed's test server has one: label "csrattrs".
          if (EstOperation.fromPathSegment(label).isEmpty()) {
            throw new IllegalArgumentException(e.getMessage(), e);
          }
        }
        basePath = WELL_KNOWN + "/" + label;
      }
      List<Map.Entry<String, String>> extra = new ArrayList<>();
      for (Map.Entry<String, String> h : headers) {
        String name = h.getKey();
        if (name.isEmpty() || !name.chars().allMatch(c -> c > 0x20 && c < 0x7f && c != ':')) {
          throw new IllegalArgumentException("invalid header name: \"" + name.replaceAll("[\\r\\n]", "\\\\n") + "\"");
        }
        HttpRequest.checked(h.getValue());
        String lower = name.toLowerCase(Locale.ROOT);
        if (RESERVED_HEADERS.contains(lower)) {
          throw new IllegalArgumentException(
              "header " + name + " is set by the client" + (lower.equals("host") ? "; use hostHeader(...)" : ""));
        }
        if (lower.equals("authorization") && basicUser != null) {
          throw new IllegalArgumentException("an Authorization header and basicAuth(...) exclude each other");
        }
        extra.add(h);
      }
      if (hostHeader != null) {
        HttpRequest.checked(hostHeader);
        if (hostHeader.isBlank()) {
          throw new IllegalArgumentException("hostHeader is blank");
        }
      }
      if (connectTimeout.isNegative() || readTimeout.isNegative()) {
        throw new IllegalArgumentException("timeouts must not be negative");
      }
      if (maxResponseBytes < 1024) {
        throw new IllegalArgumentException("maxResponseBytes must be at least 1024: " + maxResponseBytes);
      }
      if (basicUser != null && basicUser.indexOf(':') >= 0) {
        throw new IllegalArgumentException("a Basic user name cannot contain ':' (RFC 7617)");
      }
      ProxySettings p = proxy;
      if (proxyFromEnvironment) {
        p = ProxySettings.fromEnvironment(environment, host).orElse(null);
      }
      SSLContext ssl;
      try {
        ssl = SSLContext.getInstance("TLS");
        KeyManager[] km =
            identity == null || trust.isInsecure() ? null : new KeyManager[] {identity.keyManager()};
        ssl.init(km, trust.trustManagers(), null);
      } catch (GeneralSecurityException e) {
        throw new IllegalStateException("cannot set up TLS: " + e.getMessage(), e);
      }
      String authority = (host.indexOf(':') >= 0 ? "[" + host + "]" : host) + (port == 443 ? "" : ":" + port);
      Connection.Target target =
          new Connection.Target(
              host, port, ssl, !trust.isInsecure(), millis(connectTimeout), millis(readTimeout), p,
              Version.userAgent());
      Exchanger exchanger =
          new Exchanger(
              target,
              hostHeader != null ? hostHeader : authority,
              extra,
              basicUser == null || trust.isInsecure() ? null : basicAuthorization(basicUser, basicPassword),
              preemptive,
              maxResponseBytes);
      return new EstClient(this, exchanger, basePath);
    }

    private static int millis(Duration d) {
      long ms = d.toMillis();
      return ms > Integer.MAX_VALUE ? Integer.MAX_VALUE : (int) ms;
    }

    private static String basicAuthorization(String user, char[] password) {
      CharBuffer chars = CharBuffer.allocate(user.length() + 1 + password.length);
      chars.put(user).put(':').put(password).flip();
      ByteBuffer bytes = StandardCharsets.UTF_8.encode(chars);
      byte[] raw = new byte[bytes.remaining()];
      bytes.get(raw);
      Arrays.fill(chars.array(), '\0');
      String value = "Basic " + Base64.getEncoder().encodeToString(raw);
      Arrays.fill(raw, (byte) 0);
      return value;
    }
  }
}
