package org.est4j.client;

import java.io.IOException;
import java.net.InetAddress;
import java.net.URI;
import java.security.GeneralSecurityException;
import java.security.InvalidKeyException;
import java.security.KeyPair;
import java.security.PrivateKey;
import java.security.PublicKey;
import java.security.cert.X509Certificate;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import org.bouncycastle.asn1.ASN1ObjectIdentifier;
import org.bouncycastle.asn1.ASN1OctetString;
import org.bouncycastle.asn1.DEROctetString;
import org.bouncycastle.asn1.DERPrintableString;
import org.bouncycastle.asn1.DERUTF8String;
import org.bouncycastle.asn1.pkcs.Attribute;
import org.bouncycastle.asn1.pkcs.PKCSObjectIdentifiers;
import org.bouncycastle.asn1.x500.X500Name;
import org.bouncycastle.asn1.x500.X500NameBuilder;
import org.bouncycastle.asn1.x500.style.BCStyle;
import org.bouncycastle.asn1.x509.Extension;
import org.bouncycastle.asn1.x509.Extensions;
import org.bouncycastle.asn1.x509.GeneralName;
import org.bouncycastle.asn1.x509.GeneralNames;
import org.bouncycastle.asn1.x509.SubjectPublicKeyInfo;
import org.bouncycastle.pkcs.PKCS10CertificationRequestBuilder;

/**
 * Builds a DER PKCS#10 certificate signing request (RFC 2986) for {@link EstClient#enroll}.
 *
 * <pre>{@code
 * KeyPair key = KeyPairs.generate("ec:P-256");
 * byte[] csr = CsrBuilder.create()
 *     .commonName("device-1").organization("Example")
 *     .addDnsName("device-1.example").addIpAddress("192.0.2.7")
 *     .sign(key);
 * // renewal: same subject and SAN as the current certificate, new key
 * byte[] renewal = CsrBuilder.forReenrollment(current, next).sign(next);
 * // a key from a PEM file: the public key is derived from the private one
 * byte[] fromFile = CsrBuilder.create().commonName("device-1").sign(privateKey);
 * }</pre>
 *
 * <p>The field setters build the subject in the order the Go estclient (Go's {@code
 * pkix.Name.ToRDNSequence}) uses, one RDN per value: C, ST, L, street, postalCode, O, OU, CN,
 * serialNumber. Several OUs are one RDN each ({@code OU=R&D,OU=Lab}) unless {@link
 * #multiValuedOrganizationalUnits(boolean)} makes them one multi-valued RDN ({@code
 * OU=Marketing+OU=Sales}), as Go does. Null and empty values are left out, as Go does. The subject
 * may be empty when there is at least one subject alternative name; the SubjectAltName extension
 * is then marked critical (RFC 5280 §4.2.1.6).
 *
 * <p>The signature algorithm follows the key: SHA256withRSA for RSA, ECDSA with SHA-256, SHA-384
 * or SHA-512 for P-256, P-384 and P-521, and Ed25519 for Ed25519 keys. Signing goes through the
 * JCA, so hardware keys work.
 */
public final class CsrBuilder {
  private X500Name subject;
  private String commonName;
  private String organization;
  private final List<String> organizationalUnits = new ArrayList<>();
  private String country;
  private String province;
  private String locality;
  private String streetAddress;
  private String postalCode;
  private String serialNumber;
  private final List<GeneralName> sans = new ArrayList<>();
  private Extension copiedSan;
  private char[] challengePassword;
  private boolean multiValuedOus;
  private final List<Attribute> extraAttributes = new ArrayList<>();

  private CsrBuilder() {}

  public static CsrBuilder create() {
    return new CsrBuilder();
  }

  /**
   * A CSR for /simplereenroll (RFC 7030 §4.2.2): the subject and the SubjectAltName extension
   * copied byte for byte from the current certificate. Sign it with {@code newKey} (or with the
   * current key to renew without rekeying).
   */
  public static CsrBuilder forReenrollment(X509Certificate current, KeyPair newKey) {
    Objects.requireNonNull(newKey, "newKey");
    return forReenrollment(current);
  }

  /**
   * {@link #forReenrollment(X509Certificate, KeyPair)} when only the key to sign with is at hand:
   * sign with {@link #sign(PrivateKey)} (the public key derived) or {@link #sign(PrivateKey,
   * PublicKey)}.
   */
  public static CsrBuilder forReenrollment(X509Certificate current) {
    Objects.requireNonNull(current, "current");
    CsrBuilder b = new CsrBuilder();
    b.subject = X500Name.getInstance(current.getSubjectX500Principal().getEncoded());
    byte[] san = current.getExtensionValue(Extension.subjectAlternativeName.getId());
    if (san != null) {
      boolean critical =
          current.getCriticalExtensionOIDs() != null
              && current.getCriticalExtensionOIDs().contains(Extension.subjectAlternativeName.getId());
      b.copiedSan = new Extension(
          Extension.subjectAlternativeName, critical, ASN1OctetString.getInstance(san).getOctets());
    }
    return b;
  }

