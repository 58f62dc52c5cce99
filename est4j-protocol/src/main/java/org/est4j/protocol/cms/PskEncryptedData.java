package org.est4j.protocol.cms;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.security.GeneralSecurityException;
import java.security.SecureRandom;
import java.util.List;
import java.util.Map;
import javax.crypto.BadPaddingException;
import javax.crypto.Cipher;
import javax.crypto.spec.GCMParameterSpec;
import javax.crypto.spec.IvParameterSpec;
import javax.crypto.spec.SecretKeySpec;
import org.bouncycastle.asn1.ASN1Encoding;
import org.bouncycastle.asn1.ASN1Integer;
import org.bouncycastle.asn1.ASN1ObjectIdentifier;
import org.bouncycastle.asn1.ASN1Primitive;
import org.bouncycastle.asn1.DEROctetString;
import org.bouncycastle.asn1.DERSequence;
import org.bouncycastle.asn1.DERTaggedObject;
import org.bouncycastle.asn1.cms.CMSObjectIdentifiers;
import org.bouncycastle.asn1.cms.ContentInfo;
import org.bouncycastle.asn1.cms.EncryptedContentInfo;
import org.bouncycastle.asn1.cms.EncryptedData;
import org.bouncycastle.asn1.cms.GCMParameters;
import org.bouncycastle.asn1.nist.NISTObjectIdentifiers;
import org.bouncycastle.asn1.x509.AlgorithmIdentifier;
import org.est4j.protocol.EstProtocolException;

/**
 * CMS EncryptedData (RFC 5652 §8) under a pre-shared AES key: the form the Go seed uses for the
 * certificate of a /tpmenroll response (the key is the TPM credential) and for its {@code pkcs7}
 * test label's server-generated keys (the key is the password "pseudohistorical").
 *
 * <p>Encryption is AES-GCM (RFC 5084) with the AES size given by the key's length, a random 12-byte
 * nonce and a 16-byte tag. Two encodings: {@link Form#STANDARD}, which openssl and Bouncy Castle
 * read, and {@link Form#GO_PKCS7}, byte for byte what Go's pkcs7 library writes and the only form
 * its {@code DecryptUsingPSK} can read. {@link #decrypt} reads both, AES-CBC as well, DER or BER.
 */
public final class PskEncryptedData {

  /** How the AES-GCM parameters and the ciphertext are encoded. */
  public enum Form {
    /** RFC 5084 GCMParameters, ciphertext as [0] IMPLICIT OCTET STRING. */
    STANDARD,
    /**
     * Go pkcs7's encoding: the parameters as a primitive element with the SEQUENCE tag holding
     * {@code SEQUENCE {[4] IMPLICIT nonce, INTEGER 16}}, the ciphertext as [0] wrapping an OCTET
     * STRING. Needed where a Go client decrypts (the seed's estclient tpmenroll).
     */
    GO_PKCS7
  }

  private static final int NONCE_BYTES = 12;
  private static final int TAG_BYTES = 16;
  private static final SecureRandom RANDOM = new SecureRandom();
  private static final Map<Integer, ASN1ObjectIdentifier> GCM_BY_KEY_LENGTH = Map.of(
      16, NISTObjectIdentifiers.id_aes128_GCM,
      24, NISTObjectIdentifiers.id_aes192_GCM,
      32, NISTObjectIdentifiers.id_aes256_GCM);

  private PskEncryptedData() {}

  /**
   * Encrypts {@code content} (inner content type id-data) under {@code key} (16, 24 or 32 bytes)
   * and returns the DER ContentInfo.
   */
  public static byte[] encrypt(byte[] content, byte[] key, Form form) {
    ASN1ObjectIdentifier algorithm = GCM_BY_KEY_LENGTH.get(key.length);
    if (algorithm == null) {
      throw new IllegalArgumentException("an AES key is 16, 24 or 32 bytes, not " + key.length);
    }
    byte[] nonce = new byte[NONCE_BYTES];
    RANDOM.nextBytes(nonce);
    byte[] ciphertext;
    try {
      Cipher gcm = Cipher.getInstance("AES/GCM/NoPadding");
      gcm.init(Cipher.ENCRYPT_MODE, new SecretKeySpec(key, "AES"), new GCMParameterSpec(TAG_BYTES * 8, nonce));
      ciphertext = gcm.doFinal(content);
    } catch (GeneralSecurityException e) {
      throw new IllegalStateException("AES-GCM is not available", e);
    }
    try {
      return form == Form.STANDARD
          ? standard(algorithm, nonce, ciphertext)
          : goPkcs7(algorithm, nonce, ciphertext);
    } catch (IOException e) {
      throw new IllegalStateException("cannot encode EncryptedData", e);
    }
  }

