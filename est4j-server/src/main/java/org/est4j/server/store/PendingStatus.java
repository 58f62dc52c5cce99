package org.est4j.server.store;

import java.util.Locale;

/** Where a request held for approval ({@code approval: manual}) stands. */
public enum PendingStatus {
  PENDING,
  APPROVED,
  REJECTED;

  /** The lower-case name used in the database, the CLI and JSON. */
  public String id() {
    return name().toLowerCase(Locale.ROOT);
  }

  /** Parses {@code pending}, {@code approved} or {@code rejected} (any case). */
  public static PendingStatus parse(String text) {
    for (PendingStatus s : values()) {
      if (s.id().equalsIgnoreCase(text.trim())) {
        return s;
      }
    }
    throw new IllegalArgumentException("unknown request status '" + text + "': use pending, approved or rejected");
  }
}
