package org.est4j.ca;

import org.est4j.protocol.Jca;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.security.GeneralSecurityException;
import java.security.PrivateKey;
import java.security.SecureRandom;
import java.security.cert.CertificateException;
import java.security.cert.CertificateFactory;
import java.security.cert.X509Certificate;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.Date;
import java.util.List;
import java.util.Objects;
import java.util.Optional;
import org.bouncycastle.asn1.ASN1Encodable;
import org.bouncycastle.asn1.ASN1OctetString;
import org.bouncycastle.asn1.ASN1ObjectIdentifier;
import org.bouncycastle.asn1.x500.X500Name;
import org.bouncycastle.asn1.x509.AuthorityKeyIdentifier;
import org.bouncycastle.asn1.x509.BasicConstraints;
import org.bouncycastle.asn1.x509.ExtendedKeyUsage;
import org.bouncycastle.asn1.x509.Extension;
import org.bouncycastle.asn1.x509.GeneralNames;
import org.bouncycastle.asn1.x509.KeyPurposeId;
import org.bouncycastle.asn1.x509.KeyUsage;
import org.bouncycastle.asn1.x509.SubjectKeyIdentifier;
import org.bouncycastle.asn1.x509.SubjectPublicKeyInfo;
import org.bouncycastle.cert.X509v3CertificateBuilder;
import org.bouncycastle.operator.ContentSigner;
import org.est4j.protocol.cms.KeyPackageSigner;

/**
 * A certificate authority in the server process: it holds an issuing CA certificate, its chain up
 * to the root and the issuing private key, and signs TLS client/server leaf certificates.
 *
 * <p>Everything that is the same for every certificate (issuer name, authority key identifier,
 * signature algorithm, the fixed extensions) is computed once in {@link Builder#build()}; an
 * issuance builds one TBSCertificate and makes one signature. Instances are immutable and
 * thread-safe. The private key is never logged and not part of {@link #toString()}.
 *
 * <p>Leaf profile: v3; subject and subjectAltName from the request (SAN critical iff the subject is
 * empty, RFC 5280 §4.2.1.6); 128-bit random serial; valid from 60 s before now (clock skew) for
 * {@code leafValidity}, never past the issuing CA's notAfter; basicConstraints cA=false (critical);
 * keyUsage (critical) digitalSignature, plus keyEncipherment for RSA keys; extKeyUsage serverAuth
 * and clientAuth; subject and authority key identifiers by RFC 5280 §4.2.1.2 method 1. A request's
 * {@link Profile} other than {@link Profile#DEFAULT} is checked first and sets the validity,
 * keyUsage, extKeyUsage and cRLDistributionPoints.
 */
public final class EmbeddedCa implements CertificateAuthority {

  /** How far notBefore is backdated, so a client whose clock runs slow accepts a new certificate. */
  static final Duration CLOCK_SKEW = Duration.ofSeconds(60);

  static final Duration DEFAULT_LEAF_VALIDITY = Duration.ofDays(90);

  private static final Extension NOT_A_CA = extension(Extension.basicConstraints, true,
      new BasicConstraints(false));
  private static final Extension KEY_USAGE_SIGN = extension(Extension.keyUsage, true,
      new KeyUsage(KeyUsage.digitalSignature));
  private static final Extension KEY_USAGE_SIGN_ENCIPHER = extension(Extension.keyUsage, true,
      new KeyUsage(KeyUsage.digitalSignature | KeyUsage.keyEncipherment));
  private static final Extension TLS_CLIENT_AND_SERVER = extension(Extension.extendedKeyUsage,
      false, new ExtendedKeyUsage(
          new KeyPurposeId[] {KeyPurposeId.id_kp_serverAuth, KeyPurposeId.id_kp_clientAuth}));

  private final List<X509Certificate> chain;
  private final X500Name issuerName;
  private final Instant issuerNotAfter;
  private final Extension authorityKeyId;
  private final CaSigner signer;
  private final Duration leafValidity;
  private final Clock clock;
  private final KeyPackageSigner keyPackageSigner;
  private final SecureRandom random = new SecureRandom(); // thread-safe; only serials use it

