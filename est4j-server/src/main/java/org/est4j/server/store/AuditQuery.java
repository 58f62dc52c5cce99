package org.est4j.server.store;

import java.time.Instant;
import java.util.Optional;

/**
 * A filter over audit events; every part optional.
 *
 * @param label "" for the unlabelled path
 */
public record AuditQuery(Optional<Instant> since, Optional<Instant> until, Optional<String> label,
    Optional<String> identity, Optional<String> outcome, int limit) {

  public AuditQuery {
    if (limit < 1) {
      throw new IllegalArgumentException("limit must be at least 1");
    }
  }

  public static AuditQuery all(int limit) {
    return new AuditQuery(Optional.empty(), Optional.empty(), Optional.empty(), Optional.empty(), Optional.empty(), limit);
  }
}
