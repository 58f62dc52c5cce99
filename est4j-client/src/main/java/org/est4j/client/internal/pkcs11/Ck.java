package org.est4j.client.internal.pkcs11;

/**
 * The PKCS#11 v2.40 constants est4j uses, by value: the JDK's own constant holders changed shape
 * between JDK 17 (interface constants) and 21 (enums), the values never change.
 */
final class Ck {
  private Ck() {}

  static final long CKA_CLASS = 0x0000;
  static final long CKA_TOKEN = 0x0001;
  static final long CKA_PRIVATE = 0x0002;
  static final long CKA_LABEL = 0x0003;
  static final long CKA_VALUE = 0x0011;
  static final long CKA_KEY_TYPE = 0x0100;
  static final long CKA_ID = 0x0102;
  static final long CKA_SENSITIVE = 0x0103;
  static final long CKA_SIGN = 0x0108;
  static final long CKA_VERIFY = 0x010A;
  static final long CKA_MODULUS = 0x0120;
  static final long CKA_MODULUS_BITS = 0x0121;
  static final long CKA_PUBLIC_EXPONENT = 0x0122;
  static final long CKA_EC_PARAMS = 0x0180;
  static final long CKA_EC_POINT = 0x0181;
  static final long CKA_EXTRACTABLE = 0x0162;

  static final long CKO_CERTIFICATE = 1;
  static final long CKO_PUBLIC_KEY = 2;
  static final long CKO_PRIVATE_KEY = 3;

  static final long CKK_RSA = 0;
  static final long CKK_EC = 3;

  static final long CKM_RSA_PKCS_KEY_PAIR_GEN = 0x0000;
  static final long CKM_RSA_PKCS = 0x0001;
  static final long CKM_EC_KEY_PAIR_GEN = 0x1040;
  static final long CKM_RSA_PKCS_PSS = 0x000D;
  static final long CKM_ECDSA = 0x1041;

  static final long CKU_USER = 1;
  static final long CKF_RW_SESSION = 0x2;
  static final long CKF_SERIAL_SESSION = 0x4;
  static final long CKF_OS_LOCKING_OK = 0x2;
  static final long CKF_LOGIN_REQUIRED = 0x4;

  static final long CKR_PIN_INCORRECT = 0xA0;
  static final long CKR_PIN_INVALID = 0xA1;
  static final long CKR_PIN_LEN_RANGE = 0xA2;
  static final long CKR_PIN_EXPIRED = 0xA3;
  static final long CKR_PIN_LOCKED = 0xA4;
  static final long CKR_USER_ALREADY_LOGGED_IN = 0x100;
  static final long CKR_CRYPTOKI_ALREADY_INITIALIZED = 0x191;
}
