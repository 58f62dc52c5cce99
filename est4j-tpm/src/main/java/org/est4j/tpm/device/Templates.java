package org.est4j.tpm.device;

import java.util.HexFormat;

/**
 * TPMT_PUBLIC templates for TPM2_CreatePrimary and TPM2_Create: the TCG default EK templates
 * (EK Credential Profile §B.3.3 template L-1, §B.3.4 template L-2), a storage primary key, and
 * unrestricted signing keys (the kind /tpmenroll activates and that signs CSRs and TLS).
 */
public final class Templates {
  /** PolicySecret(TPM_RH_ENDORSEMENT) with SHA-256: the default EK authPolicy. */
  private static final byte[] EK_POLICY =
      HexFormat.of().parseHex("837197674484b3f81a90cc8d46a5d724fd52d76e06520b64f2a1da1b331469aa");
  private static final int EK_ATTRIBUTES = Tpm2.OBJ_FIXED_TPM | Tpm2.OBJ_FIXED_PARENT
      | Tpm2.OBJ_SENSITIVE_DATA_ORIGIN | Tpm2.OBJ_ADMIN_WITH_POLICY | Tpm2.OBJ_RESTRICTED | Tpm2.OBJ_DECRYPT;
  private static final int STORAGE_ATTRIBUTES = Tpm2.OBJ_FIXED_TPM | Tpm2.OBJ_FIXED_PARENT
      | Tpm2.OBJ_SENSITIVE_DATA_ORIGIN | Tpm2.OBJ_USER_WITH_AUTH | Tpm2.OBJ_NO_DA | Tpm2.OBJ_RESTRICTED
      | Tpm2.OBJ_DECRYPT;
  private static final int SIGNING_ATTRIBUTES = Tpm2.OBJ_FIXED_TPM | Tpm2.OBJ_FIXED_PARENT
      | Tpm2.OBJ_SENSITIVE_DATA_ORIGIN | Tpm2.OBJ_USER_WITH_AUTH | Tpm2.OBJ_SIGN;

  private Templates() {}

  /** Template L-1: RSA 2048 EK, AES-128-CFB, 256 zero bytes of unique. */
  public static byte[] rsaEk() {
    return rsa(EK_ATTRIBUTES, EK_POLICY, true, 2048, new byte[256]);
  }

  /** Template L-2: ECC NIST P-256 EK, AES-128-CFB, 32-byte zero x and y. */
  public static byte[] eccEk() {
    return ecc(EK_ATTRIBUTES, EK_POLICY, true, Tpm2.ECC_NIST_P256, new byte[32]);
  }

  /** An RSA 2048 storage primary key (the usual "SRK" template: AES-128-CFB, userWithAuth, noDA). */
  public static byte[] rsaStorage() {
    return rsa(STORAGE_ATTRIBUTES, new byte[0], true, 2048, new byte[0]);
  }

  /** An ECC P-256 storage primary key. */
  public static byte[] eccStorage() {
    return ecc(STORAGE_ATTRIBUTES, new byte[0], true, Tpm2.ECC_NIST_P256, new byte[0]);
  }

  /** An unrestricted RSA signing key, scheme NULL: any of RSASSA/RSAPSS with any hash at Sign time. */
  public static byte[] rsaSigning(int bits) {
    return rsa(SIGNING_ATTRIBUTES, new byte[0], false, bits, new byte[0]);
  }

  /** An unrestricted ECDSA signing key on a NIST curve ({@link Tpm2#ECC_NIST_P256}...), scheme NULL. */
  public static byte[] eccSigning(int curve) {
    return ecc(SIGNING_ATTRIBUTES, new byte[0], false, curve, new byte[0]);
  }

  private static byte[] rsa(int attributes, byte[] policy, boolean aes, int bits, byte[] unique) {
    TpmWriter w = header(Tpm2.ALG_RSA, attributes, policy);
    symmetric(w, aes);
    w.u16(Tpm2.ALG_NULL).u16(bits).u32(0);
    return w.tpm2b(unique).toByteArray();
  }

  private static byte[] ecc(int attributes, byte[] policy, boolean aes, int curve, byte[] unique) {
    TpmWriter w = header(Tpm2.ALG_ECC, attributes, policy);
    symmetric(w, aes);
    w.u16(Tpm2.ALG_NULL).u16(curve).u16(Tpm2.ALG_NULL);
    return w.tpm2b(unique).tpm2b(unique).toByteArray();
  }

  private static TpmWriter header(int type, int attributes, byte[] policy) {
    return new TpmWriter().u16(type).u16(Tpm2.ALG_SHA256).u32(attributes).tpm2b(policy);
  }

  private static void symmetric(TpmWriter w, boolean aes) {
    if (aes) {
      w.u16(Tpm2.ALG_AES).u16(128).u16(Tpm2.ALG_CFB);
    } else {
      w.u16(Tpm2.ALG_NULL);
    }
  }
}
