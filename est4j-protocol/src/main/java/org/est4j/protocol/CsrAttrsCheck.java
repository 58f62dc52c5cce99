package org.est4j.protocol;

import java.math.BigInteger;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import org.bouncycastle.asn1.ASN1Encodable;
import org.bouncycastle.asn1.ASN1Integer;
import org.bouncycastle.asn1.ASN1ObjectIdentifier;
import org.bouncycastle.asn1.edec.EdECObjectIdentifiers;
import org.bouncycastle.asn1.pkcs.PKCSObjectIdentifiers;
import org.bouncycastle.asn1.pkcs.RSAPublicKey;
import org.bouncycastle.asn1.x500.RDN;
import org.bouncycastle.asn1.x500.X500Name;
import org.bouncycastle.asn1.x500.style.BCStyle;
import org.bouncycastle.asn1.x500.style.IETFUtils;
import org.bouncycastle.asn1.x509.AlgorithmIdentifier;
import org.bouncycastle.asn1.x509.Extension;
import org.bouncycastle.asn1.x509.Extensions;
import org.bouncycastle.asn1.x509.SubjectPublicKeyInfo;
import org.bouncycastle.asn1.x9.X9ObjectIdentifiers;

/**
 * Whether a CSR gives what /csrattrs advertised (for labels with {@code enforce_csrattrs}).
 *
 * <p>When the attributes hold an RFC 9908 template, only the template counts (RFC 9908 §4: a
 * client that understands it uses nothing else): each subject field must be present, with the
 * dictated value where one is given; the key must use the template's algorithm (and EC curve);
 * each extension template must be requested. Otherwise the RFC 7030 entries count: a bare OID of
 * a signature algorithm asks for that CSR signature (any of those listed); challengePassword and
 * other bare OIDs ask for that attribute (or, RFC 9908 §3.2, that extension); an
 * extensionRequest attribute lists extensions to request; id-ecPublicKey lists allowed curves;
 * rsaEncryption with an INTEGER gives the modulus size.
 */
public final class CsrAttrsCheck {
  private static final Set<ASN1ObjectIdentifier> SIGNATURES = Set.of(
      X9ObjectIdentifiers.ecdsa_with_SHA256, X9ObjectIdentifiers.ecdsa_with_SHA384,
      X9ObjectIdentifiers.ecdsa_with_SHA512, PKCSObjectIdentifiers.sha256WithRSAEncryption,
      PKCSObjectIdentifiers.sha384WithRSAEncryption, PKCSObjectIdentifiers.sha512WithRSAEncryption,
      PKCSObjectIdentifiers.id_RSASSA_PSS, EdECObjectIdentifiers.id_Ed25519, EdECObjectIdentifiers.id_Ed448);

  private CsrAttrsCheck() {}

  /** Empty when the CSR satisfies {@code attrs}, else what is missing. */
  public static Optional<String> unmet(CsrAttrs attrs, Csr csr) throws EstProtocolException {
    Optional<CsrTemplate> template = CsrTemplate.find(attrs);
    if (template.isPresent()) {
      return unmetTemplate(template.get(), csr);
    }
    List<ASN1ObjectIdentifier> signatures = new ArrayList<>();
    for (CsrAttrs.Entry e : attrs.entries()) {
      Optional<String> why = Optional.empty();
      if (e instanceof CsrAttrs.Oid o) {
        if (SIGNATURES.contains(o.oid())) {
          signatures.add(o.oid());
        } else if (!hasAttribute(csr, o.oid()) && !hasExtension(csr, o.oid())) {
          why = Optional.of("the CSR has no " + name(o.oid()) + " attribute");
        }
      } else {
        why = unmetAttribute((CsrAttrs.Attribute) e, csr);
      }
      if (why.isPresent()) {
        return why;
      }
    }
    ASN1ObjectIdentifier used = csr.toBouncyCastle().getSignatureAlgorithm().getAlgorithm();
    if (!signatures.isEmpty() && !signatures.contains(used)) {
      return Optional.of("the CSR is signed with " + name(used) + ", not " + names(signatures));
    }
    return Optional.empty();
  }

