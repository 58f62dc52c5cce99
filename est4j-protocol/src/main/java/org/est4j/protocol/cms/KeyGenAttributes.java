package org.est4j.protocol.cms;

import java.util.ArrayList;
import java.util.Collections;
import java.util.HexFormat;
import java.util.List;
import java.util.Objects;
import java.util.Optional;
import org.bouncycastle.asn1.ASN1Encodable;
import org.bouncycastle.asn1.ASN1EncodableVector;
import org.bouncycastle.asn1.ASN1ObjectIdentifier;
import org.bouncycastle.asn1.ASN1OctetString;
import org.bouncycastle.asn1.ASN1Sequence;
import org.bouncycastle.asn1.DEROctetString;
import org.bouncycastle.asn1.DERSequence;
import org.bouncycastle.asn1.DERSet;
import org.bouncycastle.asn1.pkcs.Attribute;
import org.bouncycastle.asn1.pkcs.PKCSObjectIdentifiers;
import org.bouncycastle.pkcs.PKCS10CertificationRequest;
import org.est4j.protocol.Csr;
import org.est4j.protocol.EstProtocolException;

/**
 * The CSR attributes with which a /serverkeygen client asks for its key to be encrypted (RFC 7030
 * §4.4.1): DecryptKeyIdentifier (§4.4.1.1, RFC 4108 id-aa-decryptKeyID, a shared symmetric key's
 * identifier), AsymmetricDecryptKeyIdentifier (§4.4.1.2, id-aa-asymmDecryptKeyID, the identifier of
 * the client's key pair, in practice a certificate's SubjectKeyIdentifier) and SMIMECapabilities
 * (RFC 8551 §2.5.2, the algorithms the client can decrypt with, in order of preference).
 *
 * <p>Read with {@link #of(Csr)}; the static {@code *Attribute} methods build the attributes for a
 * client's CSR. Immutable.
 */
public final class KeyGenAttributes {
  /** id-aa-decryptKeyID (RFC 4108 §2.2.5). */
  public static final ASN1ObjectIdentifier DECRYPT_KEY_ID =
      new ASN1ObjectIdentifier("1.2.840.113549.1.9.16.2.37");
  /** id-aa-asymmDecryptKeyID (RFC 7030 §4.4.1.2). */
  public static final ASN1ObjectIdentifier ASYMMETRIC_DECRYPT_KEY_ID =
      new ASN1ObjectIdentifier("1.2.840.113549.1.9.16.2.54");
  /** smimeCapabilities (PKCS#9, RFC 8551 §2.5.2). */
  public static final ASN1ObjectIdentifier SMIME_CAPABILITIES = PKCSObjectIdentifiers.pkcs_9_at_smimeCapabilities;

  private static final int MAX_ID_BYTES = 256;

  private final byte[] decryptKeyId;
  private final byte[] asymmetricKeyId;
  private final List<ASN1ObjectIdentifier> capabilities;

  private KeyGenAttributes(byte[] decryptKeyId, byte[] asymmetricKeyId, List<ASN1ObjectIdentifier> capabilities) {
    this.decryptKeyId = decryptKeyId;
    this.asymmetricKeyId = asymmetricKeyId;
    this.capabilities = Collections.unmodifiableList(capabilities);
  }

  /**
   * Reads the three attributes from a decoded CSR. Each may appear at most once with one value.
   *
   * @throws EstProtocolException naming the attribute that is malformed or repeated
   */
  public static KeyGenAttributes of(Csr csr) throws EstProtocolException {
    PKCS10CertificationRequest r = csr.toBouncyCastle();
    byte[] sym = octets(r, DECRYPT_KEY_ID, "DecryptKeyIdentifier");
    byte[] asym = octets(r, ASYMMETRIC_DECRYPT_KEY_ID, "AsymmetricDecryptKeyIdentifier");
    List<ASN1ObjectIdentifier> caps = new ArrayList<>();
    Optional<ASN1Encodable> capValue = single(r, SMIME_CAPABILITIES, "SMIMECapabilities");
    if (capValue.isPresent()) {
      try {
        for (ASN1Encodable c : ASN1Sequence.getInstance(capValue.get())) {
          caps.add(ASN1ObjectIdentifier.getInstance(ASN1Sequence.getInstance(c).getObjectAt(0)));
        }
      } catch (RuntimeException e) {
        throw new EstProtocolException("malformed SMIMECapabilities attribute in the CSR", e);
      }
    }
    return new KeyGenAttributes(sym, asym, caps);
  }

