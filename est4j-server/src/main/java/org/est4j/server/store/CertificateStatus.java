package org.est4j.server.store;

import java.util.Locale;

/**
 * A certificate's status as an operator sees it. Only {@link #ISSUED} and {@link #REVOKED} are
 * stored; {@link #EXPIRED} is an issued certificate whose notAfter has passed, derived when read
 * (so no job has to sweep rows at midnight, and every node agrees).
 */
public enum CertificateStatus {
  ISSUED,
  REVOKED,
  EXPIRED;

  /** The lower-case name used in the database, the CLI and JSON. */
  public String id() {
    return name().toLowerCase(Locale.ROOT);
  }

  /** Parses {@code issued}, {@code revoked} or {@code expired} (any case). */
  public static CertificateStatus parse(String text) {
    for (CertificateStatus s : values()) {
      if (s.id().equalsIgnoreCase(text.trim())) {
        return s;
      }
    }
    throw new IllegalArgumentException("unknown status '" + text + "': use issued, revoked or expired");
  }
}
