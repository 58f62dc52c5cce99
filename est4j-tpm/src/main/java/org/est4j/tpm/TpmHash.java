package org.est4j.tpm;

import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.security.spec.MGF1ParameterSpec;

/** The hash algorithms a TPM object's nameAlg may name, with their JCA names and sizes. */
public enum TpmHash {
  SHA1(TpmAlg.SHA1, "SHA-1", "HmacSHA1", 20, MGF1ParameterSpec.SHA1),
  SHA256(TpmAlg.SHA256, "SHA-256", "HmacSHA256", 32, MGF1ParameterSpec.SHA256),
  SHA384(TpmAlg.SHA384, "SHA-384", "HmacSHA384", 48, MGF1ParameterSpec.SHA384),
  SHA512(TpmAlg.SHA512, "SHA-512", "HmacSHA512", 64, MGF1ParameterSpec.SHA512);

  private final int algId;
  private final String jcaName;
  private final String hmacName;
  private final int size;
  private final MGF1ParameterSpec mgf1;

  TpmHash(int algId, String jcaName, String hmacName, int size, MGF1ParameterSpec mgf1) {
    this.algId = algId;
    this.jcaName = jcaName;
    this.hmacName = hmacName;
    this.size = size;
    this.mgf1 = mgf1;
  }

  /** The hash with this TPM_ALG_ID. */
  public static TpmHash of(int algId) throws TpmFormatException {
    for (TpmHash h : values()) {
      if (h.algId == algId) {
        return h;
      }
    }
    throw new TpmFormatException("unsupported hash algorithm " + TpmAlg.hex(algId));
  }

  public int algId() {
    return algId;
  }

  public String jcaName() {
    return jcaName;
  }

  public String hmacName() {
    return hmacName;
  }

  /** Digest size in bytes. */
  public int size() {
    return size;
  }

  MGF1ParameterSpec mgf1() {
    return mgf1;
  }

  public byte[] digest(byte[]... parts) {
    MessageDigest md;
    try {
      md = MessageDigest.getInstance(jcaName);
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException(jcaName + " is mandatory in every JRE", e);
    }
    for (byte[] p : parts) {
      md.update(p);
    }
    return md.digest();
  }
}
