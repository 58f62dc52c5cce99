package org.est4j.tpm;

import java.math.BigInteger;
import java.security.GeneralSecurityException;
import java.security.KeyFactory;
import java.security.MessageDigest;
import java.security.PrivateKey;
import java.security.PublicKey;
import java.security.SignatureException;
import java.security.interfaces.ECPublicKey;
import java.security.spec.ECPoint;
import java.security.spec.ECPublicKeySpec;
import java.util.Arrays;
import javax.crypto.Cipher;
import javax.crypto.KeyAgreement;

/**
 * TPM2_ActivateCredential's cryptography in software, given the EK's private key: the inverse of
 * {@link MakeCredential}, for tests and for tools that hold a software "EK". It makes the TPM's
 * checks: the HMAC size, a minimum length, the integrity HMAC (in constant time) and the inner
 * size.
 */
public final class CredentialActivation {
  private CredentialActivation() {}

  /** Recovers the credential from a challenge made for {@code objectName} under {@code ek}. */
  public static byte[] activate(PrivateKey ekPrivate, TpmPublic ek, byte[] objectName,
      CredentialChallenge challenge) throws GeneralSecurityException {
    TpmHash hash = ek.nameAlg();
    byte[] seed = recoverSeed(ekPrivate, ek, challenge.encryptedSecret());
    byte[] blob = challenge.credentialBlob();
    int hmacSize = blob.length < 2 ? -1 : ((blob[0] & 0xff) << 8) | (blob[1] & 0xff);
    if (hmacSize != hash.size()) {
      throw new GeneralSecurityException("credential blob: integrity HMAC size " + hmacSize
          + " does not match the " + hash + " digest size " + hash.size());
    }
    // 2-byte HMAC size + HMAC + 2-byte inner size + at least one credential byte
    if (blob.length < hash.size() + 5) {
      throw new GeneralSecurityException("credential blob: too short (" + blob.length + " bytes)");
    }
    byte[] hmac = Arrays.copyOfRange(blob, 2, 2 + hmacSize);
    byte[] encIdentity = Arrays.copyOfRange(blob, 2 + hmacSize, blob.length);
    byte[] expected = CredentialProtection.integrity(ek, seed, encIdentity, objectName);
    if (!MessageDigest.isEqual(hmac, expected)) {
      throw new SignatureException("credential blob: integrity HMAC does not match");
    }
    byte[] plain = CredentialProtection.cfb(Cipher.DECRYPT_MODE, ek, seed, objectName, encIdentity);
    int size = ((plain[0] & 0xff) << 8) | (plain[1] & 0xff);
    if (size != plain.length - 2) {
      throw new GeneralSecurityException("credential blob: inner size " + size
          + " does not match the " + (plain.length - 2) + " bytes decrypted");
    }
    return Arrays.copyOfRange(plain, 2, plain.length);
  }

  private static byte[] recoverSeed(PrivateKey ekPrivate, TpmPublic ek, byte[] encryptedSecret)
      throws GeneralSecurityException {
    TpmHash hash = ek.nameAlg();
    if (ek.isRsa()) {
      Cipher oaep = Cipher.getInstance("RSA/ECB/OAEPPadding");
      oaep.init(Cipher.DECRYPT_MODE, ekPrivate, MakeCredential.oaepParams(hash));
      return oaep.doFinal(encryptedSecret);
    }
    byte[] x;
    byte[] y;
    try {
      TpmReader r = new TpmReader(encryptedSecret, "TPMS_ECC_POINT");
      x = r.tpm2b();
      y = r.tpm2b();
      r.expectEnd();
    } catch (TpmFormatException e) {
      throw new GeneralSecurityException("encrypted seed: " + e.getMessage(), e);
    }
    ECPublicKey ekKey = (ECPublicKey) CredentialProtection.ekKey(ek);
    PublicKey ephemeral = KeyFactory.getInstance("EC").generatePublic(new ECPublicKeySpec(
        new ECPoint(new BigInteger(1, x), new BigInteger(1, y)), ekKey.getParams()));
    KeyAgreement ka = KeyAgreement.getInstance("ECDH");
    ka.init(ekPrivate);
    ka.doPhase(ephemeral, true);
    return Kdf.kdfE(hash, ka.generateSecret(), CredentialProtection.IDENTITY, x, ek.eccX(),
        hash.size() * 8);
  }
}
