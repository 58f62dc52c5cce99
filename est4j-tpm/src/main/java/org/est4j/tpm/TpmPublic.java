package org.est4j.tpm;

import java.math.BigInteger;
import java.security.GeneralSecurityException;
import java.security.KeyFactory;
import java.security.PublicKey;
import java.security.spec.ECParameterSpec;
import java.security.spec.ECPoint;
import java.security.spec.ECPublicKeySpec;
import java.security.spec.RSAPublicKeySpec;
import java.util.Arrays;

/**
 * A TPM 2.0 object's public area, TPMT_PUBLIC (Part 2 §12.2.4), for RSA and ECC keys: what
 * {@code /tpmenroll} carries for the EK and the AK. Immutable; {@link #encode()} gives the exact
 * bytes parsed (or built), so {@link #name()} matches the TPM's.
 */
public final class TpmPublic {
  public static final int FIXED_TPM = 1 << 1;
  public static final int ST_CLEAR = 1 << 2;
  public static final int FIXED_PARENT = 1 << 4;
  public static final int SENSITIVE_DATA_ORIGIN = 1 << 5;
  public static final int USER_WITH_AUTH = 1 << 6;
  public static final int ADMIN_WITH_POLICY = 1 << 7;
  public static final int NO_DA = 1 << 10;
  public static final int ENCRYPTED_DUPLICATION = 1 << 11;
  public static final int RESTRICTED = 1 << 16;
  public static final int DECRYPT = 1 << 17;
  public static final int SIGN_ENCRYPT = 1 << 18;

  private final int type;
  private final TpmHash nameAlg;
  private final int attributes;
  private final byte[] authPolicy;
  private final SymDef symmetric;
  private final Scheme scheme;
  private final int rsaKeyBits;
  private final int rsaExponent;
  private final int curve;
  private final Scheme kdf;
  private final byte[] modulus;
  private final byte[] x;
  private final byte[] y;
  private final byte[] encoded;

  TpmPublic(TpmPublicBuilder b, byte[] encoded) {
    this.type = b.type;
    this.nameAlg = b.nameAlg;
    this.attributes = b.attributes;
    this.authPolicy = b.authPolicy.clone();
    this.symmetric = b.symmetric;
    this.scheme = b.scheme;
    this.rsaKeyBits = b.rsaKeyBits;
    this.rsaExponent = b.rsaExponent;
    this.curve = b.curve;
    this.kdf = b.kdf;
    this.modulus = b.modulus.clone();
    this.x = b.x.clone();
    this.y = b.y.clone();
    this.encoded = encoded.clone();
  }

  /** Decodes a TPMT_PUBLIC (no size prefix: as {@code /tpmenroll} and go-tpm's Encode send it). */
  public static TpmPublic parse(byte[] tpmtPublic) throws TpmFormatException {
    return TpmPublicCodec.parse(tpmtPublic);
  }

  /** Decodes a TPM2B_PUBLIC (16-bit size, then TPMT_PUBLIC), as tpm2-tools writes by default. */
  public static TpmPublic parseTpm2b(byte[] tpm2bPublic) throws TpmFormatException {
    TpmReader r = new TpmReader(tpm2bPublic, "TPM2B_PUBLIC");
    byte[] inner = r.tpm2b();
    r.expectEnd();
    return parse(inner);
  }

  public static TpmPublicBuilder builder() {
    return new TpmPublicBuilder();
  }

  /** TPMT_PUBLIC bytes, no size prefix. */
  public byte[] encode() {
    return encoded.clone();
  }

  /** TPM2B_PUBLIC bytes: the 16-bit size, then {@link #encode()}. */
  public byte[] encodeTpm2b() {
    return new TpmWriter().tpm2b(encoded).toByteArray();
  }

  /** The object's Name: nameAlg (2 bytes) || H_nameAlg(TPMT_PUBLIC) (Part 1 §16). */
  public byte[] name() {
    return new TpmWriter().u16(nameAlg.algId()).bytes(nameAlg.digest(encoded)).toByteArray();
  }

  /** The key as a JCA public key. */
  public PublicKey publicKey() throws TpmFormatException {
    try {
      if (type == TpmAlg.RSA) {
        if (modulus.length == 0) {
          throw new TpmFormatException("TPMT_PUBLIC: the RSA modulus is empty");
        }
        return KeyFactory.getInstance("RSA")
            .generatePublic(new RSAPublicKeySpec(new BigInteger(1, modulus), exponent()));
      }
      ECParameterSpec params = TpmCurves.params(curve);
      ECPoint point = new ECPoint(new BigInteger(1, x), new BigInteger(1, y));
      return KeyFactory.getInstance("EC").generatePublic(new ECPublicKeySpec(point, params));
    } catch (GeneralSecurityException e) {
      throw new TpmFormatException("TPMT_PUBLIC: the unique field is not a valid public key", e);
    }
  }

  /** {@link TpmAlg#RSA} or {@link TpmAlg#ECC}. */
  public int type() {
    return type;
  }

  public boolean isRsa() {
    return type == TpmAlg.RSA;
  }

  public boolean isEcc() {
    return type == TpmAlg.ECC;
  }

  public TpmHash nameAlg() {
    return nameAlg;
  }

  /** TPMA_OBJECT bits; see the constants of this class. */
  public int attributes() {
    return attributes;
  }

  public boolean has(int attribute) {
    return (attributes & attribute) == attribute;
  }

  public boolean isRestricted() {
    return has(RESTRICTED);
  }

  public boolean isDecrypt() {
    return has(DECRYPT);
  }

  public boolean isSign() {
    return has(SIGN_ENCRYPT);
  }

  public boolean isFixedTpm() {
    return has(FIXED_TPM);
  }

  /** A restricted decryption key that cannot sign: what an EK (or any storage parent) is. */
  public boolean isRestrictedDecryptionKey() {
    return isRestricted() && isDecrypt() && !isSign();
  }

  public byte[] authPolicy() {
    return authPolicy.clone();
  }

  public SymDef symmetric() {
    return symmetric;
  }

  public Scheme scheme() {
    return scheme;
  }

  /** RSA key size in bits (0 for ECC). */
  public int rsaKeyBits() {
    return rsaKeyBits;
  }

  /** The RSA exponent, 65537 when the area says 0 (the TPM's default). */
  public BigInteger exponent() {
    return BigInteger.valueOf(rsaExponent == 0 ? 65537 : Integer.toUnsignedLong(rsaExponent));
  }

  /** TPM_ECC_CURVE (0 for RSA). */
  public int curve() {
    return curve;
  }

  /** TPMT_KDF_SCHEME of an ECC key ({@link Scheme#NULL} for RSA). */
  public Scheme kdf() {
    return kdf;
  }

  /** The RSA modulus as stored (empty for ECC). */
  public byte[] modulus() {
    return modulus.clone();
  }

  /** The ECC point's x coordinate as stored (empty for RSA). */
  public byte[] eccX() {
    return x.clone();
  }

  public byte[] eccY() {
    return y.clone();
  }

  @Override
  public boolean equals(Object o) {
    return o instanceof TpmPublic other && Arrays.equals(encoded, other.encoded);
  }

  @Override
  public int hashCode() {
    return Arrays.hashCode(encoded);
  }

  @Override
  public String toString() {
    return "TpmPublic[" + (isRsa() ? "RSA-" + rsaKeyBits : "ECC " + TpmAlg.hex(curve))
        + ", nameAlg " + nameAlg + ", attributes 0x" + Integer.toHexString(attributes) + "]";
  }
}
