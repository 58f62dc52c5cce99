package org.est4j.protocol;

import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.Optional;
import org.bouncycastle.asn1.ASN1Encodable;
import org.bouncycastle.asn1.ASN1EncodableVector;
import org.bouncycastle.asn1.ASN1Integer;
import org.bouncycastle.asn1.ASN1ObjectIdentifier;
import org.bouncycastle.asn1.ASN1Sequence;
import org.bouncycastle.asn1.ASN1Set;
import org.bouncycastle.asn1.ASN1TaggedObject;
import org.bouncycastle.asn1.BERTags;
import org.bouncycastle.asn1.DERSequence;
import org.bouncycastle.asn1.DERSet;
import org.bouncycastle.asn1.DERTaggedObject;
import org.bouncycastle.asn1.DERUTF8String;
import org.bouncycastle.asn1.x500.style.BCStyle;
import org.bouncycastle.asn1.x500.style.IETFUtils;
import org.bouncycastle.asn1.x509.AlgorithmIdentifier;

/**
 * The template form of CSR attributes (RFC 9908 §3.4): one CsrAttrs attribute of type
 * id-aa-certificationRequestInfoTemplate whose value is
 *
 * <pre>
 * CertificationRequestInfoTemplate ::= SEQUENCE {
 *   version       INTEGER { v1(0) },
 *   subject       NameTemplate OPTIONAL,                      -- RDNs, values OPTIONAL
 *   subjectPKInfo [0] SubjectPublicKeyInfoTemplate OPTIONAL,  -- algorithm, key OPTIONAL
 *   attributes    [1] Attributes }                            -- here: extensionReqTemplate
 * ExtensionTemplate ::= SEQUENCE { extnID OID, critical BOOLEAN DEFAULT FALSE,
 *                                  extnValue OCTET STRING OPTIONAL }
 * </pre>
 *
 * A subject field without a value asks the client to fill it in; one with a value dictates it.
 * est4j writes extension templates without values (the client fills them in). Immutable.
 */
