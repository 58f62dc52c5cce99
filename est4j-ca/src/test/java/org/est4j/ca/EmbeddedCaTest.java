package org.est4j.ca;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.security.KeyPair;
import java.security.cert.X509Certificate;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Optional;
import org.bouncycastle.asn1.ASN1OctetString;
import org.bouncycastle.asn1.DERBitString;
import org.bouncycastle.asn1.DERPrintableString;
import org.bouncycastle.asn1.DERUTF8String;
import org.bouncycastle.asn1.sec.SECObjectIdentifiers;
import org.bouncycastle.asn1.x500.RDN;
import org.bouncycastle.asn1.x500.X500Name;
import org.bouncycastle.asn1.x500.style.BCStyle;
import org.bouncycastle.asn1.x509.AlgorithmIdentifier;
import org.bouncycastle.asn1.x509.Extension;
import org.bouncycastle.asn1.x509.GeneralName;
import org.bouncycastle.asn1.x509.GeneralNames;
import org.bouncycastle.asn1.x509.SubjectPublicKeyInfo;
import org.bouncycastle.asn1.x9.X9ObjectIdentifiers;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

class EmbeddedCaTest {

  private static final Instant NOW = Instant.parse("2031-03-04T05:06:07Z");
  private static final String SERVER_AUTH = "1.3.6.1.5.5.7.3.1";
  private static final String CLIENT_AUTH = "1.3.6.1.5.5.7.3.2";

  private final Pki.MutableClock clock = new Pki.MutableClock(NOW);
  private final EmbeddedCa ca = TransientCa.create(clock);

  @ParameterizedTest
  @ValueSource(strings = {"ec:P-256", "ec:P-384", "ec:P-521", "rsa:2048", "rsa:3072", "rsa:4096",
      "ed25519", "ed448"})
  void issuesAValidLeafForEachKeyType(String keyType) throws Exception {
    KeyPair keys = ServerKeyGenerator.generate(keyType);
    X509Certificate leaf = ca.issue(Pki.request("CN=device-1,O=est4j", keys));

    Pki.validate(leaf, ca.caCertificates(), NOW);
    assertThat(leaf.getVersion()).isEqualTo(3);
    assertThat(leaf.getPublicKey().getEncoded()).isEqualTo(keys.getPublic().getEncoded());
    assertThat(leaf.getSigAlgName()).isEqualTo("SHA256withECDSA");
    assertThat(leaf.getBasicConstraints()).isEqualTo(-1);
    assertThat(leaf.getCriticalExtensionOIDs()).containsExactlyInAnyOrder("2.5.29.19",
        "2.5.29.15");
    boolean rsa = keyType.startsWith("rsa");
    // digitalSignature(0), keyEncipherment(2) for RSA only; nothing else.
    boolean[] keyUsage = leaf.getKeyUsage();
    for (int bit = 0; bit < keyUsage.length; bit++) {
      assertThat(keyUsage[bit]).as("key usage bit %d", bit)
          .isEqualTo(bit == 0 || (rsa && bit == 2));
    }
    assertThat(leaf.getExtendedKeyUsage()).containsExactly(SERVER_AUTH, CLIENT_AUTH);
    assertThat(Pki.subjectKeyId(leaf)).isEqualTo(Pki.method1KeyId(leaf));
    assertThat(Pki.authorityKeyId(leaf)).isEqualTo(Pki.subjectKeyId(ca.caCertificates().get(0)));
    assertThat(leaf.getSerialNumber()).isPositive();
    assertThat(leaf.getSerialNumber().bitLength()).isLessThanOrEqualTo(128);
    assertThat(leaf.getIssuerX500Principal().getEncoded())
        .isEqualTo(ca.caCertificates().get(0).getSubjectX500Principal().getEncoded());
    assertThat(leaf.getNotBefore().toInstant()).isEqualTo(NOW.minusSeconds(60));
    assertThat(leaf.getNotAfter().toInstant()).isEqualTo(NOW.plus(Duration.ofDays(90)));
  }

