package org.est4j.tpm;

/**
 * TPMT_SYM_DEF_OBJECT: the symmetric algorithm of a storage key (an EK's is AES-128 in CFB mode).
 * {@link #NULL} when the object has none.
 */
public record SymDef(int algorithm, int keyBits, int mode) {
  public static final SymDef NULL = new SymDef(TpmAlg.NULL, 0, TpmAlg.NULL);

  /** AES in CFB mode with the given key size (128, 192 or 256). */
  public static SymDef aesCfb(int keyBits) {
    if (keyBits != 128 && keyBits != 192 && keyBits != 256) {
      throw new IllegalArgumentException("AES key bits must be 128, 192 or 256, not " + keyBits);
    }
    return new SymDef(TpmAlg.AES, keyBits, TpmAlg.CFB);
  }

  public boolean isNull() {
    return algorithm == TpmAlg.NULL;
  }

  static SymDef read(TpmReader r) throws TpmFormatException {
    int algorithm = r.u16();
    if (algorithm == TpmAlg.NULL) {
      return NULL;
    }
    if (algorithm == TpmAlg.XOR) {
      throw new TpmFormatException("TPMT_PUBLIC: XOR is not a symmetric object algorithm");
    }
    return new SymDef(algorithm, r.u16(), r.u16());
  }

  void write(TpmWriter w) {
    w.u16(algorithm);
    if (!isNull()) {
      w.u16(keyBits).u16(mode);
    }
  }
}
