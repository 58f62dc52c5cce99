package org.est4j.client;

import java.io.ByteArrayInputStream;
import java.security.cert.CertificateException;
import java.security.cert.CertificateFactory;
import java.security.cert.X509Certificate;
import java.util.Objects;
import org.est4j.protocol.EstProtocolException;
import org.est4j.protocol.cms.PskEncryptedData;

/**
 * The answer of /tpmenroll: the certificate, encrypted under a credential that only the TPM
 * holding both the EK and the AK can recover (TPM2_ActivateCredential on the credential blob and
 * the encrypted seed). Immutable; byte arrays are copied on the way out.
 *
 * <pre>{@code
 * TpmEnrollResult r = client.tpmEnroll(request);
 * byte[] credential = tpm.activateCredential(ak, ek, r.credentialBlob(), r.encryptedSeed());
 * X509Certificate cert = r.decryptCertificate(credential);
 * }</pre>
 */
public final class TpmEnrollResult {
  private final byte[] credentialBlob;
  private final byte[] encryptedSeed;
  private final byte[] encryptedCertificate;

  /**
   * @param credentialBlob TPM2B_ID_OBJECT without its outer size (integrity HMAC || encIdentity)
   * @param encryptedSeed the seed encrypted to the EK, without a TPM2B size
   * @param encryptedCertificate DER CMS ContentInfo of type EncryptedData
   */
  public TpmEnrollResult(byte[] credentialBlob, byte[] encryptedSeed, byte[] encryptedCertificate) {
    this.credentialBlob = Objects.requireNonNull(credentialBlob, "credentialBlob").clone();
    this.encryptedSeed = Objects.requireNonNull(encryptedSeed, "encryptedSeed").clone();
    this.encryptedCertificate = Objects.requireNonNull(encryptedCertificate, "encryptedCertificate").clone();
  }

  /** Part 1 of the response: {@code TPM2B_DIGEST(integrityHMAC) || encIdentity}. */
  public byte[] credentialBlob() {
    return credentialBlob.clone();
  }

  /** Part 2 of the response: the secret encrypted to the EK (RSA-OAEP, or an ECC point for ECC EKs). */
  public byte[] encryptedSeed() {
    return encryptedSeed.clone();
  }

  /** Part 3 of the response: the certificate in CMS EncryptedData under the credential. */
  public byte[] encryptedCertificate() {
    return encryptedCertificate.clone();
  }

  /**
   * Decrypts the certificate with the credential TPM2_ActivateCredential returned. Accepts the
   * standard RFC 5084 AES-GCM encoding and the Go pkcs7 library's (what the seed's server sends).
   *
   * @throws EstResponseException if the credential is wrong or part 3 is not an EncryptedData of a
   *     certificate
   */
  public X509Certificate decryptCertificate(byte[] credential) throws EstResponseException {
    Objects.requireNonNull(credential, "credential");
    byte[] der;
    try {
      der = PskEncryptedData.decrypt(encryptedCertificate, credential);
    } catch (EstProtocolException e) {
      throw new EstResponseException(
          "/tpmenroll: cannot decrypt the certificate with the activated credential: " + e.getMessage(), e);
    }
    try {
      return (X509Certificate) CertificateFactory.getInstance("X.509")
          .generateCertificate(new ByteArrayInputStream(der));
    } catch (CertificateException | ClassCastException e) {
      throw new EstResponseException(
          "/tpmenroll: the decrypted certificate part is not an X.509 certificate: " + e.getMessage(), e);
    }
  }

  @Override
  public String toString() {
    return "TpmEnrollResult[blob=" + credentialBlob.length + " B, seed=" + encryptedSeed.length
        + " B, certificate=" + encryptedCertificate.length + " B]";
  }
}
