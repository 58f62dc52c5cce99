package org.est4j.tpm;

import java.math.BigInteger;
import java.security.PublicKey;
import java.security.interfaces.ECPublicKey;
import java.security.interfaces.RSAPublicKey;
import java.security.spec.ECParameterSpec;

/**
 * Builds a {@link TpmPublic} for a software key, e.g. an EK or AK stand-in in tests, or a template
 * for TPM2_CreatePrimary/TPM2_Create. {@link #ekTemplate} and {@link #akTemplate} preset the TCG
 * EK Credential Profile's default template and a restricted signing key.
 */
public final class TpmPublicBuilder {
  int type;
  TpmHash nameAlg = TpmHash.SHA256;
  int attributes;
  byte[] authPolicy = new byte[0];
  SymDef symmetric = SymDef.NULL;
  Scheme scheme = Scheme.NULL;
  int rsaKeyBits;
  int rsaExponent;
  int curve;
  Scheme kdf = Scheme.NULL;
  byte[] modulus = new byte[0];
  byte[] x = new byte[0];
  byte[] y = new byte[0];

  TpmPublicBuilder() {}

  /**
   * An EK in the TCG default template's shape (fixedTPM, fixedParent, sensitiveDataOrigin,
   * adminWithPolicy, restricted, decrypt; PolicySecret(TPM_RH_ENDORSEMENT); AES-128-CFB), holding
   * {@code key}. Its name algorithm is SHA-256.
   */
  public static TpmPublicBuilder ekTemplate(PublicKey key) {
    return new TpmPublicBuilder()
        .key(key)
        .attributes(TpmPublic.FIXED_TPM | TpmPublic.FIXED_PARENT | TpmPublic.SENSITIVE_DATA_ORIGIN
            | TpmPublic.ADMIN_WITH_POLICY | TpmPublic.RESTRICTED | TpmPublic.DECRYPT)
        .authPolicy(endorsementPolicy(TpmHash.SHA256))
        .symmetric(SymDef.aesCfb(128));
  }

  /** A restricted signing key (an AK) holding {@code key}: RSASSA or ECDSA with SHA-256. */
  public static TpmPublicBuilder akTemplate(PublicKey key) {
    TpmPublicBuilder b = new TpmPublicBuilder().key(key)
        .attributes(TpmPublic.FIXED_TPM | TpmPublic.FIXED_PARENT | TpmPublic.SENSITIVE_DATA_ORIGIN
            | TpmPublic.USER_WITH_AUTH | TpmPublic.RESTRICTED | TpmPublic.SIGN_ENCRYPT);
    return b.scheme(Scheme.of(b.type == TpmAlg.RSA ? TpmAlg.RSASSA : TpmAlg.ECDSA, TpmAlg.SHA256));
  }

  /**
   * The policy digest of PolicySecret(TPM_RH_ENDORSEMENT) with an empty policyRef: the EK's
   * authPolicy in the TCG default templates (for SHA-256: 837197674484b3f8...).
   */
  public static byte[] endorsementPolicy(TpmHash hash) {
    byte[] step = new TpmWriter()
        .bytes(new byte[hash.size()]).u32(0x00000151).u32(0x4000000B).toByteArray();
    return hash.digest(hash.digest(step));
  }

  /** Sets the type and unique field from an RSA or NIST-curve EC key. */
  public TpmPublicBuilder key(PublicKey key) {
    if (key instanceof RSAPublicKey rsa) {
      type = TpmAlg.RSA;
      rsaKeyBits = rsa.getModulus().bitLength();
      BigInteger e = rsa.getPublicExponent();
      if (e.bitLength() > 32) {
        throw new IllegalArgumentException("a TPM RSA exponent has at most 32 bits");
      }
      rsaExponent = e.equals(BigInteger.valueOf(65537)) ? 0 : e.intValue();
      modulus = unsigned(rsa.getModulus(), (rsaKeyBits + 7) / 8);
    } else if (key instanceof ECPublicKey ec) {
      type = TpmAlg.ECC;
      curve = TpmCurves.curveOf(ec);
      ECParameterSpec params = ec.getParams();
      int size = TpmCurves.coordinateSize(params);
      x = unsigned(ec.getW().getAffineX(), size);
      y = unsigned(ec.getW().getAffineY(), size);
    } else {
      throw new IllegalArgumentException("only RSA and EC keys fit a TPM object, not "
          + (key == null ? "null" : key.getAlgorithm()));
    }
    return this;
  }

  public TpmPublicBuilder nameAlg(TpmHash nameAlg) {
    this.nameAlg = nameAlg;
    return this;
  }

  public TpmPublicBuilder attributes(int attributes) {
    this.attributes = attributes;
    return this;
  }

  public TpmPublicBuilder authPolicy(byte[] authPolicy) {
    this.authPolicy = authPolicy.clone();
    return this;
  }

  public TpmPublicBuilder symmetric(SymDef symmetric) {
    this.symmetric = symmetric;
    return this;
  }

  public TpmPublicBuilder scheme(Scheme scheme) {
    this.scheme = scheme;
    return this;
  }

  /** The KDF scheme of an ECC key. */
  public TpmPublicBuilder kdf(Scheme kdf) {
    this.kdf = kdf;
    return this;
  }

  public TpmPublic build() {
    if (type != TpmAlg.RSA && type != TpmAlg.ECC) {
      throw new IllegalStateException("set the key first: key(PublicKey)");
    }
    if (nameAlg == null || symmetric == null || scheme == null || kdf == null) {
      throw new IllegalStateException("nameAlg, symmetric, scheme and kdf must not be null");
    }
    if (type == TpmAlg.RSA && !kdf.isNull()) {
      throw new IllegalStateException("an RSA object has no KDF scheme");
    }
    if (authPolicy.length != 0 && authPolicy.length != nameAlg.size()) {
      throw new IllegalStateException("authPolicy must be empty or a " + nameAlg + " digest");
    }
    return new TpmPublic(this, TpmPublicCodec.encode(this));
  }

  private static byte[] unsigned(BigInteger v, int size) {
    byte[] raw = v.toByteArray();
    byte[] out = new byte[size];
    int copy = Math.min(raw.length, size);
    System.arraycopy(raw, raw.length - copy, out, size - copy, copy);
    return out;
  }
}
