package org.est4j.server;

import java.security.cert.X509Certificate;
import java.time.Clock;
import java.time.Duration;
import java.util.Optional;
import org.est4j.protocol.Csr;
import org.est4j.protocol.pem.PemReader;
import org.est4j.server.store.CertificateRecord;
import org.est4j.server.store.CertificateStore;
import org.est4j.server.store.PendingRequest;
import org.est4j.server.store.PendingRequestStore;
import org.est4j.server.store.StoreException;
import org.est4j.server.store.TokenNotUsableException;

/**
 * {@code approval: manual} (issue 5 §3, RFC 7030 §4.2.3). An authenticated request with a valid
 * CSR is stored pending and answered 202 with Retry-After; the client repeats the same request.
 * Each retry finds its row by the request fingerprint (CSR DER, label, requester) on whichever
 * node it reaches, and gets 202 while pending, 403 with the operator's reason once rejected, and
 * the certificate once approved.
 *
 * <p>The certificate is issued at the first retry after the approval ("pickup"), not by the
 * approving command: the CA key stays in the server nodes (a file, a token), the operator's
 * {@code estserver requests approve} only writes a decision, and validity starts when the
 * client can use it. The certificate row and its link to the request commit in one transaction
 * before the response; later retries get the same certificate again (idempotent delivery, so a
 * lost response does not strand the client). A server-generated key is never stored, so
 * /serverkeygen delivers once and refuses a retry after that.
 *
 * <p>An enrollment token is spent when the request is first stored, not at pickup: the operator
 * approves a request a token paid for, and the token cannot pay for a second one meanwhile.
 */
final class Approvals {
  private final PendingRequestStore pending;
  private final CertificateStore certificates;
  private final Duration retryAfter;
  private final Clock clock;

  /** What an approved request needs: issued already, or to be issued now. */
  record Approved(PendingRequest request, Optional<X509Certificate> issued) {}

  Approvals(PendingRequestStore pending, CertificateStore certificates, Duration retryAfter, Clock clock) {
    this.pending = pending;
    this.certificates = certificates;
    this.retryAfter = retryAfter;
    this.clock = clock;
  }

  /**
   * Stores or finds the request; returns only when it is approved. An enrollment token is
   * consumed with the first submission (in the row's transaction): it paid for this request, so
   * its retries (same CSR, same token, hence the same fingerprint) find the row, while another
   * CSR with the spent token is refused like any used token.
   *
   * @throws EstError 202 with Retry-After while pending, 403 with the reason when rejected
   */
  Approved check(LabelRuntime label, RequestLog log, Csr csr, String operation,
      Optional<TokenCredential.Accepted> token) throws EstError {
    java.time.Instant now = clock.instant();
    PendingRequest row;
    try {
      row = pending.submit(PendingRequest.submitted(Optional.ofNullable(log.routeLabel),
          label.settings.caName(), operation, csr.encoded(), csr.subject().toString(), log.identity, log.requestId,
          now), token.map(t -> t.consumption(now, log.requestId)));
    } catch (TokenNotUsableException e) {
      throw EstError.of(403, e.getMessage());
    }
    log.pendingId = row.id();
    switch (row.status()) {
      case PENDING -> throw EstError.retryLater(202,
          "request " + row.id() + " is waiting for approval; retry the same request later", retryAfter);
      case REJECTED -> throw EstError.of(403, "request " + row.id() + " was rejected"
          + row.decidedBy().map(b -> " by " + b).orElse("") + ": " + row.decisionReason().orElse("no reason given"));
      default -> {
        // approved
      }
    }
    if (row.certificateSerial().isEmpty()) {
      return new Approved(row, Optional.empty());
    }
    return new Approved(row, Optional.of(load(row.caName(), row.certificateSerial().get())));
  }

  /**
   * Records {@code cert}, just signed for {@code approved}, and links it; returns what to deliver:
   * {@code cert}, or the certificate another node linked a moment earlier.
   */
  X509Certificate complete(PendingRequest approved, X509Certificate cert, LabelRuntime label, RequestLog log) {
    CertificateRecord record = CertificateRecord.issued(cert, label.settings.caName(),
        Optional.ofNullable(log.routeLabel), approved.requester(), log.requestId, clock.instant());
    String linked = pending.completeIssuance(approved.id(), record);
    if (linked.equals(record.serial())) {
      return cert;
    }
    return load(approved.caName(), linked);
  }

  private X509Certificate load(String caName, String serial) {
    CertificateRecord r = certificates.find(caName, serial).orElseThrow(
        () -> new StoreException("approved request links certificate " + serial + " of CA " + caName + ", which is not recorded"));
    try {
      return PemReader.readCertificates(new java.io.StringReader(r.pem())).get(0);
    } catch (RuntimeException | org.est4j.protocol.pem.PemException e) {
      throw new StoreException("the recorded certificate " + serial + " cannot be read: " + e.getMessage(), e);
    }
  }
}