  /** The whole subject; excludes the field setters. */
  public CsrBuilder subject(X500Name subject) {
    this.subject = Objects.requireNonNull(subject, "subject");
    return this;
  }

  public CsrBuilder commonName(String v) {
    commonName = v;
    return this;
  }

  public CsrBuilder organization(String v) {
    organization = v;
    return this;
  }

  /** Repeatable; see {@link #multiValuedOrganizationalUnits(boolean)}. */
  public CsrBuilder organizationalUnit(String v) {
    organizationalUnits.add(Objects.requireNonNull(v));
    return this;
  }

  /** Adds each of {@code units}, in order, as {@link #organizationalUnit(String)} does. */
  public CsrBuilder organizationalUnits(List<String> units) {
    for (String u : units) {
      organizationalUnit(u);
    }
    return this;
  }

  /**
   * With {@code true}, two or more OUs go into ONE multi-valued RDN ({@code OU=Marketing+OU=Sales},
   * what the Go estclient emits); with {@code false}, the default, each OU is an RDN of its own
   * ({@code OU=Marketing,OU=Sales}). Either way the RDN stands between O and CN. Inside the
   * multi-valued RDN the values are a DER SET, so they are sorted by their encoding, as Go's are.
   */
  public CsrBuilder multiValuedOrganizationalUnits(boolean multiValued) {
    this.multiValuedOus = multiValued;
    return this;
  }

  /** Two-letter ISO 3166 code. */
  public CsrBuilder country(String v) {
    country = v;
    return this;
  }

  public CsrBuilder province(String v) {
    province = v;
    return this;
  }

  public CsrBuilder locality(String v) {
    locality = v;
    return this;
  }

  public CsrBuilder streetAddress(String v) {
    streetAddress = v;
    return this;
  }

  public CsrBuilder postalCode(String v) {
    postalCode = v;
    return this;
  }

  public CsrBuilder serialNumber(String v) {
    serialNumber = v;
    return this;
  }

  public CsrBuilder addDnsName(String name) {
    sans.add(new GeneralName(GeneralName.dNSName, Objects.requireNonNull(name)));
    return this;
  }

  public CsrBuilder addEmail(String address) {
    sans.add(new GeneralName(GeneralName.rfc822Name, Objects.requireNonNull(address)));
    return this;
  }

  /**
   * An IP address (4 bytes for IPv4, 16 for IPv6 except IPv4-mapped addresses, which Java
   * already turns into IPv4 ones).
   */
  public CsrBuilder addIpAddress(InetAddress address) {
    sans.add(new GeneralName(GeneralName.iPAddress, new DEROctetString(address.getAddress())));
    return this;
  }

  /**
   * Any other subject alternative name, as it is, e.g. a URI that is not absolute (the Go
   * estclient accepts {@code www.example.com} for -uris) or an otherName.
   */
  public CsrBuilder addSubjectAltName(GeneralName name) {
    sans.add(Objects.requireNonNull(name, "name"));
    return this;
  }

  /** An IPv4 or IPv6 literal. */
  public CsrBuilder addIpAddress(String address) {
    Objects.requireNonNull(address);
    if (!address.matches("[0-9a-fA-F:.]+")) {
      throw new IllegalArgumentException("not an IP address literal: " + address);
    }
    sans.add(new GeneralName(GeneralName.iPAddress, address));
    return this;
  }

  public CsrBuilder addUri(URI uri) {
    if (!uri.isAbsolute()) {
      throw new IllegalArgumentException("a URI SAN must be absolute: " + uri);
    }
    sans.add(new GeneralName(GeneralName.uniformResourceIdentifier, uri.toString()));
    return this;
  }

  /** The PKCS#9 challengePassword attribute (RFC 2985 §5.4.1), e.g. a one-time enrollment code. */
  public CsrBuilder challengePassword(char[] password) {
    this.challengePassword = Objects.requireNonNull(password).clone();
    return this;
  }

  /** Asks /serverkeygen to encrypt the key (RFC 7030 §4.4.1): see {@link KeyEncryption#csrAttributes()}. */
  public CsrBuilder requestKeyEncryption(KeyEncryption encryption) {
    encryption.csrAttributes().forEach(this::addAttribute);
    return this;
  }

  /** Any other attribute (one type once), e.g. one a server's /csrattrs asks for. */
  public CsrBuilder addAttribute(Attribute attribute) {
    Objects.requireNonNull(attribute, "attribute");
    for (Attribute a : extraAttributes) {
      if (a.getAttrType().equals(attribute.getAttrType())) {
        throw new IllegalStateException("the attribute " + attribute.getAttrType() + " is already set");
      }
    }
    extraAttributes.add(attribute);
    return this;
  }

