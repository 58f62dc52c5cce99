package org.est4j.protocol.cms;

import java.security.PrivateKey;
import java.util.Arrays;
import java.util.Objects;
import java.util.Optional;
import javax.crypto.SecretKey;
import javax.crypto.spec.SecretKeySpec;

/**
 * How a client opens an encrypted server-generated key: with the shared key it named in
 * DecryptKeyIdentifier, with the private key of the key pair it named in
 * AsymmetricDecryptKeyIdentifier, or (the Go seed's form) with a pre-shared AES key.
 */
public sealed interface KeyDecryptor {

  /** The shared AES key (16, 24 or 32 bytes) known to the server under {@code keyId}. */
  static KeyDecryptor sharedKey(byte[] keyId, byte[] aesKey) {
    return new SharedKey(keyId, aesKey);
  }

  /** The recipient's private key (RSA or EC); {@code keyId}, when known, selects its RecipientInfo. */
  static KeyDecryptor privateKey(PrivateKey key, Optional<byte[]> keyId) {
    return new Private(key, keyId.map(byte[]::clone));
  }

  /**
   * The Go seed's CMS EncryptedData with a pre-shared key: the password's bytes are the AES key
   * (the seed uses "pseudohistorical", 16 bytes, as AES-128).
   */
  static KeyDecryptor preSharedKey(byte[] aesKey) {
    return new PreShared(aesKey);
  }

  /** A KEK recipient. */
  final class SharedKey implements KeyDecryptor {
    private final byte[] keyId;
    private final byte[] key;

    private SharedKey(byte[] keyId, byte[] key) {
      this.keyId = Objects.requireNonNull(keyId, "keyId").clone();
      this.key = checkAes(key);
    }

    public byte[] keyId() {
      return keyId.clone();
    }

    SecretKey secretKey() {
      return new SecretKeySpec(key, "AES");
    }

    public void destroy() {
      Arrays.fill(key, (byte) 0);
    }

    @Override
    public String toString() {
      return "SharedKey[id=" + KeyGenAttributes.hex(keyId) + " (key hidden)]";
    }
  }

  /** A key-transport or key-agreement recipient. */
  record Private(PrivateKey key, Optional<byte[]> keyId) implements KeyDecryptor {
    public Private {
      Objects.requireNonNull(key, "key");
      Objects.requireNonNull(keyId, "keyId");
    }

    @Override
    public String toString() {
      return "Private[" + key.getAlgorithm() + " (hidden)]";
    }
  }

  /** The seed's EncryptedData. */
  final class PreShared implements KeyDecryptor {
    private final byte[] key;

    private PreShared(byte[] key) {
      this.key = checkAes(key);
    }

    byte[] key() {
      return key.clone();
    }

    public void destroy() {
      Arrays.fill(key, (byte) 0);
    }

    @Override
    public String toString() {
      return "PreShared[(hidden)]";
    }
  }

  private static byte[] checkAes(byte[] key) {
    Objects.requireNonNull(key, "key");
    if (key.length != 16 && key.length != 24 && key.length != 32) {
      throw new IllegalArgumentException("an AES key must have 16, 24 or 32 bytes, not " + key.length);
    }
    return key.clone();
  }
}