  private static byte[] standard(ASN1ObjectIdentifier algorithm, byte[] nonce, byte[] ciphertext)
      throws IOException {
    EncryptedContentInfo eci = new EncryptedContentInfo(CMSObjectIdentifiers.data,
        new AlgorithmIdentifier(algorithm, new GCMParameters(nonce, TAG_BYTES)), new DEROctetString(ciphertext));
    return new ContentInfo(CMSObjectIdentifiers.encryptedData, new EncryptedData(eci))
        .getEncoded(ASN1Encoding.DER);
  }

  private static byte[] goPkcs7(ASN1ObjectIdentifier algorithm, byte[] nonce, byte[] ciphertext)
      throws IOException {
    byte[] parameters = new DERSequence(new org.bouncycastle.asn1.ASN1Encodable[] {
        new DERTaggedObject(false, 4, new DEROctetString(nonce)), new ASN1Integer(TAG_BYTES)})
        .getEncoded(ASN1Encoding.DER);
    byte[] algorithmId = Tlv.encode(0x30, concat(algorithm.getEncoded(), Tlv.encode(0x10, parameters)));
    byte[] encryptedContent = Tlv.encode(0xa0, new DEROctetString(ciphertext).getEncoded());
    byte[] eci = Tlv.encode(0x30,
        concat(CMSObjectIdentifiers.data.getEncoded(), algorithmId, encryptedContent));
    byte[] encryptedData = Tlv.encode(0x30, concat(new ASN1Integer(0).getEncoded(), eci));
    return Tlv.encode(0x30,
        concat(CMSObjectIdentifiers.encryptedData.getEncoded(), Tlv.encode(0xa0, encryptedData)));
  }

  /**
   * Decrypts a CMS EncryptedData ContentInfo (either form, AES-GCM or AES-CBC) and returns the
   * inner content.
   *
   * @throws EstProtocolException when the structure is malformed, uses another algorithm, or the
   *     key is wrong (GCM's tag, or CBC's padding, does not check out)
   */
  public static byte[] decrypt(byte[] contentInfo, byte[] key) throws EstProtocolException {
    EncryptedParts parts;
    try {
      parts = EncryptedParts.read(contentInfo);
    } catch (EstProtocolException strict) {
      // BER with indefinite lengths (openssl's streaming output): Bouncy Castle re-encodes it as
      // DER. Go's form is DER already, and Bouncy Castle could not parse it anyway.
      byte[] der;
      try {
        der = ASN1Primitive.fromByteArray(contentInfo).getEncoded(ASN1Encoding.DER);
      } catch (IOException | RuntimeException e) {
        throw strict;
      }
      if (java.util.Arrays.equals(der, contentInfo)) {
        throw strict;
      }
      parts = EncryptedParts.read(der);
    }
    return parts.decrypt(key);
  }

  static byte[] concat(byte[]... parts) {
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    for (byte[] p : parts) {
      out.writeBytes(p);
    }
    return out.toByteArray();
  }

  /** The fields of an EncryptedData needed to decrypt it, read leniently. */
  private record EncryptedParts(ASN1ObjectIdentifier algorithm, Tlv parameters, byte[] ciphertext) {

    static EncryptedParts read(byte[] der) throws EstProtocolException {
      try {
        List<Tlv> contentInfo = children(Tlv.parseSingle(der), 0x30, 2);
        ASN1ObjectIdentifier type = oid(contentInfo.get(0));
        if (!type.equals(CMSObjectIdentifiers.encryptedData)) {
          throw new EstProtocolException("not a CMS EncryptedData (content type " + type + ")");
        }
        List<Tlv> encryptedData = children(Tlv.parseSingle(expect(contentInfo.get(1), 0xa0).content), 0x30, 2);
        List<Tlv> eci = children(encryptedData.get(1), 0x30, 2);
        List<Tlv> algorithmId = children(eci.get(1), 0x30, 1);
        if (eci.size() < 3) {
          throw new EstProtocolException("CMS EncryptedData without encrypted content");
        }
        return new EncryptedParts(oid(algorithmId.get(0)), algorithmId.size() > 1 ? algorithmId.get(1) : null,
            ciphertext(eci.get(2)));
      } catch (IllegalArgumentException e) {
        throw new EstProtocolException("malformed CMS EncryptedData: " + e.getMessage(), e);
      }
    }

