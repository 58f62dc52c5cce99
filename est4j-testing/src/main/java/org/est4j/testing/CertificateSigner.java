package org.est4j.testing;

import java.math.BigInteger;
import java.security.KeyPair;
import java.security.NoSuchAlgorithmException;
import java.security.PrivateKey;
import java.security.SecureRandom;
import java.security.cert.CertificateException;
import java.security.cert.X509Certificate;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Date;
import java.util.List;
import java.util.UUID;
import org.bouncycastle.asn1.x500.X500Name;
import org.bouncycastle.asn1.x509.BasicConstraints;
import org.bouncycastle.asn1.x509.ExtendedKeyUsage;
import org.bouncycastle.asn1.x509.Extension;
import org.bouncycastle.asn1.x509.GeneralName;
import org.bouncycastle.asn1.x509.GeneralNames;
import org.bouncycastle.asn1.x509.KeyPurposeId;
import org.bouncycastle.asn1.x509.KeyUsage;
import org.bouncycastle.cert.CertIOException;
import org.bouncycastle.cert.X509v3CertificateBuilder;
import org.bouncycastle.cert.jcajce.JcaX509CertificateConverter;
import org.bouncycastle.cert.jcajce.JcaX509ExtensionUtils;
import org.bouncycastle.cert.jcajce.JcaX509v3CertificateBuilder;
import org.bouncycastle.operator.ContentSigner;
import org.bouncycastle.operator.OperatorCreationException;
import org.bouncycastle.operator.jcajce.JcaContentSignerBuilder;

/**
 * Turns a {@link TestCertificate.Builder} into a signed certificate. Bouncy Castle builds the
 * ASN.1; signing and certificate parsing go through the JVM's default JCA providers (Bouncy
 * Castle is never registered as a provider, so tests see the same JCA as production code).
 */
final class CertificateSigner {
  private static final SecureRandom RANDOM = new SecureRandom();
  private static final Duration DEFAULT_BACKDATE = Duration.ofMinutes(1);
  private static final Duration DEFAULT_LIFETIME = Duration.ofDays(1);

  private CertificateSigner() {}

  static TestCertificate sign(TestCertificate.Builder b) {
    KeyPair keyPair = b.keyPair != null ? b.keyPair : b.keyAlgorithm.generate();
    X500Name subject = b.subjectName(UUID.randomUUID().toString());
    Instant now = Instant.now();
    Instant notBefore = b.notBefore != null ? b.notBefore : now.minus(DEFAULT_BACKDATE);
    Instant notAfter = b.notAfter != null ? b.notAfter : now.plus(DEFAULT_LIFETIME);
    boolean selfSigned = b.issuer == null;
    X500Name issuerName =
        selfSigned ? subject : X500Name.getInstance(b.issuer.certificate().getSubjectX500Principal().getEncoded());
    PrivateKey signingKey = selfSigned ? keyPair.getPrivate() : b.issuer.keyPair().getPrivate();

    try {
      JcaX509ExtensionUtils ext = new JcaX509ExtensionUtils();
      X509v3CertificateBuilder cert =
          new JcaX509v3CertificateBuilder(
              issuerName,
              new BigInteger(127, RANDOM).add(BigInteger.ONE), // positive, at most 16 bytes
              Date.from(notBefore),
              Date.from(notAfter),
              subject,
              keyPair.getPublic());
      boolean ca = b.maxPathLen >= 0;
      cert.addExtension(
          Extension.basicConstraints,
          true,
          ca ? new BasicConstraints(b.maxPathLen) : new BasicConstraints(false));
      cert.addExtension(Extension.keyUsage, true, keyUsage(ca, keyPair));
      cert.addExtension(
          Extension.subjectKeyIdentifier, false, ext.createSubjectKeyIdentifier(keyPair.getPublic()));
      // The key identifier alone, computed as the issuer computed its SKI: path builders match
      // on it, and leaving out issuer name and serial keeps re-issued CAs interchangeable.
      cert.addExtension(
          Extension.authorityKeyIdentifier,
          false,
          ext.createAuthorityKeyIdentifier(
              selfSigned ? keyPair.getPublic() : b.issuer.keyPair().getPublic()));
      if (!b.subjectAltNames.isEmpty()) {
        // RFC 5280 §4.2.1.6: critical when the subject is empty, so the names are not ignored.
        cert.addExtension(
            Extension.subjectAlternativeName,
            subject.getRDNs().length == 0,
            new GeneralNames(b.subjectAltNames.toArray(new GeneralName[0])));
      }
      List<KeyPurposeId> purposes = new ArrayList<>();
      if (b.serverAuth) {
        purposes.add(KeyPurposeId.id_kp_serverAuth);
      }
      if (b.clientAuth) {
        purposes.add(KeyPurposeId.id_kp_clientAuth);
      }
      if (!purposes.isEmpty()) {
        cert.addExtension(
            Extension.extendedKeyUsage, false, new ExtendedKeyUsage(purposes.toArray(new KeyPurposeId[0])));
      }

      ContentSigner signer =
          new JcaContentSignerBuilder(KeyAlgorithm.signatureAlgorithm(signingKey)).build(signingKey);
      X509Certificate certificate =
          new JcaX509CertificateConverter().getCertificate(cert.build(signer));

      List<X509Certificate> chain = new ArrayList<>();
      chain.add(certificate);
      if (!selfSigned) {
        // The issuer's chain ends below its root, unless the issuer is the root itself.
        for (X509Certificate c : b.issuer.chain()) {
          if (!isSelfSigned(c)) {
            chain.add(c);
          }
        }
      }
      X509Certificate anchor = selfSigned ? certificate : b.issuer.trustAnchor();
      return new TestCertificate(certificate, keyPair, chain, anchor);
    } catch (CertIOException | NoSuchAlgorithmException e) {
      throw new IllegalStateException("cannot encode the certificate extensions", e);
    } catch (OperatorCreationException | CertificateException e) {
      throw new IllegalStateException("cannot sign the certificate", e);
    }
  }

  private static KeyUsage keyUsage(boolean ca, KeyPair keyPair) {
    if (ca) {
      return new KeyUsage(KeyUsage.keyCertSign | KeyUsage.cRLSign | KeyUsage.digitalSignature);
    }
    // RSA leaves may also be used for TLS 1.2 RSA key transport, which needs keyEncipherment.
    boolean rsa = keyPair.getPublic().getAlgorithm().equals("RSA");
    return new KeyUsage(KeyUsage.digitalSignature | (rsa ? KeyUsage.keyEncipherment : 0));
  }

  private static boolean isSelfSigned(X509Certificate c) {
    return c.getSubjectX500Principal().equals(c.getIssuerX500Principal());
  }
}
