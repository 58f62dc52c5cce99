package org.est4j.client;

import java.net.URI;
import java.nio.ByteBuffer;
import java.nio.CharBuffer;
import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.time.Duration;
import java.util.AbstractMap;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Base64;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import javax.net.ssl.KeyManager;
import javax.net.ssl.SSLContext;
import org.est4j.client.internal.Connection;
import org.est4j.client.internal.Exchanger;
import org.est4j.client.internal.HttpRequest;
import org.est4j.client.internal.ProxySettings;
import org.est4j.client.internal.ServerAddress;
import org.est4j.client.internal.Version;
import org.est4j.protocol.EstOperation;
import org.est4j.protocol.EstProtocolException;
import org.est4j.protocol.Labels;

/**
 * Builds an {@link EstClient}. {@link #server} and {@link #trust} are required; everything is
 * checked in {@link #build()}.
 */
public final class EstClientBuilder {
  private static final Set<String> RESERVED_HEADERS =
      Set.of("host", "content-length", "transfer-encoding", "connection", "content-type",
          "content-transfer-encoding", "accept");

  String host; // package-private: read by EstClient's constructor
  int port;
  private String serverError;
  String label;
  TrustAnchors trust;
  ClientIdentity identity;
  private String basicUser;
  private char[] basicPassword;
  private boolean preemptive;
  private final List<Map.Entry<String, String>> headers = new ArrayList<>();
  private String hostHeader;
  private Duration connectTimeout = Duration.ofSeconds(30);
  private Duration readTimeout = Duration.ofSeconds(60);
  private int maxResponseBytes = EstClient.DEFAULT_MAX_RESPONSE_BYTES;
  private ProxySettings proxy;
  private boolean proxyFromEnvironment;
  private Map<String, String> environment = System.getenv();

  EstClientBuilder() {}

  /** "host:port", "host" (port 443) or "[v6addr]:port". */
  public EstClientBuilder server(String hostPort) {
    Objects.requireNonNull(hostPort, "hostPort");
    return server(() -> ServerAddress.parse(hostPort));
  }

  /**
   * An https URI such as {@code https://est.example.com:8443} or {@code
   * https://est.example.com/.well-known/est}; any other path (a prefix before {@code
   * /.well-known/est}, or a label: use {@link #label}) is an error.
   */
  public EstClientBuilder server(URI uri) {
    Objects.requireNonNull(uri, "uri");
    return server(() -> ServerAddress.parse(uri));
  }

  /** Keeps the parse error for {@link #build()}, which reports every problem the same way. */
  private EstClientBuilder server(java.util.function.Supplier<ServerAddress> parse) {
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
  public EstClientBuilder label(String label) {
    this.label = label;
    return this;
  }

  /** Required: how the server is authenticated. */
  public EstClientBuilder trust(TrustAnchors trust) {
    this.trust = Objects.requireNonNull(trust, "trust");
    return this;
  }

  /** The TLS client certificate and key (RFC 7030 §3.3.2); required for reenroll. */
  public EstClientBuilder clientIdentity(ClientIdentity identity) {
    this.identity = Objects.requireNonNull(identity, "identity");
    return this;
  }

  /**
   * HTTP Basic credentials (RFC 7030 §3.2.3), sent only in answer to a Basic challenge from an
   * authenticated server (or at once with {@link #preemptiveBasicAuth}). The password is
   * copied; clear your array afterwards.
   */
  public EstClientBuilder basicAuth(String user, char[] password) {
    this.basicUser = Objects.requireNonNull(user, "user");
    this.basicPassword = Objects.requireNonNull(password, "password").clone();
    return this;
  }

  /** Send Basic credentials with the first request instead of waiting for a 401 (default false). */
  public EstClientBuilder preemptiveBasicAuth(boolean preemptive) {
    this.preemptive = preemptive;
    return this;
  }

  /** An extra request header (repeatable). Host, Content-Length and the framing headers are refused. */
  public EstClientBuilder header(String name, String value) {
    headers.add(new AbstractMap.SimpleImmutableEntry<>(
        Objects.requireNonNull(name, "name"), Objects.requireNonNull(value, "value")));
    return this;
  }

  /**
   * The Host header to send instead of the server's host:port (for servers behind a proxy that
   * route by name). TLS SNI and certificate verification still use the server's host name.
   */
  public EstClientBuilder hostHeader(String hostHeader) {
    this.hostHeader = Objects.requireNonNull(hostHeader, "hostHeader");
    return this;
  }

  /** TCP connect timeout (default 30 s; zero = none). */
  public EstClientBuilder connectTimeout(Duration timeout) {
    this.connectTimeout = Objects.requireNonNull(timeout, "timeout");
    return this;
  }

  /** Timeout of each read, including the TLS handshake (default 60 s; zero = none). */
  public EstClientBuilder readTimeout(Duration timeout) {
    this.readTimeout = Objects.requireNonNull(timeout, "timeout");
    return this;
  }

  /** The largest response body accepted (default 1 MiB). */
  public EstClientBuilder maxResponseBytes(int max) {
    this.maxResponseBytes = max;
    return this;
  }

  /** Connect through this HTTP proxy with CONNECT. */
  public EstClientBuilder proxy(String host, int port) {
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
  public EstClientBuilder proxyFromEnvironment() {
    this.proxyFromEnvironment = true;
    this.proxy = null;
    return this;
  }

  /** For tests: the environment {@link #proxyFromEnvironment()} reads. */
  EstClientBuilder environment(Map<String, String> env) {
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
    String basePath = EstClient.WELL_KNOWN;
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
      basePath = EstClient.WELL_KNOWN + "/" + label;
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
