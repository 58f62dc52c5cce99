package org.est4j.tpm;

/**
 * MakeCredential's output in {@code /tpmenroll}'s wire form: the credential blob (TPM2B_ID_OBJECT
 * without its outer size: TPM2B_DIGEST(integrityHMAC) || encIdentity) and the encrypted seed
 * (TPM2B_ENCRYPTED_SECRET without its size: RSA-OAEP ciphertext, or the ephemeral TPMS_ECC_POINT
 * for an ECC EK). TPM2_ActivateCredential takes both with their TPM2B sizes added back.
 */
public final class CredentialChallenge {
  private final byte[] credentialBlob;
  private final byte[] encryptedSecret;

  public CredentialChallenge(byte[] credentialBlob, byte[] encryptedSecret) {
    this.credentialBlob = credentialBlob.clone();
    this.encryptedSecret = encryptedSecret.clone();
  }

  /** TPM2B_DIGEST(integrityHMAC) || encIdentity. */
  public byte[] credentialBlob() {
    return credentialBlob.clone();
  }

  /** The encrypted seed without a TPM2B size. */
  public byte[] encryptedSecret() {
    return encryptedSecret.clone();
  }

  /** The credential blob as TPM2B_ID_OBJECT (with its 16-bit size), as TPM commands take it. */
  public byte[] idObject() {
    return new TpmWriter().tpm2b(credentialBlob).toByteArray();
  }

  /** The seed as TPM2B_ENCRYPTED_SECRET (with its 16-bit size). */
  public byte[] encryptedSecretTpm2b() {
    return new TpmWriter().tpm2b(encryptedSecret).toByteArray();
  }
}
