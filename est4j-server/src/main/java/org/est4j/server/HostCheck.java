package org.est4j.server;

import java.util.Locale;
import java.util.Set;

/**
 * The allowed-hosts guard: compares the Host header without its port, case-insensitively. IPv6
 * literals match with or without brackets (the Go seed's {@code [::1]} entry never matched).
 */
final class HostCheck {
  private final Set<String> allowed;

  HostCheck(Set<String> allowed) {
    this.allowed = allowed;
  }

  boolean permits(String hostHeader) {
    if (allowed.isEmpty()) {
      return true;
    }
    return hostHeader != null && allowed.contains(normalise(stripPort(hostHeader.trim())));
  }

  /** Lower case, IPv6 brackets removed. */
  static String normalise(String host) {
    String h = host.trim().toLowerCase(Locale.ROOT);
    if (h.startsWith("[") && h.endsWith("]")) {
      h = h.substring(1, h.length() - 1);
    }
    return h;
  }

  static String stripPort(String host) {
    if (host.startsWith("[")) {
      int close = host.indexOf(']');
      return close < 0 ? host : host.substring(0, close + 1);
    }
    int colon = host.indexOf(':');
    if (colon >= 0 && host.indexOf(':', colon + 1) < 0) {
      return host.substring(0, colon); // name:port or v4:port
    }
    return host; // a name, or an unbracketed IPv6 literal
  }
}
