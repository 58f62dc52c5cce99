package org.est4j.server;

import java.security.cert.X509Certificate;
import java.time.Clock;
import java.util.Optional;
import org.est4j.server.store.CertificateRecord;
import org.est4j.server.store.CertificateStore;

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

  IssuanceRecorder(CertificateStore store, Clock clock) {
    this.store = store;
    this.clock = clock;
  }

  void record(X509Certificate cert, LabelRuntime label, RequestLog log) {
    record(cert, label, log, Optional.empty());
  }

  /** With a token: its consumption commits in the certificate row's transaction, or neither does. */
  void record(X509Certificate cert, LabelRuntime label, RequestLog log, Optional<TokenCredential.Accepted> token) {
    java.time.Instant now = clock.instant();
    store.recordIssued(
        CertificateRecord.issued(
            cert,
            label.settings.caName(),
            Optional.ofNullable(log.routeLabel),
            log.identity,
            log.requestId,
            now),
        token.map(t -> t.consumption(now, log.requestId)));
  }
}