  public byte[] sign(KeyPair keyPair) throws GeneralSecurityException {
    return sign(keyPair.getPrivate(), keyPair.getPublic());
  }

  /**
   * Signs with a private key alone, deriving the public key from it: RSA keys with the CRT
   * parameters (PKCS#1 and PKCS#8 files have them), EC keys on a named curve (the generator
   * multiplied by the private scalar), Ed25519 and Ed448 keys (from the private key bytes), and
   * {@link HardwarePrivateKey}s such as {@link Pkcs11Key#privateKey()}, which carry it.
   *
   * @throws InvalidKeyException when the public key cannot be derived: a key that does not reveal
   *     its encoding (hardware keys) or an RSA key without CRT parameters. Use {@link
   *     #sign(PrivateKey, PublicKey)} then.
   */
  public byte[] sign(PrivateKey privateKey) throws GeneralSecurityException {
    return sign(privateKey, CsrSigning.publicKeyInfo(privateKey));
  }

  /** Builds and signs the CSR; returns its DER encoding. */
  public byte[] sign(PrivateKey privateKey, PublicKey publicKey) throws GeneralSecurityException {
    Objects.requireNonNull(privateKey, "privateKey");
    Objects.requireNonNull(publicKey, "publicKey");
    return sign(privateKey, SubjectPublicKeyInfo.getInstance(publicKey.getEncoded()));
  }

  private byte[] sign(PrivateKey privateKey, SubjectPublicKeyInfo spki) throws GeneralSecurityException {
    X500Name name = subjectName();
    if (name.getRDNs().length == 0 && sans.isEmpty() && copiedSan == null) {
      throw new IllegalStateException("a CSR needs a subject or at least one subject alternative name");
    }
    PKCS10CertificationRequestBuilder b = new PKCS10CertificationRequestBuilder(name, spki);
    Extension san = copiedSan;
    if (san == null && !sans.isEmpty()) {
      try {
        // RFC 5280 §4.2.1.6: critical when the subject is empty
        san = new Extension(
            Extension.subjectAlternativeName, name.getRDNs().length == 0,
            new GeneralNames(sans.toArray(new GeneralName[0])).getEncoded());
      } catch (IOException e) {
        throw new IllegalStateException(e);
      }
    }
    if (san != null) {
      b.addAttribute(PKCSObjectIdentifiers.pkcs_9_at_extensionRequest, new Extensions(san));
    }
    if (challengePassword != null) {
      String pw = new String(challengePassword);
      b.addAttribute(
          PKCSObjectIdentifiers.pkcs_9_at_challengePassword,
          DERPrintableString.isPrintableString(pw) ? new DERPrintableString(pw) : new DERUTF8String(pw));
    }
    for (Attribute a : extraAttributes) {
      b.addAttribute(a.getAttrType(), a.getAttributeValues());
    }
    try {
      return b.build(new CsrSigning.JcaSigner(CsrSigning.signatureAlgorithm(spki), privateKey)).getEncoded();
    } catch (IOException e) {
      throw new IllegalStateException(e);
    } catch (IllegalStateException e) {
      if (e.getCause() instanceof GeneralSecurityException) {
        throw (GeneralSecurityException) e.getCause();
      }
      throw e;
    }
  }

  private X500Name subjectName() {
    boolean fields =
        commonName != null || organization != null || !organizationalUnits.isEmpty() || country != null
            || province != null || locality != null || streetAddress != null || postalCode != null
            || serialNumber != null;
    if (subject != null) {
      if (fields) {
        throw new IllegalStateException("subject(X500Name) and the subject field setters exclude each other");
      }
      return subject;
    }
    X500NameBuilder nb = new X500NameBuilder(BCStyle.INSTANCE);
    add(nb, BCStyle.C, country);
    add(nb, BCStyle.ST, province);
    add(nb, BCStyle.L, locality);
    add(nb, BCStyle.STREET, streetAddress);
    add(nb, BCStyle.POSTAL_CODE, postalCode);
    add(nb, BCStyle.O, organization);
    List<String> ous = new ArrayList<>();
    for (String ou : organizationalUnits) {
      if (!ou.isEmpty()) {
        ous.add(ou);
      }
    }
    if (multiValuedOus && ous.size() > 1) {
      ASN1ObjectIdentifier[] types = new ASN1ObjectIdentifier[ous.size()];
      java.util.Arrays.fill(types, BCStyle.OU);
      nb.addMultiValuedRDN(types, ous.toArray(new String[0]));
    } else {
      for (String ou : ous) {
        add(nb, BCStyle.OU, ou);
      }
    }
    add(nb, BCStyle.CN, commonName);
    add(nb, BCStyle.SERIALNUMBER, serialNumber);
    return nb.build();
  }

  private static void add(X500NameBuilder nb, ASN1ObjectIdentifier type, String value) {
    if (value != null && !value.isEmpty()) {
      nb.addRDN(type, value);
    }
  }
}
