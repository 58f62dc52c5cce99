package org.est4j.tpm;

import java.security.GeneralSecurityException;
import javax.crypto.Cipher;
import javax.crypto.Mac;
import javax.crypto.spec.IvParameterSpec;
import javax.crypto.spec.SecretKeySpec;

/**
 * The symmetric half of credential protection (Part 1 §24.4, §24.5), shared by MakeCredential
 * and its software inverse: encIdentity = AES-CFB(KDFa(seed, "STORAGE", name), zero IV) of the
 * TPM2B credential; outerHMAC = HMAC(KDFa(seed, "INTEGRITY"), encIdentity || name).
 */
final class CredentialProtection {
  static final String IDENTITY = "IDENTITY";

  private CredentialProtection() {}

  static byte[] cfb(int mode, TpmPublic ek, byte[] seed, byte[] name, byte[] input)
      throws GeneralSecurityException {
    SymDef sym = ek.symmetric();
    if (sym.algorithm() != TpmAlg.AES || sym.mode() != TpmAlg.CFB) {
      throw new GeneralSecurityException("the EK's symmetric algorithm must be AES in CFB mode, not "
          + TpmAlg.hex(sym.algorithm()) + "/" + TpmAlg.hex(sym.mode()));
    }
    int bits = sym.keyBits();
    if (bits != 128 && bits != 192 && bits != 256) {
      throw new GeneralSecurityException("the EK's AES key size must be 128, 192 or 256, not " + bits);
    }
    byte[] key = Kdf.kdfA(ek.nameAlg(), seed, "STORAGE", name, null, bits);
    Cipher c = Cipher.getInstance("AES/CFB/NoPadding");
    c.init(mode, new SecretKeySpec(key, "AES"), new IvParameterSpec(new byte[16]));
    return c.doFinal(input);
  }

  /** The EK's key; an area whose unique field is no valid key is an InvalidKeyException here. */
  static java.security.PublicKey ekKey(TpmPublic ek) throws java.security.InvalidKeyException {
    try {
      return ek.publicKey();
    } catch (TpmFormatException e) {
      throw new java.security.InvalidKeyException(e.getMessage(), e);
    }
  }

  static byte[] integrity(TpmPublic ek, byte[] seed, byte[] encIdentity, byte[] name)
      throws GeneralSecurityException {
    TpmHash hash = ek.nameAlg();
    byte[] key = Kdf.kdfA(hash, seed, "INTEGRITY", null, null, hash.size() * 8);
    Mac mac = Kdf.hmac(hash, key);
    mac.update(encIdentity);
    return mac.doFinal(name);
  }
}
