package org.est4j.server;

import java.security.GeneralSecurityException;
import java.security.cert.X509Certificate;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Optional;
import org.est4j.protocol.Csr;
import org.est4j.protocol.EstProtocolException;
import org.est4j.protocol.MediaTypes;
import org.est4j.protocol.cms.KeyGenAlgorithms;
import org.est4j.protocol.cms.KeyGenAttributes;
import org.est4j.protocol.cms.KeyIdentifiers;
import org.est4j.protocol.cms.KeyPackageSigner;
import org.est4j.protocol.cms.KeyRecipient;
import org.est4j.protocol.cms.ServerKeyEnvelope;

/**
 * How the key part of one /serverkeygen response is protected (RFC 7030 §4.4), decided from the
 * CSR before anything is generated or issued, so a request that cannot be honoured costs no
 * certificate: plain PKCS#8; SignedData(AsymmetricKeyPackage) in EnvelopedData to the shared key
 * named by DecryptKeyIdentifier, or to the key pair named by AsymmetricDecryptKeyIdentifier (the
 * TLS client certificate's or a configured certificate's SubjectKeyIdentifier); or, on the seed's
 * {@code pkcs7} test label, the seed's EncryptedData. A request for encryption that cannot be met
 * is refused with a 400 naming the identifier or algorithm: never an unencrypted key instead.
 */
abstract class ServerKeyProtection {

  /** The key part's content type and DER. */
  record KeyPart(String contentType, byte[] der) {}

  /** Protects the PKCS#8 key (not kept, not wiped: the caller owns it). */
  abstract KeyPart protect(byte[] pkcs8) throws GeneralSecurityException;

  static ServerKeyProtection plan(Csr csr, EstRequest request, LabelSettings settings) throws EstError {
    KeyGenAttributes attrs;
    try {
      attrs = KeyGenAttributes.of(csr);
    } catch (EstProtocolException e) {
      throw EstError.of(400, e.getMessage());
    }
    ServerKeyEncryption config = settings.serverKeyEncryption();
    Optional<byte[]> symmetric = attrs.decryptKeyId();
    Optional<byte[]> asymmetric = attrs.asymmetricKeyId();
    if (symmetric.isPresent() && asymmetric.isPresent()) {
      throw EstError.of(400, "the CSR asks for both symmetric (DecryptKeyIdentifier) and asymmetric"
          + " (AsymmetricDecryptKeyIdentifier) encryption of the key; give one");
    }
    if (!attrs.encryptionRequested()) {
      Optional<byte[]> psk = settings.seedPreSharedKey();
      if (psk.isPresent()) {
        return new SeedPreShared(signer(settings), psk.get());
      }
      if (config.required()) {
        throw EstError.of(400, "this label returns server-generated keys only encrypted: put a DecryptKeyIdentifier"
            + " or AsymmetricDecryptKeyIdentifier attribute into the CSR (RFC 7030 §4.4.1)");
      }
      return PLAIN;
    }
    KeyGenAlgorithms algorithms;
    KeyRecipient recipient;
    try {
      algorithms = KeyGenAlgorithms.choose(attrs.capabilities());
      if (symmetric.isPresent()) {
        byte[] id = symmetric.get();
        KeyRecipient.SharedKey key = config.sharedKey(id).orElseThrow(() -> EstError.of(400,
            "unknown DecryptKeyIdentifier " + describeId(id) + ": this label has no shared key with that identifier"));
        KeyGenAlgorithms.keyWrapFor(key.length(), attrs.capabilities());
        recipient = key;
      } else {
        recipient = asymmetricRecipient(asymmetric.get(), request, config);
      }
    } catch (EstProtocolException e) {
      throw EstError.of(400, e.getMessage());
    }
    return new Enveloped(signer(settings), recipient, algorithms);
  }

  private static KeyRecipient asymmetricRecipient(byte[] id, EstRequest request, ServerKeyEncryption config)
      throws EstError {
    List<X509Certificate> candidates = new ArrayList<>();
    request.clientCertificate().ifPresent(candidates::add);
    candidates.addAll(config.recipientCertificates());
    for (X509Certificate c : candidates) {
      if (Arrays.equals(KeyIdentifiers.subjectKeyId(c), id)) {
        try {
          return KeyRecipient.publicKey(id, c.getPublicKey());
        } catch (IllegalArgumentException e) {
          throw EstError.of(400, "the certificate " + c.getSubjectX500Principal().getName() + " named by"
              + " AsymmetricDecryptKeyIdentifier " + describeId(id) + " has a " + c.getPublicKey().getAlgorithm()
              + " key, which cannot receive an encrypted key: use an RSA or EC key");
        }
      }
    }
    throw EstError.of(400, "unknown AsymmetricDecryptKeyIdentifier " + describeId(id) + ": it is the"
        + " SubjectKeyIdentifier of neither "
        + (request.clientCertificate().isPresent() ? "the TLS client certificate" : "a TLS client certificate (none was sent)")
        + " nor a certificate configured for this label");
  }

  private static KeyPackageSigner signer(LabelSettings settings) throws EstError {
    return settings.authority().keyPackageSigner().orElseThrow(() -> EstError.of(501,
        "this server's CA cannot sign server-generated keys, so it cannot return them encrypted"));
  }

  /** Hex, plus the text when the identifier is printable ASCII (as est4j's own identifiers are). */
  static String describeId(byte[] id) {
    String hex = KeyGenAttributes.hex(id);
    for (byte b : id) {
      if (b < 0x21 || b > 0x7e) {
        return hex;
      }
    }
    return hex + " (\"" + new String(id, java.nio.charset.StandardCharsets.US_ASCII) + "\")";
  }

  private static final ServerKeyProtection PLAIN = new ServerKeyProtection() {
    @Override
    KeyPart protect(byte[] pkcs8) {
      return new KeyPart(MediaTypes.PKCS8, pkcs8);
    }
  };

  private static final class Enveloped extends ServerKeyProtection {
    private final KeyPackageSigner signer;
    private final KeyRecipient recipient;
    private final KeyGenAlgorithms algorithms;

    Enveloped(KeyPackageSigner signer, KeyRecipient recipient, KeyGenAlgorithms algorithms) {
      this.signer = signer;
      this.recipient = recipient;
      this.algorithms = algorithms;
    }

    @Override
    KeyPart protect(byte[] pkcs8) throws GeneralSecurityException {
      return new KeyPart(MediaTypes.SERVER_GENERATED_KEY, ServerKeyEnvelope.seal(pkcs8, signer, recipient, algorithms));
    }
  }

  /**
   * The seed's EncryptedData(SignedData(PKCS#8)), with AES-128-CBC instead of the seed's GCM so
   * that openssl and Go's pkcs7 can both read it (see ServerKeyEnvelope.encryptWithPresharedKey).
   */
  private static final class SeedPreShared extends ServerKeyProtection {
    private final KeyPackageSigner signer;
    private final byte[] key;

    SeedPreShared(KeyPackageSigner signer, byte[] key) {
      this.signer = signer;
      this.key = key;
    }

    @Override
    KeyPart protect(byte[] pkcs8) throws GeneralSecurityException {
      byte[] signed = ServerKeyEnvelope.signedPkcs8(pkcs8, signer);
      return new KeyPart(MediaTypes.SERVER_GENERATED_KEY, ServerKeyEnvelope.encryptWithPresharedKey(signed, key));
    }
  }
}
