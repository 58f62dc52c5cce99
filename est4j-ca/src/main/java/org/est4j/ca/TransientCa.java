package org.est4j.ca;

import org.est4j.protocol.Jca;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.security.GeneralSecurityException;
import java.security.KeyPair;
import java.security.PrivateKey;
import java.security.SecureRandom;
import java.security.cert.CertificateFactory;
import java.security.cert.X509Certificate;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.Date;
import java.util.List;
import org.bouncycastle.asn1.x500.X500Name;
import org.bouncycastle.asn1.x500.X500NameBuilder;
import org.bouncycastle.asn1.x500.style.BCStyle;
import org.bouncycastle.asn1.x509.AuthorityKeyIdentifier;
import org.bouncycastle.asn1.x509.BasicConstraints;
import org.bouncycastle.asn1.x509.Extension;
import org.bouncycastle.asn1.x509.KeyUsage;
import org.bouncycastle.asn1.x509.SubjectKeyIdentifier;
import org.bouncycastle.asn1.x509.SubjectPublicKeyInfo;
import org.bouncycastle.cert.X509v3CertificateBuilder;
import org.bouncycastle.operator.OperatorCreationException;
import org.bouncycastle.operator.jcajce.JcaContentSignerBuilder;

/**
 * A throw-away two-level CA (root and intermediate, ECDSA P-256) made in memory at start-up, for
 * development and tests. Nothing is written to disk: when the process ends, the keys are gone.
 *
 * <p>Names carry a random 8-character suffix ("Non-Production Testing Root CA x7Kp2QaZ") so that
 * certificates from two runs are never confused in a trust store. The CAs are valid for a year
 * (from 60 s before now), so a long-running development server keeps working; leaves get the
 * {@link EmbeddedCa} default of 90 days, capped by the intermediate's expiry.
 */
public final class TransientCa {

  static final Duration CA_VALIDITY = Duration.ofDays(365);
  private static final String ALPHANUMERIC =
      "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789";
  private static final String SIGNATURE_ALGORITHM = "SHA256withECDSA";

  private TransientCa() {}

  /** A new transient CA using the system UTC clock. */
  public static EmbeddedCa create() {
    return create(Clock.systemUTC());
  }

  /** A new transient CA; {@code clock} dates the CA certificates and later the leaves. */
  public static EmbeddedCa create(Clock clock) {
    return createWithRoot(clock).issuing();
  }

  /**
   * The two authorities of a transient PKI: the intermediate that issues enrolled certificates,
   * and the root, which a test server uses to certify its own TLS certificate directly (a chain of
   * one certificate under the trust anchor: the cheapest handshake for clients to verify).
   */
  public record Authorities(EmbeddedCa issuing, EmbeddedCa root) {}

  /** A new transient CA and its root authority, using the system UTC clock. */
  public static Authorities createWithRoot() {
    return createWithRoot(Clock.systemUTC());
  }

  /** A new transient CA and its root authority; {@code clock} dates the CA certificates. */
  public static Authorities createWithRoot(Clock clock) {
    SecureRandom random = new SecureRandom();
    String suffix = suffix(random);
    Instant now = clock.instant().truncatedTo(ChronoUnit.SECONDS);
    Instant notBefore = now.minus(EmbeddedCa.CLOCK_SKEW);
    Instant notAfter = now.plus(CA_VALIDITY);

    KeyPair rootKeys = ServerKeyGenerator.generate("ec:P-256");
    KeyPair intermediateKeys = ServerKeyGenerator.generate("ec:P-256");
    X500Name rootName = commonName("Non-Production Testing Root CA " + suffix);
    X500Name intermediateName = commonName("Non-Production Testing Intermediate CA " + suffix);
    SubjectPublicKeyInfo rootKey = SubjectPublicKeyInfo.getInstance(
        rootKeys.getPublic().getEncoded());
    SubjectPublicKeyInfo intermediateKey = SubjectPublicKeyInfo.getInstance(
        intermediateKeys.getPublic().getEncoded());
    SubjectKeyIdentifier rootKeyId = CertIds.subjectKeyIdentifier(rootKey);

    X509Certificate root = caCertificate(rootName, rootName, rootKey, 1, rootKeyId,
        notBefore, notAfter, rootKeys.getPrivate(), random);
    X509Certificate intermediate = caCertificate(rootName, intermediateName, intermediateKey, 0,
        rootKeyId, notBefore, notAfter, rootKeys.getPrivate(), random);
    EmbeddedCa issuing = EmbeddedCa.builder()
        .chain(List.of(intermediate, root))
        .privateKey(intermediateKeys.getPrivate())
        .clock(clock)
        .build();
    EmbeddedCa rootCa = EmbeddedCa.builder()
        .chain(List.of(root))
        .privateKey(rootKeys.getPrivate())
        .clock(clock)
        .build();
    return new Authorities(issuing, rootCa);
  }

  /**
   * A CA certificate: basicConstraints cA with {@code pathLen} and keyUsage keyCertSign+cRLSign,
   * both critical (RFC 5280 §4.2.1.9, §4.2.1.3), key identifiers by method 1.
   */
  private static X509Certificate caCertificate(X500Name issuer, X500Name subject,
      SubjectPublicKeyInfo subjectKey, int pathLen, SubjectKeyIdentifier issuerKeyId,
      Instant notBefore, Instant notAfter, PrivateKey signingKey, SecureRandom random) {
    X509v3CertificateBuilder builder = new X509v3CertificateBuilder(issuer,
        CertIds.randomSerial(random), Date.from(notBefore), Date.from(notAfter), subject,
        subjectKey);
    try {
      builder.addExtension(Extension.basicConstraints, true, new BasicConstraints(pathLen));
      builder.addExtension(Extension.keyUsage, true,
          new KeyUsage(KeyUsage.keyCertSign | KeyUsage.cRLSign));
      builder.addExtension(Extension.subjectKeyIdentifier, false,
          CertIds.subjectKeyIdentifier(subjectKey));
      builder.addExtension(Extension.authorityKeyIdentifier, false,
          new AuthorityKeyIdentifier(issuerKeyId.getKeyIdentifier()));
      byte[] der = builder.build(new JcaContentSignerBuilder(SIGNATURE_ALGORITHM)
          .build(signingKey)).getEncoded();
      return (X509Certificate) Jca.certificateFactory()
          .generateCertificate(new ByteArrayInputStream(der));
    } catch (IOException | GeneralSecurityException | OperatorCreationException e) {
      throw new IllegalStateException("cannot create the transient CA certificate " + subject, e);
    }
  }

  private static X500Name commonName(String cn) {
    return new X500NameBuilder(BCStyle.INSTANCE).addRDN(BCStyle.CN, cn).build();
  }

  private static String suffix(SecureRandom random) {
    StringBuilder suffix = new StringBuilder(8);
    for (int i = 0; i < 8; i++) {
      suffix.append(ALPHANUMERIC.charAt(random.nextInt(ALPHANUMERIC.length())));
    }
    return suffix.toString();
  }
}
