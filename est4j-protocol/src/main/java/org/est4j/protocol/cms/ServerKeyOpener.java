package org.est4j.protocol.cms;

import java.io.IOException;
import java.security.cert.X509Certificate;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import org.bouncycastle.asn1.ASN1ObjectIdentifier;
import org.bouncycastle.asn1.ASN1Primitive;
import org.bouncycastle.asn1.cms.CMSObjectIdentifiers;
import org.bouncycastle.asn1.cms.ContentInfo;
import org.bouncycastle.cms.CMSAuthEnvelopedData;
import org.bouncycastle.cms.CMSEnvelopedData;
import org.bouncycastle.cms.CMSException;
import org.bouncycastle.cms.KEKRecipientId;
import org.bouncycastle.cms.KeyAgreeRecipientId;
import org.bouncycastle.cms.KeyTransRecipientId;
import org.bouncycastle.cms.Recipient;
import org.bouncycastle.cms.RecipientId;
import org.bouncycastle.cms.RecipientInformation;
import org.bouncycastle.cms.RecipientInformationStore;
import org.bouncycastle.cms.jcajce.JceKEKAuthEnvelopedRecipient;
import org.bouncycastle.cms.jcajce.JceKEKEnvelopedRecipient;
import org.bouncycastle.cms.jcajce.JceKeyAgreeAuthEnvelopedRecipient;
import org.bouncycastle.cms.jcajce.JceKeyAgreeEnvelopedRecipient;
import org.bouncycastle.cms.jcajce.JceKeyTransAuthEnvelopedRecipient;
import org.bouncycastle.cms.jcajce.JceKeyTransEnvelopedRecipient;
import org.est4j.protocol.EstProtocolException;

/**
 * Opens the key part of an encrypted /serverkeygen response (RFC 7030 §4.4.2): decrypts the
 * EnvelopedData or AuthEnvelopedData (or the Go seed's EncryptedData), verifies the SignedData
 * inside against the CA certificates, and returns the PKCS#8 key from the AsymmetricKeyPackage (or,
 * as the seed sends it, the PKCS#8 key itself as id-data).
 */
public final class ServerKeyOpener {
  private ServerKeyOpener() {}

  /** The decrypted key and who signed it. */
  public record Opened(byte[] pkcs8, X509Certificate signer) {
    @Override
    public String toString() {
      return "Opened[signer=" + signer.getSubjectX500Principal() + ", key hidden]";
    }
  }

  /**
   * Decrypts, verifies and extracts.
   *
   * @param contentInfo the DER of the key part (a CMS ContentInfo)
   * @param trusted the CA certificates the SignedData's signer must be, or chain to
   * @throws EstProtocolException saying what failed: not addressed to this key, wrong key, bad
   *     signature, untrusted signer, unknown content
   */
  public static Opened open(byte[] contentInfo, KeyDecryptor decryptor, List<X509Certificate> trusted)
      throws EstProtocolException {
    byte[] inner;
    if (decryptor instanceof KeyDecryptor.PreShared psk) {
      // Parsed by PskEncryptedData itself: Go's form is not DER that Bouncy Castle reads.
      byte[] key = psk.key();
      try {
        inner = PskEncryptedData.decrypt(contentInfo, key);
      } finally {
        Arrays.fill(key, (byte) 0);
      }
    } else {
      ContentInfo ci;
      try {
        ci = ContentInfo.getInstance(ASN1Primitive.fromByteArray(contentInfo));
      } catch (IOException | RuntimeException e) {
        if (typeIs(contentInfo, CMSObjectIdentifiers.encryptedData)) { // Go's form: not DER Bouncy Castle reads
          throw new EstProtocolException("the key is CMS EncryptedData (the Go seed's pre-shared-key form): it needs"
              + " the pre-shared password, not " + describe(decryptor), e);
        }
        throw new EstProtocolException("the encrypted key is not a CMS ContentInfo", e);
      }
      ASN1ObjectIdentifier type = ci.getContentType();
      if (type.equals(CMSObjectIdentifiers.envelopedData) || type.equals(CMSObjectIdentifiers.authEnvelopedData)) {
        inner = decryptEnveloped(ci, decryptor);
      } else if (type.equals(CMSObjectIdentifiers.encryptedData)) {
        throw new EstProtocolException("the key is CMS EncryptedData (the Go seed's pre-shared-key form): it needs the"
            + " pre-shared password, not " + describe(decryptor));
      } else {
        throw new EstProtocolException("the encrypted key has CMS content type " + type.getId()
            + "; expected EnvelopedData, AuthEnvelopedData or EncryptedData");
      }
    }
    SignedKey signed = SignedKey.verify(inner, trusted);
    return new Opened(signed.pkcs8(), signed.signer());
  }

