package org.est4j.tpm.device;

import java.math.BigInteger;

/**
 * TPMT_SIGNATURE: for RSASSA/RSAPSS the signature bytes; for ECDSA the integers r and s, which
 * {@link #toDer} encodes as the X9.62 Ecdsa-Sig-Value that JCA verifiers take.
 */
public record TpmSignature(int scheme, int hashAlg, byte[] rsa, BigInteger r, BigInteger s) {

  /** The signature as JCA's SHA256withRSA/RSASSA-PSS/SHA256withECDSA produce it. */
  public byte[] toDer() {
    if (scheme != Tpm2.ALG_ECDSA) {
      return rsa.clone();
    }
    // SEQUENCE { INTEGER r, INTEGER s }: two positive integers, the only DER written in this module
    byte[] ri = r.toByteArray();
    byte[] si = s.toByteArray();
    byte[] body = concat(integer(ri), integer(si));
    return concat(header(0x30, body.length), body);
  }

  private static byte[] integer(byte[] value) {
    return concat(header(0x02, value.length), value);
  }

  private static byte[] header(int tag, int length) {
    if (length < 0x80) {
      return new byte[] {(byte) tag, (byte) length};
    }
    if (length < 0x100) {
      return new byte[] {(byte) tag, (byte) 0x81, (byte) length};
    }
    return new byte[] {(byte) tag, (byte) 0x82, (byte) (length >> 8), (byte) length};
  }

  private static byte[] concat(byte[] a, byte[] b) {
    byte[] c = new byte[a.length + b.length];
    System.arraycopy(a, 0, c, 0, a.length);
    System.arraycopy(b, 0, c, a.length, b.length);
    return c;
  }
}
