package org.est4j.client;

import java.io.IOException;
import java.security.GeneralSecurityException;
import java.security.cert.X509Certificate;
import java.util.Arrays;
import java.util.List;
import java.util.Objects;

/**
 * What {@link EstClient} does with an encrypted answer: the private key of an encrypted
 * /serverkeygen (RFC 7030 §4.4.2) and the certificate of a /tpmenroll (recovered with the TPM's
 * credential).
 */
final class Decryption {
  private Decryption() {}

  /** Fetches the CA certificates when the encryption names no trusted signers of its own. */
  interface CaCerts {
    List<X509Certificate> get() throws IOException;
  }

  /** The key of {@code r} decrypted; an unencrypted answer to a request that asked for encryption is refused. */
  static ServerKeyGenResult serverKey(ServerKeyGenResult r, KeyEncryption encryption, CaCerts caCerts)
      throws IOException {
    Objects.requireNonNull(encryption, "encryption");
    if (!r.isEncrypted()) {
      throw new EstResponseException("/serverkeygen: the server returned the private key unencrypted although the"
          + " request asked for it to be encrypted (" + encryption + "); not accepted");
    }
    List<X509Certificate> trusted = encryption.trusted().isEmpty() ? caCerts.get() : encryption.trusted();
    return r.decrypt(encryption, trusted);
  }

  /** Activates the credential of {@code r} and decrypts the certificate with it; the credential is then erased. */
  static X509Certificate tpmCertificate(TpmEnrollResult r, CredentialActivator activator)
      throws IOException, GeneralSecurityException {
    byte[] credential = activator.activate(r.credentialBlob(), r.encryptedSeed());
    if (credential == null || credential.length == 0) {
      throw new IllegalStateException("the CredentialActivator returned no credential");
    }
    try {
      return r.decryptCertificate(credential);
    } finally {
      Arrays.fill(credential, (byte) 0);
    }
  }
}