  @Test
  void serialsDiffer() throws Exception {
    CertificateRequest request = Pki.request("CN=a", ServerKeyGenerator.generate("ec:P-256"));
    assertThat(ca.issue(request).getSerialNumber())
        .isNotEqualTo(ca.issue(request).getSerialNumber());
  }

  @Test
  void capsValidityAtTheIssuingCaExpiry() throws Exception {
    X509Certificate intermediate = ca.caCertificates().get(0);
    Instant caNotAfter = intermediate.getNotAfter().toInstant();
    clock.set(caNotAfter.minus(Duration.ofDays(2)));

    X509Certificate leaf = ca.issue(Pki.request("CN=late", ServerKeyGenerator.generate("ec:P-256")));

    assertThat(leaf.getNotAfter()).isEqualTo(intermediate.getNotAfter());
    Pki.validate(leaf, ca.caCertificates(), clock.instant());
  }

  @Test
  void refusesToIssueOnceTheCaHasExpired() {
    clock.set(ca.caCertificates().get(0).getNotAfter().toInstant().plusSeconds(1));
    CertificateRequest request = Pki.request("CN=x", ServerKeyGenerator.generate("ec:P-256"));

    assertThatThrownBy(() -> ca.issue(request)).isInstanceOfSatisfying(CaException.class, e -> {
      assertThat(e.status()).isEqualTo(500);
      assertThat(e).hasMessage("the issuing CA certificate has expired");
    });
  }

  @Test
  void keepsTheSubjectEncodingAndCopiesSans() throws Exception {
    X500Name subject = new X500Name(new RDN[] {
        new RDN(BCStyle.C, new DERPrintableString("DE")),
        new RDN(BCStyle.O, new DERPrintableString("Example")),
        new RDN(BCStyle.CN, new DERUTF8String("Grüße-Gerät"))});
    GeneralNames sans = new GeneralNames(new GeneralName[] {
        new GeneralName(GeneralName.dNSName, "device.example.com"),
        new GeneralName(GeneralName.iPAddress, "192.0.2.7")});
    KeyPair keys = ServerKeyGenerator.generate("ec:P-256");

    X509Certificate leaf = ca.issue(
        new CertificateRequest(subject, Optional.of(sans), Pki.spki(keys)));

    assertThat(leaf.getSubjectX500Principal().getEncoded()).isEqualTo(subject.getEncoded());
    assertThat(sanExtension(leaf)).isEqualTo(sans.getEncoded());
    assertThat(leaf.getCriticalExtensionOIDs()).doesNotContain("2.5.29.17");
  }

  @Test
  void makesTheSanCriticalWhenTheSubjectIsEmpty() throws Exception {
    GeneralNames sans = new GeneralNames(new GeneralName(GeneralName.dNSName, "only-san.test"));
    CertificateRequest request = new CertificateRequest(new X500Name(new RDN[0]),
        Optional.of(sans), Pki.spki(ServerKeyGenerator.generate("ec:P-256")));

    X509Certificate leaf = ca.issue(request);

    assertThat(leaf.getSubjectX500Principal().getEncoded())
        .isEqualTo(new X500Name(new RDN[0]).getEncoded());
    assertThat(leaf.getCriticalExtensionOIDs()).contains("2.5.29.17");
    assertThat(sanExtension(leaf)).isEqualTo(sans.getEncoded());
    Pki.validate(leaf, ca.caCertificates(), NOW);
  }

  @Test
  void refusesAnEmptySubjectWithoutSans() {
    CertificateRequest request = new CertificateRequest(new X500Name(new RDN[0]),
        Optional.empty(), Pki.spki(ServerKeyGenerator.generate("ec:P-256")));
    assertThatThrownBy(() -> ca.issue(request)).isInstanceOfSatisfying(CaException.class,
        e -> assertThat(e.status()).isEqualTo(400));
  }