    byte[] decrypt(byte[] key) throws EstProtocolException {
      String id = algorithm.getId();
      int keyBytes = aesKeyBytes(id);
      if (keyBytes < 0) {
        throw new EstProtocolException("CMS EncryptedData uses algorithm " + id
            + ", which est4j does not decrypt (AES-GCM and AES-CBC only)");
      }
      if (key.length != keyBytes) {
        throw new EstProtocolException("the content is encrypted with AES-" + keyBytes * 8
            + " but the key is " + key.length + " bytes");
      }
      try {
        Cipher cipher;
        if (isGcm(id)) {
          GcmSpec spec = GcmSpec.read(parameters);
          cipher = Cipher.getInstance("AES/GCM/NoPadding");
          cipher.init(Cipher.DECRYPT_MODE, new SecretKeySpec(key, "AES"), new GCMParameterSpec(spec.tagBytes() * 8, spec.nonce()));
        } else {
          if (parameters == null || parameters.tag != 0x04) {
            throw new EstProtocolException("malformed CMS EncryptedData: AES-CBC without an IV");
          }
          cipher = Cipher.getInstance("AES/CBC/PKCS5Padding");
          cipher.init(Cipher.DECRYPT_MODE, new SecretKeySpec(key, "AES"), new IvParameterSpec(parameters.content));
        }
        return cipher.doFinal(ciphertext);
      } catch (BadPaddingException e) { // AEADBadTagException for GCM {
        throw new EstProtocolException("cannot decrypt the CMS EncryptedData: wrong key, or the content was altered", e);
      } catch (GeneralSecurityException | IllegalArgumentException e) {
        throw new EstProtocolException("cannot decrypt the CMS EncryptedData: " + e.getMessage(), e);
      }
    }

    private static int aesKeyBytes(String oid) {
      switch (oid) {
        case "2.16.840.1.101.3.4.1.2": case "2.16.840.1.101.3.4.1.6": return 16;
        case "2.16.840.1.101.3.4.1.22": case "2.16.840.1.101.3.4.1.26": return 24;
        case "2.16.840.1.101.3.4.1.42": case "2.16.840.1.101.3.4.1.46": return 32;
        default: return -1;
      }
    }

    private static boolean isGcm(String oid) {
      return oid.endsWith(".6") || oid.endsWith(".26") || oid.endsWith(".46");
    }

    /** [0] IMPLICIT OCTET STRING, primitive or constructed from OCTET STRING segments. */
    private static byte[] ciphertext(Tlv t) {
      if (t.tag == 0x80) {
        return t.content;
      }
      expect(t, 0xa0);
      ByteArrayOutputStream out = new ByteArrayOutputStream();
      for (Tlv segment : Tlv.parseAll(t.content)) {
        out.writeBytes(expect(segment, 0x04).content);
      }
      return out.toByteArray();
    }
  }

  /** RFC 5084 GCMParameters, or Go's variant of them. */
  private record GcmSpec(byte[] nonce, int tagBytes) {
    static GcmSpec read(Tlv parameters) throws EstProtocolException {
      if (parameters == null) {
        throw new EstProtocolException("malformed CMS EncryptedData: AES-GCM without parameters");
      }
      // Go writes a primitive 0x10 element whose content is itself a whole SEQUENCE.
      Tlv sequence = parameters.tag == 0x10 ? Tlv.parseSingle(parameters.content) : parameters;
      List<Tlv> fields = children(sequence, 0x30, 1);
      Tlv nonce = fields.get(0);
      if (nonce.tag != 0x04 && nonce.tag != 0x84) {
        throw new IllegalArgumentException("AES-GCM nonce is not an OCTET STRING");
      }
      int tagBytes = fields.size() > 1
          ? ASN1Integer.getInstance(Tlv.encode(0x02, expect(fields.get(1), 0x02).content)).intValueExact()
          : 12; // RFC 5084's default
      if (tagBytes < 12 || tagBytes > 16) {
        throw new IllegalArgumentException("AES-GCM tag length " + tagBytes + " is not 12 to 16");
      }
      return new GcmSpec(nonce.content, tagBytes);
    }
  }

  private static List<Tlv> children(Tlv t, int tag, int atLeast) {
    List<Tlv> c = Tlv.parseAll(expect(t, tag).content);
    if (c.size() < atLeast) {
      throw new IllegalArgumentException("ASN.1 structure has " + c.size() + " fields, expected " + atLeast);
    }
    return c;
  }

  private static Tlv expect(Tlv t, int tag) {
    if (t.tag != tag) {
      throw new IllegalArgumentException(String.format("expected tag 0x%02x, found 0x%02x", tag, t.tag));
    }
    return t;
  }

  private static ASN1ObjectIdentifier oid(Tlv t) {
    return ASN1ObjectIdentifier.getInstance(Tlv.encode(0x06, expect(t, 0x06).content));
  }
}
