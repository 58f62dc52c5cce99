package org.est4j.tpm.device;

/** TPM 2.0 constants (Part 2) that the command layer uses. */
public final class Tpm2 {
  private Tpm2() {}

  // TPM_ST
  static final int ST_NO_SESSIONS = 0x8001;
  static final int ST_SESSIONS = 0x8002;
  static final int ST_HASHCHECK = 0x8024;

  // TPM_CC
  static final int CC_EVICT_CONTROL = 0x120;
  static final int CC_CREATE_PRIMARY = 0x131;
  static final int CC_STARTUP = 0x144;
  static final int CC_ACTIVATE_CREDENTIAL = 0x147;
  static final int CC_NV_READ = 0x14E;
  static final int CC_POLICY_SECRET = 0x151;
  static final int CC_CREATE = 0x153;
  static final int CC_LOAD = 0x157;
  static final int CC_SIGN = 0x15D;
  static final int CC_FLUSH_CONTEXT = 0x165;
  static final int CC_NV_READ_PUBLIC = 0x169;
  static final int CC_READ_PUBLIC = 0x173;
  static final int CC_START_AUTH_SESSION = 0x176;

  // TPM_RH and TPM_RS
  public static final int RH_OWNER = 0x40000001;
  public static final int RH_NULL = 0x40000007;
  public static final int RS_PW = 0x40000009;
  public static final int RH_ENDORSEMENT = 0x4000000B;
  public static final int RH_PLATFORM = 0x4000000C;

  // TPM_ALG_ID
  public static final int ALG_RSA = 0x0001;
  public static final int ALG_SHA1 = 0x0004;
  public static final int ALG_HMAC = 0x0005;
  public static final int ALG_AES = 0x0006;
  public static final int ALG_KEYEDHASH = 0x0008;
  public static final int ALG_SHA256 = 0x000B;
  public static final int ALG_SHA384 = 0x000C;
  public static final int ALG_SHA512 = 0x000D;
  public static final int ALG_NULL = 0x0010;
  public static final int ALG_RSASSA = 0x0014;
  public static final int ALG_RSAPSS = 0x0016;
  public static final int ALG_ECDSA = 0x0018;
  public static final int ALG_ECC = 0x0023;
  public static final int ALG_CFB = 0x0043;

  // TPM_ECC_CURVE
  public static final int ECC_NIST_P256 = 0x0003;
  public static final int ECC_NIST_P384 = 0x0004;
  public static final int ECC_NIST_P521 = 0x0005;

  // TPMA_OBJECT
  public static final int OBJ_FIXED_TPM = 1 << 1;
  public static final int OBJ_FIXED_PARENT = 1 << 4;
  public static final int OBJ_SENSITIVE_DATA_ORIGIN = 1 << 5;
  public static final int OBJ_USER_WITH_AUTH = 1 << 6;
  public static final int OBJ_ADMIN_WITH_POLICY = 1 << 7;
  public static final int OBJ_NO_DA = 1 << 10;
  public static final int OBJ_RESTRICTED = 1 << 16;
  public static final int OBJ_DECRYPT = 1 << 17;
  public static final int OBJ_SIGN = 1 << 18;

  // TPM_SE
  static final int SE_POLICY = 0x01;

  // TPMA_SESSION
  static final int SESSION_CONTINUE = 0x01;

  /** The digest length of a TPM hash algorithm. */
  static int digestSize(int hashAlg) {
    switch (hashAlg) {
      case ALG_SHA1:
        return 20;
      case ALG_SHA256:
        return 32;
      case ALG_SHA384:
        return 48;
      case ALG_SHA512:
        return 64;
      default:
        throw new IllegalArgumentException(String.format("unsupported TPM hash algorithm 0x%04x", hashAlg));
    }
  }

  /** The JCA name of a TPM hash algorithm. */
  static String jcaDigest(int hashAlg) {
    switch (hashAlg) {
      case ALG_SHA1:
        return "SHA-1";
      case ALG_SHA256:
        return "SHA-256";
      case ALG_SHA384:
        return "SHA-384";
      case ALG_SHA512:
        return "SHA-512";
      default:
        throw new IllegalArgumentException(String.format("unsupported TPM hash algorithm 0x%04x", hashAlg));
    }
  }

  /** The handle as the TPM tools print it, e.g. 0x81010001. */
  public static String hex(int handle) {
    return String.format("0x%08x", handle);
  }
}
