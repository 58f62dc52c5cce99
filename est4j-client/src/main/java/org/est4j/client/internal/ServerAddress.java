package org.est4j.client.internal;

import java.net.URI;

/**
 * An EST server's host and port, from "host:port", "host" (port 443), "[v6addr]:port", or an https
 * URI whose path is empty or {@code /.well-known/est} (RFC 7030 §3.2.2 has no path prefix).
 * Errors are {@link IllegalArgumentException}s whose message says what to write instead.
 */
public record ServerAddress(String host, int port) {
  private static final String WELL_KNOWN = "/.well-known/est";

  public static ServerAddress parse(String hostPort) {
    String s = hostPort.trim();
    String h;
    String p = null;
    if (s.startsWith("[")) {
      int end = s.indexOf(']');
      if (end < 0) {
        throw new IllegalArgumentException("unterminated IPv6 literal in server " + s);
      }
      h = s.substring(1, end);
      if (end + 1 < s.length()) {
        if (s.charAt(end + 1) != ':') {
          throw new IllegalArgumentException("malformed server " + s + " (expected host:port)");
        }
        p = s.substring(end + 2);
      }
    } else {
      int colon = s.lastIndexOf(':');
      if (colon >= 0 && s.indexOf(':') != colon) {
        throw new IllegalArgumentException("an IPv6 server address must be in brackets: [" + s + "]:port");
      }
      h = colon < 0 ? s : s.substring(0, colon);
      p = colon < 0 ? null : s.substring(colon + 1);
    }
    if (h.isEmpty() || h.contains("/") || h.contains("@")) {
      throw new IllegalArgumentException(
          "malformed server \"" + s + "\" (expected host:port, without scheme or path)");
    }
    return new ServerAddress(h, p == null ? 443 : port(p, s));
  }

  public static ServerAddress parse(URI uri) {
    if (!"https".equalsIgnoreCase(uri.getScheme())) {
      throw new IllegalArgumentException("EST requires https: " + uri);
    }
    String path = uri.getRawPath() == null ? "" : uri.getRawPath();
    if (!(path.isEmpty() || path.equals("/") || path.equals(WELL_KNOWN) || path.equals(WELL_KNOWN + "/"))) {
      throw new IllegalArgumentException("the server URI's path must be empty or " + WELL_KNOWN
          + " (RFC 7030 §3.2.2 has no path prefix; use label(...) for a CA label): " + uri);
    }
    if (uri.getRawQuery() != null || uri.getRawFragment() != null || uri.getRawUserInfo() != null) {
      throw new IllegalArgumentException("the server URI must not have user info, a query or a fragment: " + uri);
    }
    if (uri.getHost() == null) {
      throw new IllegalArgumentException("the server URI has no host: " + uri);
    }
    String h = uri.getHost();
    if (h.startsWith("[") && h.endsWith("]")) {
      h = h.substring(1, h.length() - 1);
    }
    return new ServerAddress(h, uri.getPort() < 0 ? 443 : uri.getPort());
  }

  private static int port(String text, String whole) {
    int port;
    try {
      port = Integer.parseInt(text);
    } catch (NumberFormatException e) {
      port = -1;
    }
    if (port < 1 || port > 65535) {
      throw new IllegalArgumentException("malformed port in server " + whole);
    }
    return port;
  }
}