  private EmbeddedCa(Builder builder, CaSigner signer) {
    X509Certificate issuer = builder.chain.get(0);
    this.chain = builder.chain;
    // From the DER, so the issuer name is byte-identical to the CA's subject (RFC 5280 §7.1).
    this.issuerName = X500Name.getInstance(issuer.getSubjectX500Principal().getEncoded());
    this.issuerNotAfter = issuer.getNotAfter().toInstant();
    this.authorityKeyId = extension(Extension.authorityKeyIdentifier, false,
        new AuthorityKeyIdentifier(issuerKeyId(issuer).getKeyIdentifier()));
    this.signer = signer;
    this.leafValidity = builder.leafValidity;
    this.clock = builder.clock;
    this.keyPackageSigner = new KeyPackageSigner() {
      @Override
      public X509Certificate certificate() {
        return chain.get(0);
      }

      @Override
      public List<X509Certificate> certificates() {
        return chain;
      }

      @Override
      public ContentSigner contentSigner() throws GeneralSecurityException {
        return signer.contentSigner();
      }
    };
  }

  public static Builder builder() {
    return new Builder();
  }

  @Override
  public List<X509Certificate> caCertificates() {
    return chain;
  }

  /** Ready when the issuing certificate is still valid and the key signs (an HSM may have gone away). */
  @Override
  public void checkReady() throws CaException {
    if (clock.instant().isAfter(issuerNotAfter)) {
      throw new CaException(503, "the issuing CA certificate expired at " + issuerNotAfter);
    }
    if (!signer.usable(chain.get(0).getPublicKey())) {
      throw new CaException(503, "the CA key cannot sign");
    }
  }

  /** The validity given to leaf certificates unless the issuing CA expires sooner. */
  public Duration leafValidity() {
    return leafValidity;
  }

  /** Signs key packages with the issuing CA key (the signature algorithm of its certificates). */
  @Override
  public Optional<KeyPackageSigner> keyPackageSigner() {
    return Optional.of(keyPackageSigner);
  }

  @Override
  public X509Certificate issue(CertificateRequest request) throws CaException {
    RequestKeyType keyType = RequestKeyType.of(request.publicKey());
    Profile profile = request.profile();
    profile.check(request);
    boolean emptySubject = request.subject().getRDNs().length == 0;
    if (emptySubject && request.subjectAltNames().isEmpty()) {
      throw new CaException(400, "the request has neither a subject nor subject alternative names");
    }
    // X.509 times have whole seconds; truncating here keeps notAfter exactly as computed.
    Instant now = clock.instant().truncatedTo(ChronoUnit.SECONDS);
    if (!issuerNotAfter.isAfter(now)) {
      throw new CaException(500, "the issuing CA certificate has expired");
    }
    Instant notBefore = now.minus(CLOCK_SKEW);
    Instant notAfter = min(now.plus(profile.validity().orElse(leafValidity)), issuerNotAfter);

    X509v3CertificateBuilder tbs = new X509v3CertificateBuilder(issuerName,
        CertIds.randomSerial(random), Date.from(notBefore), Date.from(notAfter),
        request.subject(), request.publicKey());
    try {
      tbs.addExtension(NOT_A_CA);
      if (profile == Profile.DEFAULT) {
        tbs.addExtension(keyType == RequestKeyType.RSA ? KEY_USAGE_SIGN_ENCIPHER : KEY_USAGE_SIGN);
        tbs.addExtension(TLS_CLIENT_AND_SERVER);
      } else {
        ProfileExtensions.add(tbs, profile, keyType);
      }
      tbs.addExtension(extension(Extension.subjectKeyIdentifier, false,
          CertIds.subjectKeyIdentifier(request.publicKey())));
      tbs.addExtension(authorityKeyId);
      Optional<GeneralNames> names = request.subjectAltNames();
      if (names.isPresent()) {
        tbs.addExtension(extension(Extension.subjectAlternativeName, emptySubject, names.get()));
      }
    } catch (IOException | IllegalArgumentException e) {
      throw new CaException(400, "the request cannot be encoded in a certificate", e);
    }
    byte[] der;
    try {
      der = tbs.build(signer.contentSigner()).getEncoded();
    } catch (GeneralSecurityException | IOException | RuntimeException e) {
      signer.discard();
      throw new CaException(500, "the CA could not sign the certificate", e);
    }
    return toX509(der);
  }

  /**
   * A fresh CertificateFactory per call: it is not documented as thread-safe, and getInstance is
   * a cached provider lookup that costs far less than the signature (measured: under 1 µs).
   */
  private static X509Certificate toX509(byte[] der) throws CaException {
    try {
      return (X509Certificate) Jca.certificateFactory()
          .generateCertificate(new ByteArrayInputStream(der));
    } catch (CertificateException e) {
      throw new CaException(500, "the issued certificate cannot be parsed", e);
    }
  }

  @Override
  public String toString() {
    return "EmbeddedCa[issuer=" + chain.get(0).getSubjectX500Principal().getName()
        + ", chainLength=" + chain.size() + ", signature=" + signer.algorithm()
        + ", leafValidity=" + leafValidity + "]";
  }

