package org.est4j.tpm;

/**
 * A signing/encryption scheme (TPMT_RSA_SCHEME, TPMT_ECC_SCHEME) or key derivation scheme
 * (TPMT_KDF_SCHEME): the scheme id, its hash ({@link TpmAlg#NULL} when the scheme has none, as
 * RSAES and NULL) and, for ECDAA only, the commit count.
 */
public record Scheme(int scheme, int hashAlg, int count) {
  public static final Scheme NULL = new Scheme(TpmAlg.NULL, TpmAlg.NULL, 0);

  /** A scheme with a hash, e.g. {@code Scheme.of(TpmAlg.RSASSA, TpmAlg.SHA256)}. */
  public static Scheme of(int scheme, int hashAlg) {
    return new Scheme(scheme, hashAlg, 0);
  }

  public boolean isNull() {
    return scheme == TpmAlg.NULL;
  }

  /** TPMT_RSA_SCHEME: RSAES has no details, the others a hash. */
  static Scheme readRsa(TpmReader r) throws TpmFormatException {
    int scheme = r.u16();
    return switch (scheme) {
      case TpmAlg.NULL -> NULL;
      case TpmAlg.RSAES -> new Scheme(scheme, TpmAlg.NULL, 0);
      case TpmAlg.RSASSA, TpmAlg.RSAPSS, TpmAlg.OAEP -> of(scheme, r.u16());
      default -> throw new TpmFormatException(
          "TPMT_PUBLIC: unsupported RSA scheme " + TpmAlg.hex(scheme));
    };
  }

  /** TPMT_ECC_SCHEME: ECDAA carries a count after the hash. */
  static Scheme readEcc(TpmReader r) throws TpmFormatException {
    int scheme = r.u16();
    return switch (scheme) {
      case TpmAlg.NULL -> NULL;
      case TpmAlg.ECDAA -> new Scheme(scheme, r.u16(), r.u16());
      // ECDSA, ECDH, SM2, ECSCHNORR, ECMQV
      case TpmAlg.ECDSA, TpmAlg.ECDH, 0x001B, TpmAlg.ECSCHNORR, 0x001D -> of(scheme, r.u16());
      default -> throw new TpmFormatException(
          "TPMT_PUBLIC: unsupported ECC scheme " + TpmAlg.hex(scheme));
    };
  }

  /** TPMT_KDF_SCHEME. */
  static Scheme readKdf(TpmReader r) throws TpmFormatException {
    int scheme = r.u16();
    return switch (scheme) {
      case TpmAlg.NULL -> NULL;
      case TpmAlg.MGF1, TpmAlg.KDF1_SP800_56A, TpmAlg.KDF2, TpmAlg.KDF1_SP800_108 ->
          of(scheme, r.u16());
      default -> throw new TpmFormatException(
          "TPMT_PUBLIC: unsupported KDF scheme " + TpmAlg.hex(scheme));
    };
  }

  void write(TpmWriter w) {
    w.u16(scheme);
    if (isNull()) {
      return;
    }
    if (scheme != TpmAlg.RSAES) {
      w.u16(hashAlg);
    }
    if (scheme == TpmAlg.ECDAA) {
      w.u16(count);
    }
  }
}
