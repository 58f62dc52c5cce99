package org.est4j.client;

import java.io.IOException;
import java.security.GeneralSecurityException;

/**
 * Recovers the credential of a /tpmenroll answer: TPM2_ActivateCredential with the AK and the EK
 * on the TPM that holds them (TPM 2.0 Library Part 1 §24), or a software EK in tests.
 *
 * <pre>{@code
 * X509Certificate cert = client.tpmEnroll(request,
 *     (blob, seed) -> tpm.activateCredential(akHandle, ekHandle, blob, seed));
 * }</pre>
 */
@FunctionalInterface
public interface CredentialActivator {
  /**
   * @param credentialBlob TPM2B_ID_OBJECT without its outer size: {@code TPM2B_DIGEST(integrity
   *     HMAC) || encIdentity}
   * @param encryptedSeed the secret encrypted to the EK (TPM2B_ENCRYPTED_SECRET without its size)
   * @return the credential (the seed's server uses 16 bytes, the AES key of the certificate)
   */
  byte[] activate(byte[] credentialBlob, byte[] encryptedSeed) throws IOException, GeneralSecurityException;
}
