package org.est4j.protocol;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.math.BigInteger;
import java.util.Arrays;
import org.bouncycastle.asn1.ASN1EncodableVector;
import org.bouncycastle.asn1.ASN1Encoding;
import org.bouncycastle.asn1.ASN1Integer;
import org.bouncycastle.asn1.DERSequence;

/**
 * ECDSA signatures as JCA verifiers take them: the X9.62 Ecdsa-Sig-Value, DER SEQUENCE { INTEGER r,
 * INTEGER s }. Hardware returns r and s as integers (TPM2_Sign) or concatenated (PKCS#11 CKM_ECDSA),
 * so the device-key providers convert here.
 *
 * <pre>{@code
 * byte[] der = EcdsaSignatures.fromConcatenated(token.sign(hash)); // r || s, each half the length
 * }</pre>
 */
public final class EcdsaSignatures {
  private EcdsaSignatures() {}

  /** DER SEQUENCE { INTEGER r, INTEGER s } for non-negative {@code r} and {@code s}. */
  public static byte[] toDer(BigInteger r, BigInteger s) {
    if (r.signum() < 0 || s.signum() < 0) {
      throw new IllegalArgumentException("ECDSA r and s are non-negative");
    }
    ASN1EncodableVector v = new ASN1EncodableVector();
    v.add(new ASN1Integer(r));
    v.add(new ASN1Integer(s));
    try {
      return new DERSequence(v).getEncoded(ASN1Encoding.DER);
    } catch (IOException e) {
      throw new UncheckedIOException(e); // encoding to memory does not fail
    }
  }

  /** DER form of r || s as PKCS#11 returns it: two unsigned big-endian halves of equal length. */
  public static byte[] fromConcatenated(byte[] rs) {
    if (rs.length == 0 || rs.length % 2 != 0) {
      throw new IllegalArgumentException("an ECDSA r || s value has two halves of equal length, not "
          + rs.length + " bytes");
    }
    int n = rs.length / 2;
    return toDer(new BigInteger(1, Arrays.copyOfRange(rs, 0, n)), new BigInteger(1, Arrays.copyOfRange(rs, n, rs.length)));
  }
}
