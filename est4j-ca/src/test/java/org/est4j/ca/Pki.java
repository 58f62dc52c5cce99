package org.est4j.ca;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.security.KeyPair;
import java.security.MessageDigest;
import java.security.cert.CertPathValidator;
import java.security.cert.CertificateFactory;
import java.security.cert.PKIXParameters;
import java.security.cert.TrustAnchor;
import java.security.cert.X509Certificate;
import java.time.Clock;
import java.time.Instant;
import java.time.ZoneId;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.Date;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import org.bouncycastle.asn1.ASN1OctetString;
import org.bouncycastle.asn1.x500.X500Name;
import org.bouncycastle.asn1.x509.AuthorityKeyIdentifier;
import org.bouncycastle.asn1.x509.Extension;
import org.bouncycastle.asn1.x509.SubjectKeyIdentifier;
import org.bouncycastle.asn1.x509.SubjectPublicKeyInfo;

/** Test helpers: requests, independent checks of issued certificates, and running openssl. */
final class Pki {

  private Pki() {}

  static CertificateRequest request(String subject, KeyPair keys) {
    return new CertificateRequest(new X500Name(subject), Optional.empty(), spki(keys));
  }

  static SubjectPublicKeyInfo spki(KeyPair keys) {
    return SubjectPublicKeyInfo.getInstance(keys.getPublic().getEncoded());
  }

  /** PKIX validation with the last CA certificate as the only trust anchor, revocation off. */
  static void validate(X509Certificate leaf, List<X509Certificate> caChain, Instant at)
      throws Exception {
    List<X509Certificate> path = new ArrayList<>();
    path.add(leaf);
    path.addAll(caChain.subList(0, caChain.size() - 1));
    PKIXParameters parameters = new PKIXParameters(
        Set.of(new TrustAnchor(caChain.get(caChain.size() - 1), null)));
    parameters.setRevocationEnabled(false);
    parameters.setDate(Date.from(at));
    CertPathValidator.getInstance("PKIX").validate(
        CertificateFactory.getInstance("X.509").generateCertPath(path), parameters);
  }

  /** SHA-1 over the subjectPublicKey BIT STRING contents (RFC 5280 §4.2.1.2 method 1). */
  static byte[] method1KeyId(X509Certificate cert) throws Exception {
    byte[] keyBits = SubjectPublicKeyInfo.getInstance(cert.getPublicKey().getEncoded())
        .getPublicKeyData().getBytes();
    return MessageDigest.getInstance("SHA-1").digest(keyBits);
  }

  static byte[] subjectKeyId(X509Certificate cert) {
    byte[] value = cert.getExtensionValue(Extension.subjectKeyIdentifier.getId());
    assertThat(value).as("SKI of %s", cert.getSubjectX500Principal()).isNotNull();
    return SubjectKeyIdentifier.getInstance(ASN1OctetString.getInstance(value).getOctets())
        .getKeyIdentifier();
  }

  static byte[] authorityKeyId(X509Certificate cert) {
    byte[] value = cert.getExtensionValue(Extension.authorityKeyIdentifier.getId());
    assertThat(value).as("AKI of %s", cert.getSubjectX500Principal()).isNotNull();
    return AuthorityKeyIdentifier.getInstance(ASN1OctetString.getInstance(value).getOctets())
        .getKeyIdentifier();
  }

  /** Runs openssl in {@code dir}, asserts it succeeded and returns its combined output. */
  static String openssl(Path dir, String... args) throws IOException, InterruptedException {
    List<String> command = new ArrayList<>();
    command.add("openssl");
    command.addAll(List.of(args));
    Process process = new ProcessBuilder(command).directory(dir.toFile())
        .redirectErrorStream(true).start();
    String output = new String(process.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
    assertThat(process.waitFor()).as("%s\n%s", command, output).isZero();
    return output;
  }

  /** A clock the test moves by hand. */
  static final class MutableClock extends Clock {
    private volatile Instant now;

    MutableClock(Instant now) {
      this.now = now;
    }

    void set(Instant instant) {
      this.now = instant;
    }

    @Override
    public ZoneId getZone() {
      return ZoneOffset.UTC;
    }

    @Override
    public Clock withZone(ZoneId zone) {
      throw new UnsupportedOperationException();
    }

    @Override
    public Instant instant() {
      return now;
    }
  }
}
