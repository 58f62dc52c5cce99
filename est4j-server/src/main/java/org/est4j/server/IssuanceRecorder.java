package org.est4j.server;

import java.security.cert.X509Certificate;
import java.time.Clock;
import java.time.Instant;
import java.util.Optional;
import org.est4j.server.store.AuditEvent;
import org.est4j.server.store.CertificateRecord;
import org.est4j.server.store.CertificateStore;
import org.est4j.server.store.TokenConsumption;

/**
 * The one place where an issued certificate becomes a durable record. Every operation that hands
 * out a certificate (enroll, reenroll, serverkeygen, and any later one such as tpmenroll) goes
 * through {@code Enrollments.issue}, which calls {@link #record} after the CA signed and before
 * the response exists: when the store throws, the exception reaches the engine's 500 handler
 * (request id in body and log) and the certificate is never sent.
 */
final class IssuanceRecorder {
  private final CertificateStore store;
  private final Clock clock;
  private final AuditSink audit;

  IssuanceRecorder(CertificateStore store, Clock clock, AuditSink audit) {
    this.store = store;
    this.clock = clock;
    this.audit = audit;
  }

  void record(X509Certificate cert, LabelRuntime label, RequestLog log) {
    record(cert, label, log, Optional.empty());
  }

  /**
   * With a token: its consumption commits in the certificate row's transaction, or neither does.
   * When the audit sink keeps its rows in the certificate store's database, the request's audit
   * event (a 200 with this serial) commits in that transaction too, and {@code log.committedAudit}
   * says so to the engine.
   */
  void record(X509Certificate cert, LabelRuntime label, RequestLog log, Optional<TokenCredential.Accepted> token) {
    Instant now = clock.instant();
    CertificateRecord row = CertificateRecord.issued(
        cert, label.settings.caName(), Optional.ofNullable(log.routeLabel), log.identity, log.requestId, now);
    Optional<TokenConsumption> consumption = token.map(t -> t.consumption(now, log.requestId));
    if (!audit.rowsWithCertificates()) {
      store.recordIssued(row, consumption);
      return;
    }
    AuditEvent event = new AuditEvent(now, log.requestId, log.clientAddress, log.identity,
        Optional.ofNullable(log.routeLabel), log.operation, AuditEvent.outcomeOf(200), 200, Optional.of(row.serial()),
        Optional.empty());
    if (store.recordIssued(row, consumption, event)) {
      log.committedAudit = event;
    }
  }
}
