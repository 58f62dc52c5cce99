package org.est4j.ca;

import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.security.GeneralSecurityException;
import java.security.PrivateKey;
import java.security.PublicKey;
import java.security.SecureRandom;
import java.security.cert.X509Certificate;
import java.time.Duration;
import java.time.Instant;
import java.util.Date;
import org.bouncycastle.asn1.x500.X500Name;
import org.bouncycastle.asn1.x509.AuthorityKeyIdentifier;
import org.bouncycastle.asn1.x509.BasicConstraints;
import org.bouncycastle.asn1.x509.Extension;
import org.bouncycastle.asn1.x509.KeyUsage;
import org.bouncycastle.asn1.x509.SubjectKeyIdentifier;
import org.bouncycastle.asn1.x509.SubjectPublicKeyInfo;
import org.bouncycastle.cert.X509v3CertificateBuilder;
import org.est4j.protocol.Jca;

/**
 * A self-signed root CA certificate for a key pair that may live on a device (a PKCS#11 token):
 * the signature goes through {@link CaSigner}, so the key is never extracted, and the key is
 * checked against the public key first. Used by {@code estserver ca selfsign}.
 *
 * <p>The certificate: basicConstraints cA (critical, no path length limit unless given), keyUsage
 * keyCertSign + cRLSign (critical), SKI/AKI by RFC 5280 method 1, a 128-bit random serial,
 * notBefore 60 s in the past.
 */
public final class SelfSignedCa {
  private SelfSignedCa() {}

  /**
   * @param subject an RFC 4514 distinguished name, e.g. {@code CN=Example EST Root CA,O=Example}
   * @param pathLen the path length constraint, or -1 for none
   * @throws IllegalArgumentException for a bad name or a key pair that does not match
   */
  public static X509Certificate create(String subject, PublicKey publicKey, PrivateKey privateKey,
      Duration validity, int pathLen) {
    X500Name name;
    try {
      name = new X500Name(subject);
    } catch (IllegalArgumentException e) {
      throw new IllegalArgumentException("not a distinguished name: " + subject + " (" + e.getMessage() + ")", e);
    }
    if (validity.isNegative() || validity.isZero()) {
      throw new IllegalArgumentException("the validity must be positive");
    }
    CaSigner signer = CaSigner.create(publicKey, privateKey, "(self-signed " + subject + ")");
    SubjectPublicKeyInfo spki = SubjectPublicKeyInfo.getInstance(publicKey.getEncoded());
    SubjectKeyIdentifier ski = CertIds.subjectKeyIdentifier(spki);
    Instant now = Instant.now();
    X509v3CertificateBuilder b = new X509v3CertificateBuilder(name, CertIds.randomSerial(new SecureRandom()),
        Date.from(now.minus(EmbeddedCa.CLOCK_SKEW)), Date.from(now.plus(validity)), name, spki);
    try {
      b.addExtension(Extension.basicConstraints, true, pathLen < 0 ? new BasicConstraints(true) : new BasicConstraints(pathLen));
      b.addExtension(Extension.keyUsage, true, new KeyUsage(KeyUsage.keyCertSign | KeyUsage.cRLSign));
      b.addExtension(Extension.subjectKeyIdentifier, false, ski);
      b.addExtension(Extension.authorityKeyIdentifier, false, new AuthorityKeyIdentifier(ski.getKeyIdentifier()));
      byte[] der = b.build(signer.contentSigner()).getEncoded();
      return (X509Certificate) Jca.certificateFactory().generateCertificate(new ByteArrayInputStream(der));
    } catch (IOException | GeneralSecurityException e) {
      throw new IllegalStateException("cannot create the CA certificate " + subject + ": " + e.getMessage(), e);
    }
  }
}
