package org.est4j.server.store;

import java.time.Instant;
import java.util.Objects;
import java.util.Optional;

/**
 * What {@link CertificateStore#recordIssued(CertificateRecord, Optional)} must do in the same
 * transaction as the certificate row: mark the token used, but only if it is still unused,
 * unexpired at {@code at} and for {@code label}. When it is not, the certificate is not recorded
 * either and the call throws {@link TokenNotUsableException}.
 */
public record TokenConsumption(String sha256, Optional<String> label, Instant at, String requestId) {
  public TokenConsumption {
    Objects.requireNonNull(sha256, "sha256");
    Objects.requireNonNull(label, "label");
    Objects.requireNonNull(at, "at");
    Objects.requireNonNull(requestId, "requestId");
  }
}
