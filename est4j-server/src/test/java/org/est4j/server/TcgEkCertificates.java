package org.est4j.server;

import java.math.BigInteger;
import java.security.KeyPair;
import java.security.PublicKey;
import java.security.cert.X509Certificate;
import java.time.Instant;
import java.util.Date;
import java.util.List;
import java.util.Vector;
import org.bouncycastle.asn1.ASN1Encodable;
import org.bouncycastle.asn1.ASN1Integer;
import org.bouncycastle.asn1.ASN1ObjectIdentifier;
import org.bouncycastle.asn1.DERSequence;
import org.bouncycastle.asn1.DERSet;
import org.bouncycastle.asn1.DERUTF8String;
import org.bouncycastle.asn1.pkcs.PKCSObjectIdentifiers;
import org.bouncycastle.asn1.x500.RDN;
import org.bouncycastle.asn1.x500.X500Name;
import org.bouncycastle.asn1.x500.X500NameBuilder;
import org.bouncycastle.asn1.x509.AlgorithmIdentifier;
import org.bouncycastle.asn1.x509.Attribute;
import org.bouncycastle.asn1.x509.BasicConstraints;
import org.bouncycastle.asn1.x509.ExtendedKeyUsage;
import org.bouncycastle.asn1.x509.Extension;
import org.bouncycastle.asn1.x509.GeneralName;
import org.bouncycastle.asn1.x509.GeneralNames;
import org.bouncycastle.asn1.x509.KeyPurposeId;
import org.bouncycastle.asn1.x509.KeyUsage;
import org.bouncycastle.asn1.x509.SubjectDirectoryAttributes;
import org.bouncycastle.asn1.x509.SubjectPublicKeyInfo;
import org.bouncycastle.cert.X509v3CertificateBuilder;
import org.bouncycastle.cert.jcajce.JcaX509CertificateConverter;
import org.bouncycastle.cert.jcajce.JcaX509ExtensionUtils;
import org.bouncycastle.cert.jcajce.JcaX509v3CertificateBuilder;
import org.bouncycastle.operator.jcajce.JcaContentSignerBuilder;

/**
 * A TPM manufacturer root and EK certificates in the TCG EK Credential Profile's shape (§3.2):
 * empty subject, critical subjectAltName with the TPM's manufacturer, model and version as a
 * directoryName, the tcg-kp-EKCertificate EKU, keyEncipherment only, subjectDirectoryAttributes
 * naming the TPM specification.
 */
final class TcgEkCertificates {
  private static final ASN1ObjectIdentifier TPM_MANUFACTURER = new ASN1ObjectIdentifier("2.23.133.2.1");
  private static final ASN1ObjectIdentifier TPM_MODEL = new ASN1ObjectIdentifier("2.23.133.2.2");
  private static final ASN1ObjectIdentifier TPM_VERSION = new ASN1ObjectIdentifier("2.23.133.2.3");
  private static final ASN1ObjectIdentifier TPM_SPECIFICATION = new ASN1ObjectIdentifier("2.23.133.2.16");
  private static final ASN1ObjectIdentifier EK_CERTIFICATE = new ASN1ObjectIdentifier("2.23.133.8.1");
  private static final X500Name ROOT = new X500Name("CN=TPM Manufacturer Root, O=Example TPM Vendor");

  private final KeyPair rootKeys;
  private final X509Certificate root;

  private TcgEkCertificates(KeyPair rootKeys, X509Certificate root) {
    this.rootKeys = rootKeys;
    this.root = root;
  }

  static TcgEkCertificates create() throws Exception {
    KeyPair keys = TestRequests.p256();
    X509Certificate root = new JcaX509CertificateConverter().getCertificate(
        new JcaX509v3CertificateBuilder(ROOT, BigInteger.ONE, from(), to(), ROOT, keys.getPublic())
            .addExtension(Extension.basicConstraints, true, new BasicConstraints(1))
            .addExtension(Extension.keyUsage, true, new KeyUsage(KeyUsage.keyCertSign))
            .addExtension(Extension.subjectKeyIdentifier, false,
                new JcaX509ExtensionUtils().createSubjectKeyIdentifier(keys.getPublic()))
            .build(new JcaContentSignerBuilder("SHA256withECDSA").build(keys.getPrivate())));
    return new TcgEkCertificates(keys, root);
  }

  X509Certificate root() {
    return root;
  }

  X509Certificate ekCertificate(PublicKey ek) throws Exception {
    X500Name tpm = new X500NameBuilder()
        .addRDN(TPM_MANUFACTURER, "id:4E544300").addRDN(TPM_MODEL, "NPCT75x")
        .addRDN(TPM_VERSION, "id:00070002").build();
    ASN1Encodable spec = new DERSequence(new ASN1Encodable[] {
        new DERUTF8String("2.0"), new ASN1Integer(0), new ASN1Integer(164)});
    SubjectDirectoryAttributes attributes = new SubjectDirectoryAttributes(
        new Vector<>(List.of(new Attribute(TPM_SPECIFICATION, new DERSet(spec)))));
    return new JcaX509CertificateConverter().getCertificate(
        new JcaX509v3CertificateBuilder(ROOT, BigInteger.TWO, from(), to(), new X500Name(new RDN[0]), ek)
            .addExtension(Extension.subjectAlternativeName, true, new GeneralNames(new GeneralName(tpm)))
            .addExtension(Extension.extendedKeyUsage, false,
                new ExtendedKeyUsage(KeyPurposeId.getInstance(EK_CERTIFICATE)))
            .addExtension(Extension.keyUsage, true, new KeyUsage(KeyUsage.keyEncipherment))
            .addExtension(Extension.basicConstraints, true, new BasicConstraints(false))
            .addExtension(Extension.subjectDirectoryAttributes, false, attributes)
            .addExtension(Extension.authorityKeyIdentifier, false,
                new JcaX509ExtensionUtils().createAuthorityKeyIdentifier(root))
            .build(new JcaContentSignerBuilder("SHA256withECDSA").build(rootKeys.getPrivate())));
  }

  /** A certificate for an RSA key whose SubjectPublicKeyInfo says id-RSAES-OAEP, as some vendors' do. */
  X509Certificate oaepLabelled(PublicKey rsa) throws Exception {
    SubjectPublicKeyInfo spki = new SubjectPublicKeyInfo(new AlgorithmIdentifier(PKCSObjectIdentifiers.id_RSAES_OAEP),
        SubjectPublicKeyInfo.getInstance(rsa.getEncoded()).getPublicKeyData().getBytes());
    return new JcaX509CertificateConverter().getCertificate(
        new X509v3CertificateBuilder(ROOT, BigInteger.TEN, from(), to(), new X500Name("CN=EK"), spki)
            .build(new JcaContentSignerBuilder("SHA256withECDSA").build(rootKeys.getPrivate())));
  }

  private static Date from() {
    return Date.from(Instant.now().minusSeconds(60));
  }

  private static Date to() {
    return Date.from(Instant.now().plusSeconds(86400));
  }
}