  @Test
  void refusesUnsupportedKeys() throws Exception {
    java.security.KeyPairGenerator rsa1024 = java.security.KeyPairGenerator.getInstance("RSA");
    rsa1024.initialize(1024);
    assertRefused(Pki.spki(rsa1024.generateKeyPair()), "unsupported public key: RSA 1024 bits");
    assertRefused(Pki.spki(java.security.KeyPairGenerator.getInstance("X25519")
        .generateKeyPair()), "unsupported public key: algorithm 1.3.101.110");
    SubjectPublicKeyInfo secp256k1 = new SubjectPublicKeyInfo(
        new AlgorithmIdentifier(X9ObjectIdentifiers.id_ecPublicKey, SECObjectIdentifiers.secp256k1),
        new DERBitString(new byte[65]));
    assertRefused(secp256k1, "unsupported public key: EC curve 1.3.132.0.10");
  }

  private void assertRefused(SubjectPublicKeyInfo key, String messageStart) {
    CertificateRequest request = new CertificateRequest(new X500Name("CN=x"), Optional.empty(), key);
    assertThatThrownBy(() -> ca.issue(request)).isInstanceOfSatisfying(CaException.class, e -> {
      assertThat(e.status()).isEqualTo(400);
      assertThat(e.getMessage()).startsWith(messageStart);
    });
  }

  @Test
  void buildRejectsAKeyThatDoesNotMatch() {
    EmbeddedCa.Builder builder = EmbeddedCa.builder().chain(ca.caCertificates())
        .privateKey(ServerKeyGenerator.generate("ec:P-256").getPrivate());
    assertThatThrownBy(builder::build).isInstanceOf(IllegalArgumentException.class)
        .hasMessage("the private key does not match the issuing CA certificate "
            + ca.caCertificates().get(0).getSubjectX500Principal().getName());
  }

  @Test
  void buildRejectsANonCaCertificate() throws Exception {
    X509Certificate leaf = ca.issue(Pki.request("CN=leaf", ServerKeyGenerator.generate("ec:P-256")));
    EmbeddedCa.Builder builder = EmbeddedCa.builder()
        .chain(List.of(ca.caCertificates().get(0), leaf))
        .privateKey(ServerKeyGenerator.generate("ec:P-256").getPrivate());
    assertThatThrownBy(builder::build).isInstanceOf(IllegalArgumentException.class)
        .hasMessage("certificate 2 in the chain (CN=leaf) is not a CA certificate");
  }

  @Test
  void buildRejectsAChainInTheWrongOrderOrEmpty() {
    List<X509Certificate> chain = ca.caCertificates();
    EmbeddedCa.Builder reversed = EmbeddedCa.builder().chain(List.of(chain.get(1), chain.get(0)))
        .privateKey(ServerKeyGenerator.generate("ec:P-256").getPrivate());
    assertThatThrownBy(reversed::build).isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("certificate 1 in the chain (CN=Non-Production Testing Root CA")
        .hasMessageContaining("give the issuing CA first and the root last");

    EmbeddedCa.Builder unrelated = EmbeddedCa.builder()
        .chain(List.of(chain.get(0), TransientCa.create().caCertificates().get(1)))
        .privateKey(ServerKeyGenerator.generate("ec:P-256").getPrivate());
    assertThatThrownBy(unrelated::build).isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("is issued by");

    assertThatThrownBy(() -> EmbeddedCa.builder().chain(List.of())
        .privateKey(ServerKeyGenerator.generate("ec:P-256").getPrivate()).build())
        .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("chain is empty");
  }

  @Test
  void caCertificatesAreImmutable() {
    assertThatThrownBy(() -> ca.caCertificates().clear())
        .isInstanceOf(UnsupportedOperationException.class);
  }

  private static byte[] sanExtension(X509Certificate leaf) {
    return ASN1OctetString.getInstance(
        leaf.getExtensionValue(Extension.subjectAlternativeName.getId())).getOctets();
  }
}
