package org.est4j.client;

import java.io.IOException;
import java.io.OutputStream;
import java.net.URI;
import java.security.GeneralSecurityException;
import java.security.KeyPair;
import java.security.PrivateKey;
import java.security.PublicKey;
import java.security.Signature;
import java.security.SignatureException;
import java.security.cert.X509Certificate;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import org.bouncycastle.asn1.ASN1ObjectIdentifier;
import org.bouncycastle.asn1.ASN1OctetString;
import org.bouncycastle.asn1.DERPrintableString;
import org.bouncycastle.asn1.DERUTF8String;
import org.bouncycastle.asn1.edec.EdECObjectIdentifiers;
import org.bouncycastle.asn1.pkcs.PKCSObjectIdentifiers;
import org.bouncycastle.asn1.x500.X500Name;
import org.bouncycastle.asn1.x500.X500NameBuilder;
import org.bouncycastle.asn1.x500.style.BCStyle;
import org.bouncycastle.asn1.x509.AlgorithmIdentifier;
import org.bouncycastle.asn1.x509.Extension;
import org.bouncycastle.asn1.x509.Extensions;
import org.bouncycastle.asn1.x509.GeneralName;
import org.bouncycastle.asn1.x509.GeneralNames;
import org.bouncycastle.asn1.x509.SubjectPublicKeyInfo;
import org.bouncycastle.asn1.x9.ECNamedCurveTable;
import org.bouncycastle.asn1.x9.X9ECParameters;
import org.bouncycastle.asn1.x9.X9ObjectIdentifiers;
import org.bouncycastle.operator.ContentSigner;
import org.bouncycastle.operator.DefaultSignatureAlgorithmIdentifierFinder;
import org.bouncycastle.pkcs.PKCS10CertificationRequestBuilder;
import org.est4j.protocol.Jca;

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
 * }</pre>
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
    Objects.requireNonNull(current, "current");
    Objects.requireNonNull(newKey, "newKey");
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

  /** Repeatable. */
  public CsrBuilder organizationalUnit(String v) {
    organizationalUnits.add(Objects.requireNonNull(v));
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

  public byte[] sign(KeyPair keyPair) throws GeneralSecurityException {
    return sign(keyPair.getPrivate(), keyPair.getPublic());
  }

  /** Builds and signs the CSR; returns its DER encoding. */
  public byte[] sign(PrivateKey privateKey, PublicKey publicKey) throws GeneralSecurityException {
    X500Name name = subjectName();
    if (name.getRDNs().length == 0 && sans.isEmpty() && copiedSan == null) {
      throw new IllegalStateException("a CSR needs a subject or at least one subject alternative name");
    }
    SubjectPublicKeyInfo spki = SubjectPublicKeyInfo.getInstance(publicKey.getEncoded());
    PKCS10CertificationRequestBuilder b = new PKCS10CertificationRequestBuilder(name, spki);
    Extension san = copiedSan;
    if (san == null && !sans.isEmpty()) {
      try {
        san = new Extension(
            Extension.subjectAlternativeName, false,
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
    try {
      return b.build(new JcaSigner(signatureAlgorithm(spki), privateKey)).getEncoded();
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
    for (String ou : organizationalUnits) {
      add(nb, BCStyle.OU, ou);
    }
    add(nb, BCStyle.CN, commonName);
    add(nb, BCStyle.SERIALNUMBER, serialNumber);
    return nb.build();
  }

  private static void add(X500NameBuilder nb, ASN1ObjectIdentifier type, String value) {
    if (value != null) {
      nb.addRDN(type, value);
    }
  }

  /** The signature algorithm for the key, from its SubjectPublicKeyInfo (works for hardware keys). */
  static String signatureAlgorithm(SubjectPublicKeyInfo spki) {
    ASN1ObjectIdentifier alg = spki.getAlgorithm().getAlgorithm();
    if (alg.equals(PKCSObjectIdentifiers.rsaEncryption)) {
      return "SHA256withRSA";
    }
    if (alg.equals(EdECObjectIdentifiers.id_Ed25519)) {
      return "Ed25519";
    }
    if (alg.equals(X9ObjectIdentifiers.id_ecPublicKey)) {
      X9ECParameters params = null;
      if (spki.getAlgorithm().getParameters() instanceof ASN1ObjectIdentifier) {
        params = ECNamedCurveTable.getByOID((ASN1ObjectIdentifier) spki.getAlgorithm().getParameters());
      }
      if (params == null) {
        throw new IllegalArgumentException("unsupported EC key: only named curves (P-256, P-384, P-521)");
      }
      int bits = params.getCurve().getFieldSize();
      return bits <= 256 ? "SHA256withECDSA" : bits <= 384 ? "SHA384withECDSA" : "SHA512withECDSA";
    }
    throw new IllegalArgumentException("unsupported key algorithm " + alg + ": use RSA, EC or Ed25519");
  }

  /** A BC ContentSigner over a JCA Signature from {@link Jca#signer}. */
  private static final class JcaSigner implements ContentSigner {
    private final AlgorithmIdentifier algorithmId;
    private final Signature signature;

    JcaSigner(String algorithm, PrivateKey key) throws GeneralSecurityException {
      this.algorithmId = new DefaultSignatureAlgorithmIdentifierFinder().find(algorithm);
      this.signature = Jca.signer(algorithm, key);
    }

    @Override
    public AlgorithmIdentifier getAlgorithmIdentifier() {
      return algorithmId;
    }

    @Override
    public OutputStream getOutputStream() {
      return new OutputStream() {
        @Override
        public void write(int b) throws IOException {
          write(new byte[] {(byte) b}, 0, 1);
        }

        @Override
        public void write(byte[] b, int off, int len) throws IOException {
          try {
            signature.update(b, off, len);
          } catch (SignatureException e) {
            throw new IOException(e);
          }
        }
      };
    }

    @Override
    public byte[] getSignature() {
      try {
        return signature.sign();
      } catch (SignatureException e) {
        throw new IllegalStateException(e);
      }
    }
  }
}
