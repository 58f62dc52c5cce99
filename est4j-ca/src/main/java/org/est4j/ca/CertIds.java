package org.est4j.ca;

import java.math.BigInteger;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.security.SecureRandom;
import org.bouncycastle.asn1.x509.SubjectKeyIdentifier;
import org.bouncycastle.asn1.x509.SubjectPublicKeyInfo;

/** Serial numbers and key identifiers, shared by the issuing and the transient CA. */
final class CertIds {

  private CertIds() {}

  /**
   * A random serial of at most 128 bits, positive and non-zero. RFC 5280 §4.1.2.2 requires a
   * positive integer of at most 20 octets; 128 bits encode in at most 17 (16 plus a sign octet),
   * and are random enough that CA/Browser Forum's 64-bit entropy rule is met with margin. Zero
   * (chance 2^-128) is drawn again rather than shifted, so the distribution stays uniform.
   */
  static BigInteger randomSerial(SecureRandom random) {
    BigInteger serial;
    do {
      serial = new BigInteger(128, random);
    } while (serial.signum() == 0);
    return serial;
  }

  /**
   * The key identifier of RFC 5280 §4.2.1.2 method 1: SHA-1 over the subjectPublicKey BIT STRING's
   * contents (not over the whole SubjectPublicKeyInfo), which is what OpenSSL and most CAs use.
   */
  static SubjectKeyIdentifier subjectKeyIdentifier(SubjectPublicKeyInfo key) {
    try {
      // A MessageDigest is not thread-safe and getInstance is cheap: one per call.
      return new SubjectKeyIdentifier(
          MessageDigest.getInstance("SHA-1").digest(key.getPublicKeyData().getBytes()));
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException("SHA-1 is required of every Java platform", e);
    }
  }
}
