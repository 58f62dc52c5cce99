package org.est4j.client;

import java.nio.ByteBuffer;
import java.nio.CharBuffer;
import java.nio.charset.StandardCharsets;
import java.security.PrivateKey;
import java.security.cert.X509Certificate;
import java.util.Arrays;
import java.util.List;
import java.util.Objects;
import java.util.Optional;
import javax.net.ssl.X509KeyManager;
import org.bouncycastle.asn1.ASN1ObjectIdentifier;
import org.bouncycastle.asn1.pkcs.Attribute;
import org.bouncycastle.asn1.pkcs.PKCSObjectIdentifiers;
import org.bouncycastle.cms.CMSAlgorithm;
import org.est4j.protocol.cms.KeyDecryptor;
import org.est4j.protocol.cms.KeyGenAttributes;
import org.est4j.protocol.cms.KeyIdentifiers;

/**
 * How a server-generated key is to be encrypted (RFC 7030 §4.4.1) and decrypted: with a shared
 * AES key the server knows under an identifier (DecryptKeyIdentifier), to the client's own key
 * pair (AsymmetricDecryptKeyIdentifier, by the certificate's SubjectKeyIdentifier), or the Go
 * seed's pre-shared password form.
 *
 * <pre>{@code
 * KeyEncryption enc = KeyEncryption.sharedKey("device-group-1".getBytes(UTF_8), aesKey);
 * // or KeyEncryption.toKeyPair(myKey, myCert), or client.keyEncryptionToIdentity()
 * byte[] csr = CsrBuilder.create().commonName("d").requestKeyEncryption(enc).sign(throwaway);
 * ServerKeyGenResult r = client.serverKeyGen(csr, enc);   // decrypted and signature-checked
 * }</pre>
 *
 * <p>The key package's signature is verified against {@link #verifyWith} certificates, or, by
 * default, the server's /cacerts fetched over the same authenticated connection settings.
 */
public final class KeyEncryption {
  /**
   * What est4j's client sends in SMIMECapabilities, most preferred first: AES-256/128-CBC and
   * AES-256-GCM content encryption, RSAES-OAEP, ECDH with the SHA-256/384 X9.63 KDF, AES key wrap.
   */
  public static final List<ASN1ObjectIdentifier> DEFAULT_CAPABILITIES = List.of(
      CMSAlgorithm.AES256_CBC, CMSAlgorithm.AES128_CBC, CMSAlgorithm.AES256_GCM,
      PKCSObjectIdentifiers.id_RSAES_OAEP,
      CMSAlgorithm.ECDH_SHA256KDF, CMSAlgorithm.ECDH_SHA384KDF,
      CMSAlgorithm.AES256_WRAP, CMSAlgorithm.AES192_WRAP, CMSAlgorithm.AES128_WRAP);

  private final KeyDecryptor decryptor;
  private final List<Attribute> attributes;
  private final List<X509Certificate> verifyWith;
  private final String description;

  private KeyEncryption(KeyDecryptor decryptor, List<Attribute> attributes, List<X509Certificate> verifyWith,
      String description) {
    this.decryptor = decryptor;
    this.attributes = List.copyOf(attributes);
    this.verifyWith = List.copyOf(verifyWith);
    this.description = description;
  }

  /** Symmetric (RFC 7030 §4.4.1.1): the AES key (16, 24 or 32 bytes) the server knows as {@code keyId}. */
  public static KeyEncryption sharedKey(byte[] keyId, byte[] aesKey) {
    KeyDecryptor d = KeyDecryptor.sharedKey(keyId, aesKey);
    return new KeyEncryption(d, List.of(KeyGenAttributes.decryptKeyIdAttribute(keyId),
        KeyGenAttributes.smimeCapabilitiesAttribute(DEFAULT_CAPABILITIES)), List.of(),
        "shared key " + KeyGenAttributes.hex(keyId));
  }

  /**
   * Asymmetric (RFC 7030 §4.4.1.2): encrypted to {@code certificate}'s key (RSA or EC), named by
   * its SubjectKeyIdentifier; {@code key} is its private half. The server must know the
   * certificate: the TLS client certificate, or one configured for the label.
   */
  public static KeyEncryption toKeyPair(PrivateKey key, X509Certificate certificate) {
    Objects.requireNonNull(key, "key");
    byte[] ski = KeyIdentifiers.subjectKeyId(Objects.requireNonNull(certificate, "certificate"));
    return new KeyEncryption(KeyDecryptor.privateKey(key, Optional.of(ski)),
        List.of(KeyGenAttributes.asymmetricDecryptKeyIdAttribute(ski),
            KeyGenAttributes.smimeCapabilitiesAttribute(DEFAULT_CAPABILITIES)),
        List.of(), "key of " + certificate.getSubjectX500Principal().getName());
  }

  /** {@link #toKeyPair} with the key and certificate of a TLS client identity. */
  public static KeyEncryption toIdentity(ClientIdentity identity) {
    X509KeyManager km = Objects.requireNonNull(identity, "identity").keyManager();
    String alias = km.chooseClientAlias(new String[] {"RSA", "EC"}, null, null);
    if (alias == null) {
      throw new IllegalArgumentException("the client identity has no RSA or EC key to encrypt the server-generated"
          + " key to (Ed25519 keys cannot receive an encrypted key)");
    }
    X509Certificate[] chain = km.getCertificateChain(alias);
    PrivateKey key = km.getPrivateKey(alias);
    if (chain == null || chain.length == 0 || key == null) {
      throw new IllegalArgumentException("the client identity's key manager gives no key and certificate for " + alias);
    }
    return toKeyPair(key, chain[0]);
  }

  /**
   * The Go seed's form (its test server's {@code pkcs7} label): CMS EncryptedData whose AES key is
   * the password's UTF-8 bytes (16, 24 or 32 of them; the seed's is "pseudohistorical"). Adds
   * nothing to the CSR: the server decides.
   */
  public static KeyEncryption seedPassword(char[] password) {
    ByteBuffer b = StandardCharsets.UTF_8.encode(CharBuffer.wrap(Objects.requireNonNull(password, "password")));
    byte[] key = new byte[b.remaining()];
    b.get(key);
    Arrays.fill(b.array(), (byte) 0);
    try {
      if (key.length != 16 && key.length != 24 && key.length != 32) {
        throw new IllegalArgumentException("the seed's password is used as the AES key itself: it must be 16, 24 or"
            + " 32 bytes long in UTF-8, not " + key.length);
      }
      return new KeyEncryption(KeyDecryptor.preSharedKey(key), List.of(), List.of(), "pre-shared password");
    } finally {
      Arrays.fill(key, (byte) 0);
    }
  }

  /** The CA certificates the key package's signer must be or chain to (instead of fetching /cacerts). */
  public KeyEncryption verifyWith(List<X509Certificate> caCertificates) {
    if (caCertificates.isEmpty()) {
      throw new IllegalArgumentException("give at least one CA certificate");
    }
    return new KeyEncryption(decryptor, attributes, caCertificates, description);
  }

  /** The CSR attributes that ask for this encryption (none for the seed's password form). */
  public List<Attribute> csrAttributes() {
    return attributes;
  }

  /** Whether this is the seed's form, which the server chooses by label rather than by CSR. */
  public boolean isSeedPassword() {
    return decryptor instanceof KeyDecryptor.PreShared;
  }

  KeyDecryptor decryptor() {
    return decryptor;
  }

  List<X509Certificate> trusted() {
    return verifyWith;
  }

  @Override
  public String toString() {
    return "KeyEncryption[" + description + "]";
  }
}
