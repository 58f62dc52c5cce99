package org.est4j.server.store;

import java.time.Instant;
import java.util.Objects;
import java.util.Optional;

/**
 * A one-time enrollment token as stored: never the secret, only its SHA-256 (the secret has 160
 * random bits, so a fast hash is enough: nobody can guess it from the hash).
 *
 * @param id the store's number for the token ({@code tokens list}, {@code tokens revoke ID})
 * @param sha256 lower-case hex SHA-256 of the token text
 * @param label the label it may enroll on; empty for the unlabelled path
 * @param subjectPattern glob on the CSR subject's CN (see {@code SubjectPattern} in est4j-server)
 * @param createdBy who created it (the operating-system user of {@code estserver tokens create})
 * @param usedByRequestId the request id of the enrollment that consumed it, which is also the
 *     {@code request_id} of its certificate row
 */
public record EnrollmentToken(
    long id,
    String sha256,
    Optional<String> label,
    String subjectPattern,
    Instant createdAt,
    String createdBy,
    Instant expiresAt,
    Optional<Instant> usedAt,
    Optional<String> usedByRequestId) {

  public EnrollmentToken {
    Objects.requireNonNull(sha256, "sha256");
    Objects.requireNonNull(label, "label");
    Objects.requireNonNull(subjectPattern, "subjectPattern");
    Objects.requireNonNull(createdAt, "createdAt");
    Objects.requireNonNull(createdBy, "createdBy");
    Objects.requireNonNull(expiresAt, "expiresAt");
    Objects.requireNonNull(usedAt, "usedAt");
    Objects.requireNonNull(usedByRequestId, "usedByRequestId");
  }

  /** A token not stored yet (its id is assigned by {@link TokenStore#create}). */
  public static EnrollmentToken unused(
      String sha256, Optional<String> label, String subjectPattern, Instant createdAt, String createdBy,
      Instant expiresAt) {
    return new EnrollmentToken(0, sha256, label, subjectPattern, createdAt, createdBy, expiresAt, Optional.empty(),
        Optional.empty());
  }

  public boolean isUsed() {
    return usedAt.isPresent();
  }

  public boolean isExpired(Instant now) {
    return !now.isBefore(expiresAt);
  }

  /** "unused", "used" or "expired" for listings. */
  public String state(Instant now) {
    return isUsed() ? "used" : isExpired(now) ? "expired" : "unused";
  }

  EnrollmentToken withId(long newId) {
    return new EnrollmentToken(newId, sha256, label, subjectPattern, createdAt, createdBy, expiresAt, usedAt,
        usedByRequestId);
  }

  EnrollmentToken consumed(Instant at, String requestId) {
    return new EnrollmentToken(id, sha256, label, subjectPattern, createdAt, createdBy, expiresAt, Optional.of(at),
        Optional.of(requestId));
  }
}
