package org.est4j.server;

import org.est4j.server.store.AuditEvent;

/**
 * Receives the audit event of every request the engine answers (issue 5 §5), on the request
 * thread after the response is built: it must be quick and must not throw.
 */
@FunctionalInterface
public interface AuditSink {
  /** No audit trail (the zero-config test server, and engines built without one). */
  AuditSink NONE = event -> {};

  void record(AuditEvent event);
}
