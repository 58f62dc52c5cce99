package org.est4j.tpm;

import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.security.InvalidKeyException;
import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;

/**
 * The TPM's key derivation functions (TPM 2.0 Part 1 §11.4.10). Labels are given without their
 * terminating zero octet, which both functions append, as the TPM does ("STORAGE", "INTEGRITY",
 * "IDENTITY").
 */
public final class Kdf {
  private Kdf() {}

  /**
   * KDFa: SP 800-108 counter mode with HMAC. Each block is {@code HMAC(key, counter || label || 0
   * || contextU || contextV || bits)} with a 32-bit counter from 1; the result is truncated to
   * {@code bits} (a partial first octet is masked, per §11.4.10.2).
   */
  public static byte[] kdfA(TpmHash hash, byte[] key, String label, byte[] contextU,
      byte[] contextV, int bits) {
    int bytes = checkBits(bits);
    Mac mac;
    try {
      mac = Mac.getInstance(hash.hmacName());
      // HMAC accepts any key length, including empty (SecretKeySpec does not): pad an empty key
      // to one zero octet, which HMAC treats identically (keys are zero-padded to the block size).
      mac.init(new SecretKeySpec(key.length == 0 ? new byte[1] : key, hash.hmacName()));
    } catch (GeneralSecurityException e) {
      throw new IllegalStateException(hash.hmacName() + " is mandatory in every JRE", e);
    }
    byte[] fixed = fixedInput(label, contextU, contextV, bits);
    byte[] out = new byte[bytes];
    int done = 0;
    for (int counter = 1; done < bytes; counter++) {
      mac.update(be32(counter));
      byte[] block = mac.doFinal(fixed);
      int n = Math.min(block.length, bytes - done);
      System.arraycopy(block, 0, out, done, n);
      done += n;
    }
    return mask(out, bits);
  }

  /**
   * KDFe: SP 800-56A concatenation KDF (§11.4.10.3). Each block is {@code H(counter || Z || label
   * || 0 || partyUInfo || partyVInfo)}; for ECC secrets {@code Z} is the shared point's x
   * coordinate, partyU the ephemeral key's x and partyV the TPM key's x.
   */
  public static byte[] kdfE(TpmHash hash, byte[] z, String label, byte[] partyUInfo,
      byte[] partyVInfo, int bits) {
    int bytes = checkBits(bits);
    byte[] out = new byte[bytes];
    byte[] labelBytes = label.getBytes(StandardCharsets.US_ASCII);
    int done = 0;
    for (int counter = 1; done < bytes; counter++) {
      byte[] block = hash.digest(be32(counter), z, labelBytes, new byte[1], nz(partyUInfo),
          nz(partyVInfo));
      int n = Math.min(block.length, bytes - done);
      System.arraycopy(block, 0, out, done, n);
      done += n;
    }
    return mask(out, bits);
  }

  static Mac hmac(TpmHash hash, byte[] key) throws InvalidKeyException {
    try {
      Mac mac = Mac.getInstance(hash.hmacName());
      mac.init(new SecretKeySpec(key, hash.hmacName()));
      return mac;
    } catch (java.security.NoSuchAlgorithmException e) {
      throw new IllegalStateException(hash.hmacName() + " is mandatory in every JRE", e);
    }
  }

  private static byte[] fixedInput(String label, byte[] contextU, byte[] contextV, int bits) {
    return new TpmWriter()
        .bytes(label.getBytes(StandardCharsets.US_ASCII)).u8(0)
        .bytes(nz(contextU)).bytes(nz(contextV)).u32(bits).toByteArray();
  }

  private static int checkBits(int bits) {
    // The TPM limits derived keys far below SP 800-108's 2^32-1 blocks; 64 KiB is ample.
    if (bits <= 0 || bits > 8 * 65536) {
      throw new IllegalArgumentException("bits must be in 1.." + 8 * 65536 + ", not " + bits);
    }
    return (bits + 7) / 8;
  }

  private static byte[] mask(byte[] out, int bits) {
    if (bits % 8 != 0) {
      out[0] &= (byte) ((1 << (bits % 8)) - 1);
    }
    return out;
  }

  private static byte[] nz(byte[] b) {
    return b == null ? new byte[0] : b;
  }

  private static byte[] be32(int v) {
    return new byte[] {(byte) (v >>> 24), (byte) (v >>> 16), (byte) (v >>> 8), (byte) v};
  }
}