  private static Optional<String> unmetAttribute(CsrAttrs.Attribute a, Csr csr) {
    SubjectPublicKeyInfo key = csr.publicKeyInfo();
    ASN1ObjectIdentifier keyAlgorithm = key.getAlgorithm().getAlgorithm();
    if (a.type().equals(PKCSObjectIdentifiers.pkcs_9_at_extensionRequest)) {
      for (ASN1Encodable v : a.values()) {
        ASN1ObjectIdentifier ext = v instanceof ASN1ObjectIdentifier oid ? oid
            : Extension.getInstance(v).getExtnId();
        if (!hasExtension(csr, ext)) {
          return Optional.of("the CSR does not request the extension " + name(ext));
        }
      }
      return Optional.empty();
    }
    if (a.type().equals(X9ObjectIdentifiers.id_ecPublicKey)) {
      if (!keyAlgorithm.equals(X9ObjectIdentifiers.id_ecPublicKey) || !a.values().contains(key.getAlgorithm().getParameters())) {
        return Optional.of("the CSR key must be an EC key on " + a.values().stream().map(v -> name((ASN1ObjectIdentifier) v)).toList());
      }
      return Optional.empty();
    }
    if (a.type().equals(PKCSObjectIdentifiers.rsaEncryption)) {
      if (!keyAlgorithm.equals(PKCSObjectIdentifiers.rsaEncryption)) {
        return Optional.of("the CSR key must be an RSA key");
      }
      for (ASN1Encodable v : a.values()) {
        if (v instanceof ASN1Integer size && BigInteger.valueOf(rsaBits(key)).compareTo(size.getValue()) != 0) {
          return Optional.of("the CSR key must be RSA " + size.getValue() + " bits, not " + rsaBits(key));
        }
      }
      return Optional.empty();
    }
    if (!hasAttribute(csr, a.type()) && !hasExtension(csr, a.type())) {
      return Optional.of("the CSR has no " + name(a.type()) + " attribute");
    }
    return Optional.empty();
  }

  private static Optional<String> unmetTemplate(CsrTemplate t, Csr csr) {
    X500Name subject = csr.subject();
    for (CsrTemplate.Field f : t.subject()) {
      RDN[] rdns = subject.getRDNs(f.type());
      if (rdns.length == 0) {
        return Optional.of("the CSR subject has no " + rdn(f.type()) + " (the template asks for it)");
      }
      if (f.value().isPresent()) {
        String actual = IETFUtils.valueToString(rdns[0].getFirst().getValue());
        if (!IETFUtils.canonicalString(rdns[0].getFirst().getValue())
            .equals(IETFUtils.canonicalize(f.value().get()))) {
          return Optional.of("the CSR subject has " + rdn(f.type()) + "=" + actual + ", the template dictates "
              + rdn(f.type()) + "=" + f.value().get());
        }
      }
    }
    if (t.keyAlgorithm().isPresent()) {
      AlgorithmIdentifier want = t.keyAlgorithm().get();
      AlgorithmIdentifier got = csr.publicKeyInfo().getAlgorithm();
      boolean ec = want.getAlgorithm().equals(X9ObjectIdentifiers.id_ecPublicKey);
      if (!want.getAlgorithm().equals(got.getAlgorithm())
          || (ec && want.getParameters() != null && !want.getParameters().equals(got.getParameters()))) {
        return Optional.of("the CSR key is " + name(got.getAlgorithm())
            + (got.getParameters() instanceof ASN1ObjectIdentifier c ? " " + name(c) : "")
            + ", the template asks for " + name(want.getAlgorithm())
            + (ec && want.getParameters() instanceof ASN1ObjectIdentifier c ? " " + name(c) : ""));
      }
    }
    for (ASN1ObjectIdentifier ext : t.extensions()) {
      if (!hasExtension(csr, ext)) {
        return Optional.of("the CSR does not request the extension " + name(ext) + " (the template asks for it)");
      }
    }
    return Optional.empty();
  }