  /** The issuer's own SKI, or method 1 over its key if the certificate has none. */
  private static SubjectKeyIdentifier issuerKeyId(X509Certificate issuer) {
    byte[] extension = issuer.getExtensionValue(Extension.subjectKeyIdentifier.getId());
    if (extension != null) {
      return SubjectKeyIdentifier.getInstance(
          ASN1OctetString.getInstance(extension).getOctets());
    }
    return CertIds.subjectKeyIdentifier(
        SubjectPublicKeyInfo.getInstance(issuer.getPublicKey().getEncoded()));
  }

  static Extension extension(ASN1ObjectIdentifier oid, boolean critical, ASN1Encodable value) {
    try {
      return Extension.create(oid, critical, value);
    } catch (IOException e) {
      throw new IllegalArgumentException("cannot encode extension " + oid, e);
    }
  }

  private static Instant min(Instant a, Instant b) {
    return a.isBefore(b) ? a : b;
  }

  /** Collects and checks the CA material; {@link #build()} fails with a message to act on. */
  public static final class Builder {
    private List<X509Certificate> chain;
    private PrivateKey privateKey;
    private Duration leafValidity = DEFAULT_LEAF_VALIDITY;
    private Clock clock = Clock.systemUTC();

    private Builder() {}

    /** The issuing CA certificate first, then each issuer, the root last. */
    public Builder chain(List<X509Certificate> issuingFirstRootLast) {
      this.chain = List.copyOf(issuingFirstRootLast);
      return this;
    }

    /** The private key of the issuing (first) certificate. */
    public Builder privateKey(PrivateKey privateKey) {
      this.privateKey = Objects.requireNonNull(privateKey, "privateKey");
      return this;
    }

    /** Leaf certificate lifetime; default 90 days. Capped by the issuing CA's notAfter. */
    public Builder leafValidity(Duration leafValidity) {
      this.leafValidity = Objects.requireNonNull(leafValidity, "leafValidity");
      return this;
    }

    /** Source of "now"; default system UTC. For tests and servers with their own time source. */
    public Builder clock(Clock clock) {
      this.clock = Objects.requireNonNull(clock, "clock");
      return this;
    }

    public EmbeddedCa build() {
      if (chain == null || chain.isEmpty()) {
        throw new IllegalArgumentException("the CA chain is empty: give at least the issuing CA"
            + " certificate");
      }
      if (privateKey == null) {
        throw new IllegalArgumentException("no private key for the issuing CA certificate");
      }
      if (leafValidity.isNegative() || leafValidity.isZero()) {
        throw new IllegalArgumentException("leaf validity must be positive: " + leafValidity);
      }
      checkChain(chain);
      X509Certificate issuer = chain.get(0);
      CaSigner signer = CaSigner.create(issuer.getPublicKey(), privateKey, name(issuer));
      return new EmbeddedCa(this, signer);
    }

    /**
     * Each certificate is a CA and is issued (name and signature) by the next one. All CA flags
     * are checked first, so a leaf given by mistake is reported as such, not as a broken link.
     */
    private static void checkChain(List<X509Certificate> chain) {
      for (int i = 0; i < chain.size(); i++) {
        if (chain.get(i).getBasicConstraints() < 0) {
          throw new IllegalArgumentException("certificate " + (i + 1) + " in the chain ("
              + name(chain.get(i)) + ") is not a CA certificate");
        }
      }
      // The last certificate is trusted by configuration: there is nothing above it to check.
      for (int i = 0; i + 1 < chain.size(); i++) {
        X509Certificate cert = chain.get(i);
        X509Certificate next = chain.get(i + 1);
        if (!cert.getIssuerX500Principal().equals(next.getSubjectX500Principal())) {
          throw new IllegalArgumentException("certificate " + (i + 1) + " in the chain ("
              + name(cert) + ") is issued by " + cert.getIssuerX500Principal().getName()
              + ", not by certificate " + (i + 2) + " (" + name(next) + "); give the issuing CA"
              + " first and the root last");
        }
        try {
          cert.verify(next.getPublicKey());
        } catch (GeneralSecurityException e) {
          throw new IllegalArgumentException("the signature of certificate " + (i + 1)
              + " in the chain (" + name(cert) + ") does not verify with the key of certificate "
              + (i + 2) + " (" + name(next) + ")", e);
        }
      }
    }

    private static String name(X509Certificate cert) {
      return cert.getSubjectX500Principal().getName();
    }
  }
}
