package org.est4j.client;

import java.security.PrivateKey;
import java.security.cert.X509Certificate;
import java.util.List;
import java.util.Objects;
import java.util.Optional;
import org.est4j.client.internal.ServerKeyGenParser;
import org.est4j.protocol.EstProtocolException;
import org.est4j.protocol.cms.ServerKeyOpener;

/**
 * The certificate and the private key the server generated for it (RFC 7030 §4.4.2). The key
 * arrives as PKCS#8, or encrypted (a CMS message, smime-type=server-generated-key): then {@link
 * EstClient#serverKeyGen(byte[], KeyEncryption)} has already decrypted it, or, if the request
 * named no {@link KeyEncryption}, {@link #decrypt} does it later and {@link #encryptedKey()} holds it.
 */
public final class ServerKeyGenResult {
  private final X509Certificate certificate;
  private final PrivateKey privateKey; // null while encrypted
  private final byte[] encryptedKey; // null when it came unencrypted
  private final X509Certificate signer; // who signed the key package; null when unencrypted

  private ServerKeyGenResult(X509Certificate certificate, PrivateKey privateKey, byte[] encryptedKey,
      X509Certificate signer) {
    this.certificate = Objects.requireNonNull(certificate, "certificate");
    this.privateKey = privateKey;
    this.encryptedKey = encryptedKey;
    this.signer = signer;
  }

  /** An unencrypted key. */
  public ServerKeyGenResult(X509Certificate certificate, PrivateKey privateKey) {
    this(certificate, Objects.requireNonNull(privateKey, "privateKey"), null, null);
  }

  /** A key still encrypted: the DER of the CMS ContentInfo. */
  public static ServerKeyGenResult encrypted(X509Certificate certificate, byte[] cms) {
    return new ServerKeyGenResult(certificate, null, Objects.requireNonNull(cms, "cms").clone(), null);
  }

  public X509Certificate certificate() {
    return certificate;
  }

  /**
   * The private key.
   *
   * @throws IllegalStateException while the key is still encrypted: {@link #decrypt} it first
   */
  public PrivateKey privateKey() {
    if (privateKey == null) {
      throw new IllegalStateException("the server-generated key is encrypted (smime-type=server-generated-key):"
          + " decrypt(KeyEncryption, caCertificates) it, or request it with serverKeyGen(csr, KeyEncryption)");
    }
    return privateKey;
  }

  /** Whether the key is still encrypted. */
  public boolean isEncrypted() {
    return privateKey == null;
  }

  /** The encrypted key as the server sent it (a CMS ContentInfo), if it came encrypted. */
  public Optional<byte[]> encryptedKey() {
    return Optional.ofNullable(encryptedKey).map(byte[]::clone);
  }

  /** The certificate whose key signed the key package, for a key that came encrypted and was decrypted. */
  public Optional<X509Certificate> signer() {
    return Optional.ofNullable(signer);
  }

  /**
   * Decrypts an encrypted key and verifies the signature around it against {@code caCertificates}
   * (those of {@link KeyEncryption#verifyWith} when it has some).
   *
   * @throws EstResponseException when the key cannot be decrypted or the signature does not verify
   *     against the CA certificates
   * @throws IllegalStateException if the key did not come encrypted
   */
  public ServerKeyGenResult decrypt(KeyEncryption encryption, List<X509Certificate> caCertificates)
      throws EstResponseException {
    if (encryptedKey == null) {
      throw new IllegalStateException("the server-generated key did not come encrypted");
    }
    List<X509Certificate> trusted = encryption.trusted().isEmpty() ? caCertificates : encryption.trusted();
    try {
      ServerKeyOpener.Opened opened = ServerKeyOpener.open(encryptedKey, encryption.decryptor(), trusted);
      PrivateKey key = ServerKeyGenParser.privateKey(opened.pkcs8());
      java.util.Arrays.fill(opened.pkcs8(), (byte) 0);
      return new ServerKeyGenResult(certificate, key, encryptedKey, opened.signer());
    } catch (EstProtocolException e) {
      throw new EstResponseException("/serverkeygen: " + e.getMessage(), e);
    }
  }

  @Override
  public String toString() {
    return "ServerKeyGenResult[certificate=" + certificate.getSubjectX500Principal()
        + ", privateKey=" + (privateKey == null ? "encrypted" : privateKey.getAlgorithm() + " (hidden)") + "]";
  }
}