  private static boolean hasAttribute(Csr csr, ASN1ObjectIdentifier type) {
    return csr.toBouncyCastle().getAttributes(type).length > 0;
  }

  private static boolean hasExtension(Csr csr, ASN1ObjectIdentifier oid) {
    Optional<Extensions> extensions = csr.requestedExtensions();
    return extensions.isPresent() && extensions.get().getExtension(oid) != null;
  }

  private static int rsaBits(SubjectPublicKeyInfo key) {
    try {
      return RSAPublicKey.getInstance(key.parsePublicKey()).getModulus().bitLength();
    } catch (Exception e) {
      return -1;
    }
  }

  private static final java.util.Map<ASN1ObjectIdentifier, String> NAMES = java.util.Map.ofEntries(
      java.util.Map.entry(PKCSObjectIdentifiers.pkcs_9_at_challengePassword, "challengePassword"),
      java.util.Map.entry(PKCSObjectIdentifiers.pkcs_9_at_extensionRequest, "extensionRequest"),
      java.util.Map.entry(X9ObjectIdentifiers.id_ecPublicKey, "id-ecPublicKey"),
      java.util.Map.entry(PKCSObjectIdentifiers.rsaEncryption, "rsaEncryption"),
      java.util.Map.entry(EdECObjectIdentifiers.id_Ed25519, "Ed25519"),
      java.util.Map.entry(EdECObjectIdentifiers.id_Ed448, "Ed448"),
      java.util.Map.entry(X9ObjectIdentifiers.ecdsa_with_SHA256, "ecdsa-with-SHA256"),
      java.util.Map.entry(X9ObjectIdentifiers.ecdsa_with_SHA384, "ecdsa-with-SHA384"),
      java.util.Map.entry(X9ObjectIdentifiers.ecdsa_with_SHA512, "ecdsa-with-SHA512"),
      java.util.Map.entry(PKCSObjectIdentifiers.sha256WithRSAEncryption, "sha256WithRSAEncryption"),
      java.util.Map.entry(PKCSObjectIdentifiers.sha384WithRSAEncryption, "sha384WithRSAEncryption"),
      java.util.Map.entry(PKCSObjectIdentifiers.sha512WithRSAEncryption, "sha512WithRSAEncryption"),
      java.util.Map.entry(PKCSObjectIdentifiers.id_RSASSA_PSS, "RSASSA-PSS"),
      java.util.Map.entry(new ASN1ObjectIdentifier("1.3.132.0.34"), "secp384r1"),
      java.util.Map.entry(new ASN1ObjectIdentifier("1.3.132.0.35"), "secp521r1"),
      java.util.Map.entry(new ASN1ObjectIdentifier("1.2.840.10045.3.1.7"), "prime256v1"),
      java.util.Map.entry(Extension.subjectAlternativeName, "subjectAltName"),
      java.util.Map.entry(Extension.keyUsage, "keyUsage"),
      java.util.Map.entry(Extension.extendedKeyUsage, "extKeyUsage"));

  /** A readable name for an OID: "CN (2.5.4.3)", "challengePassword (1.2.840.113549.1.9.7)". */
  static String name(ASN1ObjectIdentifier oid) {
    String n = NAMES.get(oid);
    if (n == null) {
      n = BCStyle.INSTANCE.oidToDisplayName(oid);
    }
    return n == null ? oid.getId() : n + " (" + oid.getId() + ")";
  }

  /** A subject attribute as in a DN string: "O", or the OID when it has no short name. */
  private static String rdn(ASN1ObjectIdentifier type) {
    String n = BCStyle.INSTANCE.oidToDisplayName(type);
    return n == null ? type.getId() : n;
  }

  private static String names(List<ASN1ObjectIdentifier> oids) {
    return String.join(" or ", oids.stream().map(CsrAttrsCheck::name).toList());
  }
}
