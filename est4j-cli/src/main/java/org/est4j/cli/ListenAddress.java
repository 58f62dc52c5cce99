package org.est4j.cli;

/**
 * A listen address as the Go seed writes it: {@code host:port}, {@code :port} (every interface)
 * or {@code [v6]:port}. A null host means every interface.
 */
record ListenAddress(String host, int port) {
  static final ListenAddress DEFAULT = new ListenAddress("localhost", 8443);

  static ListenAddress parse(String key, String text) throws ConfigException {
    String s = text.trim();
    int colon = s.lastIndexOf(':');
    if (colon < 0) {
      throw new ConfigException(key, "must be host:port or :port, not '" + text + "'");
    }
    String host = s.substring(0, colon);
    String portText = s.substring(colon + 1);
    if (host.startsWith("[") && host.endsWith("]")) {
      host = host.substring(1, host.length() - 1);
    } else if (host.contains(":")) {
      throw new ConfigException(key, "an IPv6 address needs brackets: [" + host + "]:" + portText);
    }
    int port;
    try {
      port = Integer.parseInt(portText);
    } catch (NumberFormatException e) {
      throw new ConfigException(key, "the port in '" + text + "' is not a number");
    }
    if (port < 0 || port > 65535) {
      throw new ConfigException(key, "the port must be 0..65535, not " + port);
    }
    return new ListenAddress(host.isEmpty() ? null : host, port);
  }

  String display(int boundPort) {
    String h = host == null ? "0.0.0.0" : host.contains(":") ? "[" + host + "]" : host;
    return h + ":" + boundPort;
  }
}