public record CsrTemplate(List<Field> subject, Optional<AlgorithmIdentifier> keyAlgorithm,
    List<ASN1ObjectIdentifier> extensions) {

  /** id-aa-certificationRequestInfoTemplate, 1.2.840.113549.1.9.16.2.61. */
  public static final ASN1ObjectIdentifier ID_TEMPLATE = new ASN1ObjectIdentifier("1.2.840.113549.1.9.16.2.61");
  /** id-aa-extensionReqTemplate, 1.2.840.113549.1.9.16.2.62. */
  public static final ASN1ObjectIdentifier ID_EXTENSION_REQ_TEMPLATE =
      new ASN1ObjectIdentifier("1.2.840.113549.1.9.16.2.62");

  /** One RDN of the subject template; an empty value is for the client to fill in. */
  public record Field(ASN1ObjectIdentifier type, Optional<String> value) {
    public Field {
      Objects.requireNonNull(type, "type");
      Objects.requireNonNull(value, "value");
    }
  }

  public CsrTemplate {
    subject = List.copyOf(subject);
    Objects.requireNonNull(keyAlgorithm, "keyAlgorithm");
    extensions = List.copyOf(extensions);
  }

  /**
   * A subject field from configuration text: {@code CN} (the client fills it in) or
   * {@code O=Example Inc} (dictated); names as in RFC 4514 or a dotted OID.
   *
   * @throws IllegalArgumentException for an unknown attribute name
   */
  public static Field field(String text) {
    int eq = text.indexOf('=');
    String type = (eq < 0 ? text : text.substring(0, eq)).trim();
    ASN1ObjectIdentifier oid;
    try {
      oid = !type.isEmpty() && Character.isDigit(type.charAt(0))
          ? new ASN1ObjectIdentifier(type) : BCStyle.INSTANCE.attrNameToOID(type);
    } catch (IllegalArgumentException e) {
      throw new IllegalArgumentException("'" + type + "' is not a known subject attribute (CN, O, OU, C, ...) nor an OID");
    }
    return new Field(oid, eq < 0 ? Optional.empty() : Optional.of(text.substring(eq + 1).trim()));
  }

  /**
   * The key algorithm of a template from a key type: {@code ec:P-256} (id-ecPublicKey and the
   * curve), {@code rsa} or {@code rsa:BITS} (rsaEncryption; the size is not part of the
   * template), {@code ed25519}, {@code ed448}.
   */
  public static AlgorithmIdentifier keyAlgorithm(String spec) {
    String s = spec.trim().toLowerCase(java.util.Locale.ROOT);
    if (s.equals("rsa") || s.startsWith("rsa:")) {
      return new AlgorithmIdentifier(org.bouncycastle.asn1.pkcs.PKCSObjectIdentifiers.rsaEncryption,
          org.bouncycastle.asn1.DERNull.INSTANCE);
    }
    if (s.equals("ed25519")) {
      return new AlgorithmIdentifier(org.bouncycastle.asn1.edec.EdECObjectIdentifiers.id_Ed25519);
    }
    if (s.equals("ed448")) {
      return new AlgorithmIdentifier(org.bouncycastle.asn1.edec.EdECObjectIdentifiers.id_Ed448);
    }
    java.util.Map<String, ASN1ObjectIdentifier> curves = java.util.Map.of(
        "ec:p-256", org.bouncycastle.asn1.sec.SECObjectIdentifiers.secp256r1,
        "ec:p-384", org.bouncycastle.asn1.sec.SECObjectIdentifiers.secp384r1,
        "ec:p-521", org.bouncycastle.asn1.sec.SECObjectIdentifiers.secp521r1);
    if (curves.containsKey(s)) {
      return new AlgorithmIdentifier(org.bouncycastle.asn1.x9.X9ObjectIdentifiers.id_ecPublicKey, curves.get(s));
    }
    throw new IllegalArgumentException("'" + spec + "' is not a key type: use ec:P-256, ec:P-384, ec:P-521, rsa,"
        + " ed25519 or ed448");
  }

  /** An extension by name (subjectAltName, keyUsage, extendedKeyUsage, basicConstraints) or OID. */
  public static ASN1ObjectIdentifier extension(String text) {
    switch (text.trim().toLowerCase(java.util.Locale.ROOT)) {
      case "subjectaltname": return org.bouncycastle.asn1.x509.Extension.subjectAlternativeName;
      case "keyusage": return org.bouncycastle.asn1.x509.Extension.keyUsage;
      case "extendedkeyusage": return org.bouncycastle.asn1.x509.Extension.extendedKeyUsage;
      case "basicconstraints": return org.bouncycastle.asn1.x509.Extension.basicConstraints;
      default:
        try {
          return new ASN1ObjectIdentifier(text.trim());
        } catch (IllegalArgumentException e) {
          throw new IllegalArgumentException("'" + text + "' is not an extension: use subjectAltName, keyUsage,"
              + " extendedKeyUsage, basicConstraints or an OID");
        }
    }
  }

  /** The CsrAttrs entry carrying this template. */
  public CsrAttrs.Attribute toAttribute() {
    ASN1EncodableVector seq = new ASN1EncodableVector();
    seq.add(new ASN1Integer(0));
    if (!subject.isEmpty()) {
      ASN1EncodableVector rdns = new ASN1EncodableVector();
      for (Field f : subject) {
        ASN1EncodableVector single = new ASN1EncodableVector();
        single.add(f.type());
        f.value().ifPresent(v -> single.add(new DERUTF8String(v)));
        rdns.add(new DERSet(new DERSequence(single)));
      }
      seq.add(new DERSequence(rdns));
    }
    keyAlgorithm.ifPresent(a -> seq.add(new DERTaggedObject(false, 0, new DERSequence(a))));
    ASN1EncodableVector attributes = new ASN1EncodableVector();
    if (!extensions.isEmpty()) {
      ASN1EncodableVector templates = new ASN1EncodableVector();
      for (ASN1ObjectIdentifier e : extensions) {
        templates.add(new DERSequence(e));
      }
      attributes.add(new DERSequence(new ASN1Encodable[] {
          ID_EXTENSION_REQ_TEMPLATE, new DERSet(new DERSequence(templates))}));
    }
    seq.add(new DERTaggedObject(false, 1, new DERSet(attributes)));
    return new CsrAttrs.Attribute(ID_TEMPLATE, new DERSequence(seq));
  }

  /** The template in {@code attrs}, if it has one. */
  public static Optional<CsrTemplate> find(CsrAttrs attrs) throws EstProtocolException {
    for (CsrAttrs.Entry e : attrs.entries()) {
      if (e instanceof CsrAttrs.Attribute a && a.type().equals(ID_TEMPLATE)) {
        return Optional.of(decode(a.values().get(0)));
      }
    }
    return Optional.empty();
  }

  /** Decodes a CertificationRequestInfoTemplate value. */
  public static CsrTemplate decode(ASN1Encodable value) throws EstProtocolException {
    try {
      ASN1Sequence seq = ASN1Sequence.getInstance(value);
      if (ASN1Integer.getInstance(seq.getObjectAt(0)).intValueExact() != 0) {
        throw new EstProtocolException("unsupported CertificationRequestInfoTemplate version");
      }
      List<Field> subject = new ArrayList<>();
      Optional<AlgorithmIdentifier> key = Optional.empty();
      List<ASN1ObjectIdentifier> extensions = new ArrayList<>();
      for (int i = 1; i < seq.size(); i++) {
        ASN1Encodable element = seq.getObjectAt(i);
        if (element instanceof ASN1Sequence rdnSequence) {
          for (ASN1Encodable rdn : rdnSequence) {
            for (ASN1Encodable single : ASN1Set.getInstance(rdn)) {
              ASN1Sequence s = ASN1Sequence.getInstance(single);
              Optional<String> v = s.size() > 1
                  ? Optional.of(IETFUtils.valueToString(s.getObjectAt(1))) : Optional.empty();
              subject.add(new Field(ASN1ObjectIdentifier.getInstance(s.getObjectAt(0)), v));
            }
          }
        } else {
          ASN1TaggedObject tagged = ASN1TaggedObject.getInstance(element, BERTags.CONTEXT_SPECIFIC);
          if (tagged.getTagNo() == 0) {
            key = Optional.of(AlgorithmIdentifier.getInstance(
                ASN1Sequence.getInstance(tagged, false).getObjectAt(0)));
          } else if (tagged.getTagNo() == 1) {
            for (ASN1Encodable attribute : ASN1Set.getInstance(tagged, false)) {
              ASN1Sequence a = ASN1Sequence.getInstance(attribute);
              if (ID_EXTENSION_REQ_TEMPLATE.equals(a.getObjectAt(0))) {
                for (ASN1Encodable ext : ASN1Sequence.getInstance(ASN1Set.getInstance(a.getObjectAt(1)).getObjectAt(0))) {
                  extensions.add(ASN1ObjectIdentifier.getInstance(ASN1Sequence.getInstance(ext).getObjectAt(0)));
                }
              }
            }
          }
        }
      }
      return new CsrTemplate(subject, key, extensions);
    } catch (RuntimeException e) {
      throw new EstProtocolException("malformed CertificationRequestInfoTemplate", e);
    }
  }
}