  /** The DecryptKeyIdentifier (symmetric key encryption, RFC 7030 §4.4.1.1), if requested. */
  public Optional<byte[]> decryptKeyId() {
    return Optional.ofNullable(decryptKeyId).map(byte[]::clone);
  }

  /** The AsymmetricDecryptKeyIdentifier (RFC 7030 §4.4.1.2), if requested. */
  public Optional<byte[]> asymmetricKeyId() {
    return Optional.ofNullable(asymmetricKeyId).map(byte[]::clone);
  }

  /** The capability identifiers of SMIMECapabilities, in the client's order; empty if absent. */
  public List<ASN1ObjectIdentifier> capabilities() {
    return capabilities;
  }

  /** Whether the client asked for its key to be encrypted at all. */
  public boolean encryptionRequested() {
    return decryptKeyId != null || asymmetricKeyId != null;
  }

  /** The DecryptKeyIdentifier attribute for a CSR. */
  public static Attribute decryptKeyIdAttribute(byte[] keyId) {
    return new Attribute(DECRYPT_KEY_ID, new DERSet(new DEROctetString(checkId(keyId))));
  }

  /** The AsymmetricDecryptKeyIdentifier attribute for a CSR. */
  public static Attribute asymmetricDecryptKeyIdAttribute(byte[] keyId) {
    return new Attribute(ASYMMETRIC_DECRYPT_KEY_ID, new DERSet(new DEROctetString(checkId(keyId))));
  }

  /** The SMIMECapabilities attribute listing {@code algorithms} (no parameters), most preferred first. */
  public static Attribute smimeCapabilitiesAttribute(List<ASN1ObjectIdentifier> algorithms) {
    ASN1EncodableVector v = new ASN1EncodableVector();
    for (ASN1ObjectIdentifier oid : algorithms) {
      v.add(new DERSequence(Objects.requireNonNull(oid, "algorithm")));
    }
    return new Attribute(SMIME_CAPABILITIES, new DERSet(new DERSequence(v)));
  }

  /** A key identifier as people read it: lower-case hex. */
  public static String hex(byte[] id) {
    return HexFormat.of().formatHex(id);
  }

  private static byte[] checkId(byte[] keyId) {
    Objects.requireNonNull(keyId, "keyId");
    if (keyId.length == 0 || keyId.length > MAX_ID_BYTES) {
      throw new IllegalArgumentException("a key identifier must have 1 to " + MAX_ID_BYTES + " bytes");
    }
    return keyId.clone();
  }

  private static byte[] octets(PKCS10CertificationRequest r, ASN1ObjectIdentifier type, String name)
      throws EstProtocolException {
    Optional<ASN1Encodable> v = single(r, type, name);
    if (v.isEmpty()) {
      return null;
    }
    byte[] id;
    try {
      id = ASN1OctetString.getInstance(v.get()).getOctets();
    } catch (RuntimeException e) {
      throw new EstProtocolException("the " + name + " attribute in the CSR is not an OCTET STRING", e);
    }
    if (id.length == 0 || id.length > MAX_ID_BYTES) {
      throw new EstProtocolException("the " + name + " attribute in the CSR must have 1 to " + MAX_ID_BYTES + " bytes");
    }
    return id;
  }

  private static Optional<ASN1Encodable> single(PKCS10CertificationRequest r, ASN1ObjectIdentifier type, String name)
      throws EstProtocolException {
    Attribute[] attributes = r.getAttributes(type);
    if (attributes.length == 0) {
      return Optional.empty();
    }
    if (attributes.length > 1 || attributes[0].getAttrValues().size() != 1) {
      throw new EstProtocolException("the " + name + " attribute in the CSR must appear once with one value");
    }
    return Optional.of(attributes[0].getAttrValues().getObjectAt(0));
  }
}