  /** Whether a ContentInfo's first element is {@code oid}, read without parsing the rest. */
  private static boolean typeIs(byte[] der, ASN1ObjectIdentifier oid) {
    try {
      byte[] want = oid.getEncoded();
      int i = 1;
      if (der.length < 2 || der[0] != 0x30) {
        return false;
      }
      i += (der[1] & 0x80) == 0 ? 1 : 1 + (der[1] & 0x7f);
      return der.length >= i + want.length && Arrays.equals(Arrays.copyOfRange(der, i, i + want.length), want);
    } catch (IOException e) {
      return false;
    }
  }

  private static byte[] decryptEnveloped(ContentInfo ci, KeyDecryptor decryptor) throws EstProtocolException {
    boolean aead = ci.getContentType().equals(CMSObjectIdentifiers.authEnvelopedData);
    RecipientInformationStore store;
    try {
      store = aead ? new CMSAuthEnvelopedData(ci).getRecipientInfos() : new CMSEnvelopedData(ci).getRecipientInfos();
    } catch (CMSException | RuntimeException e) {
      throw new EstProtocolException("malformed " + (aead ? "AuthEnvelopedData" : "EnvelopedData") + ": " + e.getMessage(), e);
    }
    List<String> seen = new ArrayList<>();
    CMSException last = null;
    for (RecipientInformation ri : store.getRecipients()) {
      RecipientId rid = ri.getRID();
      seen.add(describe(rid));
      Recipient recipient = recipientFor(rid, decryptor, aead);
      if (recipient == null) {
        continue;
      }
      try {
        return ri.getContent(recipient);
      } catch (CMSException | RuntimeException e) {
        last = e instanceof CMSException c ? c : new CMSException(e.getMessage(), (Exception) e);
      }
    }
    if (last != null) {
      throw new EstProtocolException("cannot decrypt the key with " + describe(decryptor) + " (wrong key?): "
          + last.getMessage(), last);
    }
    throw new EstProtocolException("the key is not encrypted for " + describe(decryptor) + "; it is encrypted for: "
        + (seen.isEmpty() ? "nobody" : String.join(", ", seen)));
  }

  private static Recipient recipientFor(RecipientId rid, KeyDecryptor decryptor, boolean aead) {
    if (decryptor instanceof KeyDecryptor.SharedKey shared) {
      if (rid instanceof KEKRecipientId kek && Arrays.equals(kek.getKeyIdentifier(), shared.keyId())) {
        return aead
            ? new JceKEKAuthEnvelopedRecipient(shared.secretKey()).setProvider(CmsProvider.BC)
            : new JceKEKEnvelopedRecipient(shared.secretKey()).setProvider(CmsProvider.BC);
      }
      return null;
    }
    if (decryptor instanceof KeyDecryptor.Private p) {
      byte[] id = p.keyId().orElse(null);
      if (rid instanceof KeyTransRecipientId kt && matches(id, kt.getSubjectKeyIdentifier())) {
        return aead
            ? new JceKeyTransAuthEnvelopedRecipient(p.key()).setProvider(CmsProvider.BC)
            : new JceKeyTransEnvelopedRecipient(p.key()).setProvider(CmsProvider.BC);
      }
      if (rid instanceof KeyAgreeRecipientId ka && matches(id, ka.getSubjectKeyIdentifier())) {
        return aead
            ? new JceKeyAgreeAuthEnvelopedRecipient(p.key()).setProvider(CmsProvider.BC)
            : new JceKeyAgreeEnvelopedRecipient(p.key()).setProvider(CmsProvider.BC);
      }
    }
    return null;
  }

  /** Without a known identifier every key-transport/agreement recipient is tried. */
  private static boolean matches(byte[] wanted, byte[] ski) {
    return wanted == null || ski == null || Arrays.equals(wanted, ski);
  }

  private static String describe(RecipientId rid) {
    if (rid instanceof KEKRecipientId kek) {
      return "shared key " + KeyGenAttributes.hex(kek.getKeyIdentifier());
    }
    if (rid instanceof KeyTransRecipientId kt) {
      return kt.getSubjectKeyIdentifier() != null
          ? "RSA key " + KeyGenAttributes.hex(kt.getSubjectKeyIdentifier())
          : "RSA key of certificate " + kt.getSerialNumber() + " from " + kt.getIssuer();
    }
    if (rid instanceof KeyAgreeRecipientId ka) {
      return ka.getSubjectKeyIdentifier() != null
          ? "EC key " + KeyGenAttributes.hex(ka.getSubjectKeyIdentifier())
          : "EC key of certificate " + ka.getSerialNumber() + " from " + ka.getIssuer();
    }
    return "a recipient of another kind";
  }

  private static String describe(KeyDecryptor d) {
    if (d instanceof KeyDecryptor.SharedKey s) {
      return "shared key " + KeyGenAttributes.hex(s.keyId());
    }
    if (d instanceof KeyDecryptor.Private p) {
      return p.key().getAlgorithm() + " key" + p.keyId().map(id -> " " + KeyGenAttributes.hex(id)).orElse("");
    }
    return "a pre-shared password";
  }
}
