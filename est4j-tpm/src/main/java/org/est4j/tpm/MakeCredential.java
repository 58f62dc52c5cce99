package org.est4j.tpm;

import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.security.KeyPair;
import java.security.KeyPairGenerator;
import java.security.SecureRandom;
import java.security.interfaces.ECPublicKey;
import java.security.spec.ECParameterSpec;
import java.security.spec.MGF1ParameterSpec;
import javax.crypto.Cipher;
import javax.crypto.KeyAgreement;
import javax.crypto.spec.OAEPParameterSpec;
import javax.crypto.spec.PSource;

/**
 * TPM2_MakeCredential in software (TPM 2.0 Part 1 §24, Part 3 §12.6): protects a credential so
 * that only the TPM holding the EK, with the object of the given Name loaded, recovers it through
 * TPM2_ActivateCredential. RSA EKs encrypt a random seed with OAEP (label "IDENTITY"); ECC EKs
 * derive it by ephemeral ECDH and KDFe (§11.4.10.3, Part 1 Annex C.6.4).
 */
public final class MakeCredential {
  private static final SecureRandom RANDOM = new SecureRandom();

  private MakeCredential() {}

  /** Protects {@code credential} for the object named {@code objectName} under {@code ek}. */
  public static CredentialChallenge make(byte[] credential, TpmPublic ek, byte[] objectName)
      throws GeneralSecurityException {
    return make(credential, ek, objectName, RANDOM);
  }

  /** Protects {@code credential} for the AK {@code ak} under {@code ek}. */
  public static CredentialChallenge make(byte[] credential, TpmPublic ek, TpmPublic ak)
      throws GeneralSecurityException {
    return make(credential, ek, ak.name(), RANDOM);
  }

  public static CredentialChallenge make(byte[] credential, TpmPublic ek, byte[] objectName,
      SecureRandom random) throws GeneralSecurityException {
    TpmHash hash = ek.nameAlg();
    // Part 3 §12.6: the credential must fit a digest of the EK's name algorithm
    if (credential.length == 0 || credential.length > hash.size()) {
      throw new IllegalArgumentException("the credential must hold 1.." + hash.size()
          + " bytes for an EK with name algorithm " + hash + ", not " + credential.length);
    }
    byte[] seed;
    byte[] encryptedSecret;
    if (ek.isRsa()) {
      seed = new byte[hash.size()];
      random.nextBytes(seed);
      Cipher oaep = Cipher.getInstance("RSA/ECB/OAEPPadding");
      oaep.init(Cipher.ENCRYPT_MODE, CredentialProtection.ekKey(ek), oaepParams(hash), random);
      encryptedSecret = oaep.doFinal(seed);
    } else {
      ECPublicKey ekKey = (ECPublicKey) CredentialProtection.ekKey(ek);
      ECParameterSpec params = ekKey.getParams();
      KeyPairGenerator kpg = KeyPairGenerator.getInstance("EC");
      kpg.initialize(params, random);
      KeyPair ephemeral = kpg.generateKeyPair();
      KeyAgreement ka = KeyAgreement.getInstance("ECDH");
      ka.init(ephemeral.getPrivate());
      ka.doPhase(ekKey, true);
      byte[] z = ka.generateSecret();
      TpmPublic point = TpmPublic.builder().key(ephemeral.getPublic()).build();
      seed = Kdf.kdfE(hash, z, CredentialProtection.IDENTITY, point.eccX(), ek.eccX(),
          hash.size() * 8);
      encryptedSecret = new TpmWriter().tpm2b(point.eccX()).tpm2b(point.eccY()).toByteArray();
    }
    byte[] plain = new TpmWriter().tpm2b(credential).toByteArray();
    byte[] encIdentity =
        CredentialProtection.cfb(Cipher.ENCRYPT_MODE, ek, seed, objectName, plain);
    byte[] hmac = CredentialProtection.integrity(ek, seed, encIdentity, objectName);
    byte[] blob = new TpmWriter().tpm2b(hmac).bytes(encIdentity).toByteArray();
    return new CredentialChallenge(blob, encryptedSecret);
  }

  static OAEPParameterSpec oaepParams(TpmHash hash) {
    // the label includes its terminating zero octet (Part 1 §11.4.2, Annex B.10.3)
    byte[] label = (CredentialProtection.IDENTITY + "\0").getBytes(StandardCharsets.US_ASCII);
    MGF1ParameterSpec mgf = hash.mgf1();
    return new OAEPParameterSpec(hash.jcaName(), "MGF1", mgf, new PSource.PSpecified(label));
  }
}
