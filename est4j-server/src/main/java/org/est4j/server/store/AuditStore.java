package org.est4j.server.store;

import java.util.List;

/** The durable audit trail: events appended in batches, queried by operators. Thread-safe. */
public interface AuditStore {

  /** Appends the events in one transaction, committed when this returns. */
  void append(List<AuditEvent> events);

  /** Events matching the query, newest first, at most {@code query.limit()}. */
  List<AuditEvent> query(AuditQuery query);
}
