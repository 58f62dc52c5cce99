package org.est4j.server.store;

import java.time.Duration;
import java.time.Instant;
import java.util.Objects;
import java.util.Optional;

/**
 * Filters for {@link CertificateStore#list}; all given filters must match. Made with
 * {@link #builder()}; an empty query lists the newest {@link #DEFAULT_LIMIT} certificates.
 *
 * @param caName exact CA name
 * @param label exact label; {@code Optional.of("")} selects the unlabelled path
 * @param subjectContains case-insensitive substring of the subject DN
 * @param status effective status (EXPIRED = issued and past notAfter)
 * @param expiringWithin not revoked, not yet expired, and notAfter within this duration of {@code now}
 * @param now the reference time for EXPIRED and expiringWithin
 * @param limit the most rows returned, newest first
 */
public record CertificateQuery(
    Optional<String> caName,
    Optional<String> label,
    Optional<String> subjectContains,
    Optional<CertificateStatus> status,
    Optional<Duration> expiringWithin,
    Instant now,
    int limit) {
  public static final int DEFAULT_LIMIT = 1000;

  public CertificateQuery {
    Objects.requireNonNull(caName, "caName");
    Objects.requireNonNull(label, "label");
    Objects.requireNonNull(subjectContains, "subjectContains");
    Objects.requireNonNull(status, "status");
    Objects.requireNonNull(expiringWithin, "expiringWithin");
    Objects.requireNonNull(now, "now");
    if (limit < 1) {
      throw new IllegalArgumentException("limit must be at least 1");
    }
    if (expiringWithin.isPresent() && expiringWithin.get().isNegative()) {
      throw new IllegalArgumentException("expiringWithin must not be negative");
    }
  }

  public static Builder builder() {
    return new Builder();
  }

  /** Whether {@code r} passes the filters (the in-memory store's matcher; SQL stores mirror it). */
  public boolean matches(CertificateRecord r) {
    if (caName.isPresent() && !caName.get().equals(r.caName())) {
      return false;
    }
    if (label.isPresent() && !label.get().equals(r.label().orElse(""))) {
      return false;
    }
    if (subjectContains.isPresent() && !r.subject().toLowerCase(java.util.Locale.ROOT)
        .contains(subjectContains.get().toLowerCase(java.util.Locale.ROOT))) {
      return false;
    }
    if (status.isPresent() && r.effectiveStatus(now) != status.get()) {
      return false;
    }
    if (expiringWithin.isPresent()) {
      return r.effectiveStatus(now) == CertificateStatus.ISSUED && !r.notAfter().isAfter(now.plus(expiringWithin.get()));
    }
    return true;
  }

  /** Builder; nothing set means no filter. */
  public static final class Builder {
    private Optional<String> caName = Optional.empty();
    private Optional<String> label = Optional.empty();
    private Optional<String> subjectContains = Optional.empty();
    private Optional<CertificateStatus> status = Optional.empty();
    private Optional<Duration> expiringWithin = Optional.empty();
    private Instant now;
    private int limit = DEFAULT_LIMIT;

    private Builder() {}

    public Builder caName(String caName) {
      this.caName = Optional.of(caName);
      return this;
    }

    public Builder label(String label) {
      this.label = Optional.of(label);
      return this;
    }

    public Builder subjectContains(String text) {
      this.subjectContains = Optional.of(text);
      return this;
    }

    public Builder status(CertificateStatus status) {
      this.status = Optional.of(status);
      return this;
    }

    public Builder expiringWithin(Duration within) {
      this.expiringWithin = Optional.of(within);
      return this;
    }

    public Builder now(Instant now) {
      this.now = now;
      return this;
    }

    public Builder limit(int limit) {
      this.limit = limit;
      return this;
    }

    public CertificateQuery build() {
      return new CertificateQuery(
          caName, label, subjectContains, status, expiringWithin, now == null ? Instant.now() : now, limit);
    }
  }
}
