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

  /**
   * Whether the audit row of a request that issues a certificate is to be committed by the
   * certificate store in the certificate's own transaction (see
   * {@link org.est4j.server.store.CertificateStore#recordIssued(org.est4j.server.store.CertificateRecord,
   * java.util.Optional, AuditEvent)}) instead of by this sink: true when this sink keeps its rows
   * in the certificate store's database.
   */
  default boolean rowsWithCertificates() {
    return false;
  }

  /**
   * The event of a request whose row the certificate store has already committed with its
   * certificate: everything but the row (the JSON line). Only called when
   * {@link #rowsWithCertificates()} is true.
   */
  default void recordCommitted(AuditEvent event) {
    record(event);
  }
}
