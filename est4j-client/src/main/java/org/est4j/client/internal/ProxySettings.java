package org.est4j.client.internal;

import java.net.URI;
import java.net.URISyntaxException;
import java.nio.charset.StandardCharsets;
import java.util.Base64;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;

/**
 * An HTTPS proxy reached with CONNECT (RFC 9110 §9.3.6), and the {@code HTTPS_PROXY} / {@code
 * NO_PROXY} conventions of curl and Go.
 *
 * @param authorization a {@code Proxy-Authorization} value, or null
 */
public record ProxySettings(String host, int port, String authorization) {

  /**
   * The proxy for {@code targetHost} according to the environment: {@code HTTPS_PROXY} (or
   * {@code https_proxy}) as {@code http://[user:pass@]host[:port]} or {@code host:port}, unless
   * {@code NO_PROXY} (or {@code no_proxy}) lists {@code *}, the host, or a domain suffix of it.
   *
   * @throws IllegalArgumentException if HTTPS_PROXY is set but malformed
   */
  public static Optional<ProxySettings> fromEnvironment(Map<String, String> env, String targetHost) {
    String proxy = firstSet(env, "HTTPS_PROXY", "https_proxy");
    if (proxy == null) {
      return Optional.empty();
    }
    String noProxy = firstSet(env, "NO_PROXY", "no_proxy");
    if (noProxy != null && bypasses(noProxy, targetHost)) {
      return Optional.empty();
    }
    return Optional.of(parse(proxy));
  }

  static ProxySettings parse(String proxy) {
    String s = proxy.contains("://") ? proxy : "http://" + proxy;
    URI uri;
    try {
      uri = new URI(s);
    } catch (URISyntaxException e) {
      throw new IllegalArgumentException("HTTPS_PROXY is not a URL: " + proxy);
    }
    String scheme = uri.getScheme().toLowerCase(Locale.ROOT);
    if (!scheme.equals("http")) {
      throw new IllegalArgumentException(
          "HTTPS_PROXY: only http:// proxies (CONNECT over plain TCP) are supported: " + proxy);
    }
    if (uri.getHost() == null) {
      throw new IllegalArgumentException("HTTPS_PROXY has no host: " + proxy);
    }
    String auth = null;
    if (uri.getRawUserInfo() != null) {
      String userInfo = java.net.URLDecoder.decode(uri.getRawUserInfo().replace("+", "%2B"), StandardCharsets.UTF_8);
      auth = "Basic " + Base64.getEncoder().encodeToString(userInfo.getBytes(StandardCharsets.UTF_8));
    }
    String host = uri.getHost();
    if (host.startsWith("[") && host.endsWith("]")) {
      host = host.substring(1, host.length() - 1);
    }
    return new ProxySettings(host, uri.getPort() < 0 ? 80 : uri.getPort(), auth);
  }

  /** True if a comma-separated NO_PROXY list covers the host. */
  static boolean bypasses(String noProxy, String host) {
    String h = host.toLowerCase(Locale.ROOT);
    for (String raw : noProxy.split(",")) {
      String entry = raw.trim().toLowerCase(Locale.ROOT);
      if (entry.isEmpty()) {
        continue;
      }
      if (entry.equals("*")) {
        return true;
      }
      if (entry.indexOf(':') == entry.lastIndexOf(':') && entry.indexOf(':') > 0) {
        entry = entry.substring(0, entry.indexOf(':')); // "host:port": the port is not compared
      }
      if (entry.startsWith("*.")) {
        entry = entry.substring(1);
      }
      if (entry.startsWith(".")) {
        entry = entry.substring(1);
      }
      if (h.equals(entry) || h.endsWith("." + entry)) {
        return true;
      }
    }
    return false;
  }

  private static String firstSet(Map<String, String> env, String... names) {
    for (String n : names) {
      String v = env.get(n);
      if (v != null && !v.isBlank()) {
        return v.trim();
      }
    }
    return null;
  }

  @Override
  public String toString() {
    return "ProxySettings[" + host + ":" + port + (authorization != null ? ", with credentials" : "") + "]";
  }
}
