package org.est4j.client.internal;

import java.io.IOException;
import java.net.URI;
import java.net.URISyntaxException;
import java.util.AbstractMap;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import org.est4j.client.CsrFactory;
import org.est4j.client.EstResponseException;
import org.est4j.client.TlsInfo;
import org.est4j.protocol.EstBase64;

/**
 * Runs one EST operation over fresh connections: follows same-origin redirects (at most {@value
 * #MAX_REDIRECTS}) and answers one Basic challenge (RFC 7030 §3.2.3) when credentials are
 * configured and the server was authenticated.
 */
public final class Exchanger {
  public static final int MAX_REDIRECTS = 3;

  private final Connection.Target target;
  private final String hostHeader;
  private final List<Map.Entry<String, String>> extraHeaders;
  private final String basicAuthorization;
  private final boolean preemptive;
  private final int maxResponseBytes;

  /**
   * @param basicAuthorization the full {@code Authorization} value ("Basic ..."), or null
   */
  public Exchanger(
      Connection.Target target,
      String hostHeader,
      List<Map.Entry<String, String>> extraHeaders,
      String basicAuthorization,
      boolean preemptive,
      int maxResponseBytes) {
    this.target = target;
    this.hostHeader = hostHeader;
    this.extraHeaders = List.copyOf(extraHeaders);
    this.basicAuthorization = basicAuthorization;
    this.preemptive = preemptive;
    this.maxResponseBytes = maxResponseBytes;
  }

  /**
   * Sends the request and returns the final response, whatever its status.
   *
   * @param operation the operation's path segment with a slash, for messages ("/cacerts")
   * @param path the request target
   * @param body null for GET; otherwise called after each handshake for the DER to send (base64)
   */
  public HttpResponse exchange(
      String operation, String method, String path, String accept, String contentType, CsrFactory body)
      throws IOException {
    return exchange(operation, method, path, accept, contentType,
        body == null ? null : tls -> {
          byte[] der = body.create(tls);
          if (der == null || der.length == 0) {
            throw new IllegalArgumentException("the CSR factory returned no CSR");
          }
          return EstBase64.encode(der);
        },
        true);
  }

  /**
   * POSTs a body sent as given, without a top-level Content-Transfer-Encoding (a multipart/mixed
   * body whose parts carry their own, as the Go seed's /tpmenroll request does).
   */
  public HttpResponse exchangeRaw(String operation, String path, String accept, String contentType, byte[] body)
      throws IOException {
    byte[] copy = body.clone();
    return exchange(operation, "POST", path, accept, contentType, tls -> copy, false);
  }

  /** The bytes of a request body, made after each handshake. */
  private interface Payload {
    byte[] create(TlsInfo tls) throws IOException;
  }

  private HttpResponse exchange(
      String operation, String method, String path, String accept, String contentType, Payload body,
      boolean base64Body)
      throws IOException {
    // Credentials only ever go to an authenticated server.
    boolean mayAuthenticate = basicAuthorization != null && target.verifyHostName();
    String authorization = mayAuthenticate && preemptive ? basicAuthorization : null;
    boolean challengeAnswered = false;
    int redirects = 0;
    String currentPath = path;
    while (true) {
      HttpResponse response;
      try (Connection c = Connection.open(target)) {
        byte[] payload = null;
        if (body != null) {
          payload = body.create(c.tlsInfo());
        }
        HttpRequest request = new HttpRequest(
            method, currentPath, headers(accept, contentType, authorization, payload != null, base64Body), payload);
        try {
          response = c.exchange(request, maxResponseBytes);
        } catch (HttpFormatException e) {
          throw new EstResponseException(operation + ": " + e.getMessage(), e);
        }
      }
      int status = response.status();
      if (isRedirect(status)) {
        String location =
            response.header("Location").orElseThrow(
                () -> new EstResponseException(operation + ": redirect " + status + " without a Location header"));
        if (++redirects > MAX_REDIRECTS) {
          throw new EstResponseException(operation + ": more than " + MAX_REDIRECTS + " redirects");
        }
        currentPath = sameOriginPath(operation, currentPath, location);
        continue;
      }
      if (status == 401 && mayAuthenticate && authorization == null && !challengeAnswered
          && offersBasic(response)) {
        authorization = basicAuthorization;
        challengeAnswered = true;
        continue;
      }
      return response;
    }
  }

  private List<Map.Entry<String, String>> headers(
      String accept, String contentType, String authorization, boolean hasBody, boolean base64Body) {
    List<Map.Entry<String, String>> h = new ArrayList<>();
    h.add(entry("Host", hostHeader));
    h.add(entry("User-Agent", target.userAgent()));
    h.add(entry("Accept", accept));
    if (hasBody) {
      h.add(entry("Content-Type", contentType));
      if (base64Body) {
        h.add(entry("Content-Transfer-Encoding", "base64")); // RFC 8951 made it optional; old servers need it
      }
    }
    h.add(entry("Connection", "close"));
    if (authorization != null) {
      h.add(entry("Authorization", authorization));
    }
    h.addAll(extraHeaders);
    return h; // Content-Length is added by HttpRequest from the body itself
  }

  private static Map.Entry<String, String> entry(String k, String v) {
    return new AbstractMap.SimpleImmutableEntry<>(k, v);
  }

  static boolean isRedirect(int status) {
    return status == 301 || status == 302 || status == 303 || status == 307 || status == 308;
  }

  /** True if some WWW-Authenticate challenge uses the Basic scheme. */
  static boolean offersBasic(HttpResponse r) {
    for (String v : r.headers("WWW-Authenticate")) {
      // Challenges are comma-separated, but so are their parameters: look for "basic" as a token
      // at the start or right after a comma.
      for (String part : v.split(",")) {
        String p = part.trim().toLowerCase(Locale.ROOT);
        if (p.equals("basic") || p.startsWith("basic ")) {
          return true;
        }
      }
    }
    return false;
  }

  /** The request target for a Location on the same origin; a redirect elsewhere is refused. */
  private String sameOriginPath(String operation, String currentPath, String location)
      throws EstResponseException {
    URI resolved;
    try {
      resolved = new URI("https://" + target.hostPort() + currentPath).resolve(new URI(location.trim()));
    } catch (URISyntaxException | IllegalArgumentException e) {
      throw new EstResponseException(
          operation + ": malformed redirect Location: " + HttpWire.printable(location));
    }
    int port = resolved.getPort() < 0 ? 443 : resolved.getPort();
    String host = resolved.getHost();
    if (host != null && host.startsWith("[")) {
      host = host.substring(1, host.length() - 1);
    }
    boolean same =
        "https".equalsIgnoreCase(resolved.getScheme())
            && host != null
            && host.equalsIgnoreCase(target.host())
            && port == target.port();
    if (!same) {
      throw new EstResponseException(
          operation + ": refused to follow a redirect to another origin: "
              + HttpWire.printable(resolved.toString()));
    }
    String p = resolved.getRawPath() == null || resolved.getRawPath().isEmpty() ? "/" : resolved.getRawPath();
    return resolved.getRawQuery() == null ? p : p + "?" + resolved.getRawQuery();
  }
}
