package org.est4j.server;

import java.security.cert.X509Certificate;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The one access-log line per request, filled in as the request goes through the engine. Logged
 * to {@code org.est4j.access} as key=value pairs; never a credential.
 */
final class RequestLog {
  private static final Logger ACCESS = LoggerFactory.getLogger("org.est4j.access");

  final String requestId;
  final long startNanos = System.nanoTime();
  String label = "-";
  /** The label of the request path, null for the unlabelled path (for the certificate store). */
  String routeLabel;
  String operation = "-";
  String identity = "-";
  String serial;
  /** This request signed and recorded {@link #serial} (not a re-delivery of an approved one). */
  boolean issued;
  /** Why the request failed or waits (the error message), for the audit trail. */
  String reason;
  /** The pending request this one submitted or retried ({@code approval: manual}), 0 if none. */
  long pendingId;
  /** The client's IP address, for the audit trail. */
  String clientAddress = "-";
  /**
   * The audit event the certificate store committed with the certificate row, if it did: the
   * engine then logs this event rather than storing another row (see {@link IssuanceRecorder}).
   */
  org.est4j.server.store.AuditEvent committedAudit;

  RequestLog(String requestId) {
    this.requestId = requestId;
  }

  void write(EstRequest request, EstResponse response) {
    if (!ACCESS.isInfoEnabled()) {
      return;
    }
    long micros = (System.nanoTime() - startNanos) / 1000;
    String tlsSubject = request.peerCertificates().isEmpty() ? "-" : subject(request.peerCertificates().get(0));
    ACCESS.info(
        "rid={} client={} tls_subject=\"{}\" method={} label={} op={} status={} bytes={} ms={} identity=\"{}\"{}",
        requestId,
        request.clientAddress().getHostAddress(),
        tlsSubject,
        request.method(),
        label,
        operation,
        response.status(),
        response.body().length,
        millis(micros),
        identity,
        serial == null ? "" : " serial=" + serial);
  }

  RequestListener.RequestOutcome outcome(int status) {
    return new RequestListener.RequestOutcome(requestId, label, operation, status, System.nanoTime() - startNanos,
        serial, issued);
  }

  /** "1.23": what String.format("%.2f") gives, without its cost on every request. */
  static String millis(long micros) {
    long hundredths = (micros + 5) / 10;
    long fraction = hundredths % 100;
    return (hundredths / 100) + (fraction < 10 ? ".0" : ".") + fraction;
  }

  private static String subject(X509Certificate cert) {
    return cert.getSubjectX500Principal().getName().replace("\"", "'");
  }
}
