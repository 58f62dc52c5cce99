package org.est4j.server;

import org.est4j.server.store.AuditEvent;

/** One audit event as one line of JSON (hand-written: a few string fields, on every request). */
final class AuditJson {
  private AuditJson() {}

  static String of(AuditEvent e) {
    StringBuilder b = new StringBuilder(256).append('{');
    field(b, "time", e.time().toString()).append(',');
    field(b, "request_id", e.requestId()).append(',');
    field(b, "client", e.clientAddress()).append(',');
    field(b, "identity", e.identity()).append(',');
    field(b, "label", e.label().orElse("")).append(',');
    field(b, "operation", e.operation()).append(',');
    field(b, "outcome", e.outcome()).append(',');
    b.append("\"status\":").append(e.httpStatus());
    e.serial().ifPresent(s -> field(b.append(','), "serial", s));
    e.reason().ifPresent(r -> field(b.append(','), "reason", r));
    return b.append('}').toString();
  }

  private static StringBuilder field(StringBuilder b, String name, String value) {
    b.append('"').append(name).append("\":\"");
    for (int i = 0; i < value.length(); i++) {
      char c = value.charAt(i);
      switch (c) {
        case '"' -> b.append("\\\"");
        case '\\' -> b.append("\\\\");
        case '\n' -> b.append("\\n");
        case '\r' -> b.append("\\r");
        case '\t' -> b.append("\\t");
        default -> {
          if (c < 0x20) {
            b.append(String.format("\\u%04x", (int) c));
          } else {
            b.append(c);
          }
        }
      }
    }
    return b.append('"');
  }
}
