package org.est4j.server;

import java.security.cert.X509Certificate;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import org.est4j.protocol.cms.KeyRecipient;

/**
 * A label's material for encrypted server-generated keys (RFC 7030 §4.4.1): shared AES keys by
 * identifier, for clients whose CSR carries DecryptKeyIdentifier, and certificates a client may
 * name by SubjectKeyIdentifier in AsymmetricDecryptKeyIdentifier (besides its own TLS client
 * certificate, which always qualifies). Immutable; the key bytes are never part of
 * {@link #toString()}.
 */
public final class ServerKeyEncryption {
  private static final ServerKeyEncryption NONE = builder().build();

  private final Map<String, KeyRecipient.SharedKey> sharedKeys;
  private final List<X509Certificate> recipientCertificates;
  private final boolean required;

  private ServerKeyEncryption(Builder b) {
    this.sharedKeys = Map.copyOf(b.sharedKeys);
    this.recipientCertificates = List.copyOf(b.recipientCertificates);
    this.required = b.required;
  }

  /** No shared keys, no configured certificates; the TLS client certificate still qualifies. */
  public static ServerKeyEncryption none() {
    return NONE;
  }

  public static Builder builder() {
    return new Builder();
  }

  /** The shared key with this identifier. */
  public Optional<KeyRecipient.SharedKey> sharedKey(byte[] keyId) {
    return Optional.ofNullable(sharedKeys.get(HexFormat.of().formatHex(keyId)));
  }

  /** Certificates a client may ask the key to be encrypted to, besides its TLS client certificate. */
  public List<X509Certificate> recipientCertificates() {
    return recipientCertificates;
  }

  /** Whether /serverkeygen refuses requests that do not ask for encryption. */
  public boolean required() {
    return required;
  }

  @Override
  public String toString() {
    return "ServerKeyEncryption[sharedKeys=" + sharedKeys.size() + ", certificates=" + recipientCertificates.size()
        + ", required=" + required + "]";
  }

  /** Builder; {@link #build()} checks nothing more than the setters did. */
  public static final class Builder {
    private final Map<String, KeyRecipient.SharedKey> sharedKeys = new LinkedHashMap<>();
    private final List<X509Certificate> recipientCertificates = new ArrayList<>();
    private boolean required;

    private Builder() {}

    /**
     * A shared AES key (16, 24 or 32 bytes) under an identifier. The bytes are copied.
     *
     * @throws IllegalArgumentException for another key length or an identifier given twice
     */
    public Builder sharedKey(byte[] keyId, byte[] aesKey) {
      String hex = HexFormat.of().formatHex(Objects.requireNonNull(keyId, "keyId"));
      if (sharedKeys.containsKey(hex)) {
        throw new IllegalArgumentException("the key identifier " + hex + " is given twice");
      }
      sharedKeys.put(hex, (KeyRecipient.SharedKey) KeyRecipient.sharedKey(keyId, aesKey));
      return this;
    }

    /** A certificate (RSA or EC key) clients may name by its SubjectKeyIdentifier. */
    public Builder recipientCertificate(X509Certificate cert) {
      recipientCertificates.add(Objects.requireNonNull(cert, "cert"));
      return this;
    }

    /** Refuse /serverkeygen requests without DecryptKeyIdentifier or AsymmetricDecryptKeyIdentifier. */
    public Builder required(boolean required) {
      this.required = required;
      return this;
    }

    public ServerKeyEncryption build() {
      return new ServerKeyEncryption(this);
    }
  }
}
