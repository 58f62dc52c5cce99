package org.est4j.protocol.cms;

import java.security.PublicKey;
import java.security.interfaces.ECPublicKey;
import java.security.interfaces.RSAPublicKey;
import java.util.Arrays;
import java.util.Objects;
import javax.crypto.SecretKey;
import javax.crypto.spec.SecretKeySpec;

/**
 * Whom an encrypted server-generated key is for (RFC 7030 §4.4.1): the holder of a shared
 * symmetric key (a KEKRecipientInfo) or of a key pair (a KeyTransRecipientInfo for RSA, a
 * KeyAgreeRecipientInfo for EC), identified by the identifier the client sent.
 */
public sealed interface KeyRecipient {

  /** The identifier put into the RecipientInfo. */
  byte[] keyId();

  /** A shared AES key of 16, 24 or 32 bytes, known to the client under {@code keyId}. */
  static KeyRecipient sharedKey(byte[] keyId, byte[] aesKey) {
    return new SharedKey(keyId, aesKey);
  }

  /**
   * A public key (RSA or EC) whose private half the client holds; {@code keyId} is the identifier
   * the client asked with (its certificate's SubjectKeyIdentifier).
   *
   * @throws IllegalArgumentException for any other key type (Ed25519 keys cannot encrypt)
   */
  static KeyRecipient publicKey(byte[] keyId, PublicKey key) {
    return new PublicKeyRecipient(keyId, key);
  }

  /** KEKRecipientInfo with AES key wrap. The key bytes are copied; {@link #destroy()} wipes the copy. */
  final class SharedKey implements KeyRecipient {
    private final byte[] keyId;
    private final byte[] key;

    private SharedKey(byte[] keyId, byte[] key) {
      this.keyId = Objects.requireNonNull(keyId, "keyId").clone();
      Objects.requireNonNull(key, "aesKey");
      if (key.length != 16 && key.length != 24 && key.length != 32) {
        throw new IllegalArgumentException("a shared key must have 16, 24 or 32 bytes (AES-128/192/256), not "
            + key.length);
      }
      this.key = key.clone();
    }

    @Override
    public byte[] keyId() {
      return keyId.clone();
    }

    /** Its length in bytes. */
    public int length() {
      return key.length;
    }

    SecretKey secretKey() {
      return new SecretKeySpec(key, "AES");
    }

    public void destroy() {
      Arrays.fill(key, (byte) 0);
    }

    @Override
    public String toString() {
      return "SharedKey[id=" + KeyGenAttributes.hex(keyId) + ", " + key.length * 8 + " bits (hidden)]";
    }
  }

  /** KeyTransRecipientInfo (RSA-OAEP) or KeyAgreeRecipientInfo (ECDH). */
  record PublicKeyRecipient(byte[] keyId, PublicKey key) implements KeyRecipient {
    public PublicKeyRecipient {
      keyId = Objects.requireNonNull(keyId, "keyId").clone();
      Objects.requireNonNull(key, "key");
      if (!(key instanceof RSAPublicKey) && !(key instanceof ECPublicKey)) {
        throw new IllegalArgumentException("cannot encrypt to a " + key.getAlgorithm()
            + " key: only RSA (key transport) and EC (key agreement) keys can receive an encrypted key");
      }
    }

    @Override
    public byte[] keyId() {
      return keyId.clone();
    }

    boolean rsa() {
      return key instanceof RSAPublicKey;
    }
  }
}
