package org.est4j.server.store;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.time.Instant;
import java.util.HexFormat;
import java.util.Objects;
import java.util.Optional;

/**
 * A request held for an operator's decision ({@code approval: manual}, issue 5 §3). The client
 * retries the same request; {@link #fingerprint} finds this row again on any node.
 *
 * @param id the store's id (0 before it is stored), what {@code estserver requests approve} takes
 * @param label the EST label, empty for the unlabelled path
 * @param caName the CA that will issue
 * @param operation simpleenroll, simplereenroll or serverkeygen
 * @param fingerprint {@link #fingerprint(byte[], Optional, String)} of this request
 * @param csrDer the CSR as the client sent it (DER)
 * @param subject the CSR's subject (RFC 4514)
 * @param requester the authenticated identity that asked
 * @param requestId the engine's request id of the first attempt
 * @param certificateSerial the certificate issued once approved and picked up
 */
public record PendingRequest(
    long id,
    Optional<String> label,
    String caName,
    String operation,
    String fingerprint,
    byte[] csrDer,
    String subject,
    String requester,
    String requestId,
    PendingStatus status,
    Instant createdAt,
    Optional<Instant> decidedAt,
    Optional<String> decidedBy,
    Optional<String> decisionReason,
    Optional<String> certificateSerial) {

  public PendingRequest {
    Objects.requireNonNull(label, "label");
    Objects.requireNonNull(caName, "caName");
    Objects.requireNonNull(operation, "operation");
    Objects.requireNonNull(fingerprint, "fingerprint");
    csrDer = csrDer.clone();
    Objects.requireNonNull(subject, "subject");
    Objects.requireNonNull(requester, "requester");
    Objects.requireNonNull(requestId, "requestId");
    Objects.requireNonNull(status, "status");
    Objects.requireNonNull(createdAt, "createdAt");
    Objects.requireNonNull(decidedAt, "decidedAt");
    Objects.requireNonNull(decidedBy, "decidedBy");
    Objects.requireNonNull(decisionReason, "decisionReason");
    certificateSerial = certificateSerial.map(CertificateRecord::normaliseSerial);
  }

  /** A new request, not stored yet. */
  public static PendingRequest submitted(Optional<String> label, String caName, String operation, byte[] csrDer,
      String subject, String requester, String requestId, Instant at) {
    return new PendingRequest(0, label, caName, operation, fingerprint(csrDer, label, requester), csrDer, subject,
        requester, requestId, PendingStatus.PENDING, at, Optional.empty(), Optional.empty(), Optional.empty(),
        Optional.empty());
  }

  @Override
  public byte[] csrDer() {
    return csrDer.clone();
  }

  /**
   * SHA-256 over the CSR DER, the label and the requester (each length-prefixed): the same CSR
   * retried by the same identity under the same label is the same request; anyone else replaying
   * that CSR is a different one and never sees this request's certificate.
   */
  public static String fingerprint(byte[] csrDer, Optional<String> label, String requester) {
    try {
      MessageDigest d = MessageDigest.getInstance("SHA-256");
      update(d, csrDer);
      update(d, label.orElse("").getBytes(StandardCharsets.UTF_8));
      update(d, requester.getBytes(StandardCharsets.UTF_8));
      return HexFormat.of().formatHex(d.digest());
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException("SHA-256 is not available", e);
    }
  }

  private static void update(MessageDigest d, byte[] part) {
    d.update(new byte[] {(byte) (part.length >>> 24), (byte) (part.length >>> 16), (byte) (part.length >>> 8),
        (byte) part.length});
    d.update(part);
  }

  /** This request with a decision. */
  public PendingRequest decided(PendingStatus to, String by, String reason, Instant at) {
    return new PendingRequest(id, label, caName, operation, fingerprint, csrDer, subject, requester, requestId, to,
        createdAt, Optional.of(at), Optional.of(by), Optional.ofNullable(reason), certificateSerial);
  }

  /** This request with the serial of the certificate issued for it. */
  public PendingRequest withSerial(String serial) {
    return new PendingRequest(id, label, caName, operation, fingerprint, csrDer, subject, requester, requestId,
        status, createdAt, decidedAt, decidedBy, decisionReason, Optional.of(serial));
  }

  /** This request as stored under {@code newId}. */
  public PendingRequest withId(long newId) {
    return new PendingRequest(newId, label, caName, operation, fingerprint, csrDer, subject, requester, requestId,
        status, createdAt, decidedAt, decidedBy, decisionReason, certificateSerial);
  }
}
