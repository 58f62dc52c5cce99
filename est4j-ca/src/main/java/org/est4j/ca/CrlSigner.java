package org.est4j.ca;

import java.math.BigInteger;
import java.time.Instant;
import java.util.List;
import java.util.Objects;

/**
 * Signs certificate revocation lists (RFC 5280 §5, version 2) with the issuing CA key, which stays
 * inside the CA. Obtained from {@link CertificateAuthority#crlSigner()}.
 */
public interface CrlSigner {

  /**
   * One revoked certificate.
   *
   * @param reasonCode an RFC 5280 §5.3.1 CRLReason (0 unspecified: then no reasonCode extension)
   */
  record Revoked(BigInteger serial, Instant revokedAt, int reasonCode) {
    public Revoked {
      Objects.requireNonNull(serial, "serial");
      Objects.requireNonNull(revokedAt, "revokedAt");
      if (reasonCode < 0 || reasonCode == 7 || reasonCode > 10) {
        throw new IllegalArgumentException("not an RFC 5280 CRLReason: " + reasonCode);
      }
    }
  }

  /** A DER CRL with this CRL number, times and entries, with the CA's Authority Key Identifier. */
  byte[] signCrl(BigInteger crlNumber, Instant thisUpdate, Instant nextUpdate, List<Revoked> revoked)
      throws CaException;
}
