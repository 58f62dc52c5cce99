package org.est4j.server;

import java.util.Locale;

/**
 * Chooses the line length of base64 response bodies. libest's client reads only wrapped base64;
 * strongSwan 5.9's {@code pki --est} reads only one unwrapped line and sends no User-Agent. Unless
 * a label fixes the length, a request that names no User-Agent, or names strongSwan, gets one
 * line and everyone else gets 76-column lines (RFC 2045), which every other client reads.
 */
final class Base64Style {
  static final int WRAPPED = 76;
  static final int ONE_LINE = 0;

  private Base64Style() {}

  static int lineLength(LabelSettings label, EstRequest request) {
    if (label.base64LineLength().isPresent()) {
      return label.base64LineLength().getAsInt();
    }
    String agent = request.headers().get("User-Agent");
    if (agent == null || agent.isBlank() || agent.toLowerCase(Locale.ROOT).contains("strongswan")) {
      return ONE_LINE;
    }
    return WRAPPED;
  }
}
