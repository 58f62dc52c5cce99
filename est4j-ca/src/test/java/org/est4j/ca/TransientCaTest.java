package org.est4j.ca;

import static org.assertj.core.api.Assertions.assertThat;

import java.security.cert.X509Certificate;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import org.junit.jupiter.api.Test;

class TransientCaTest {

  private static final Instant NOW = Instant.parse("2031-03-04T05:06:07Z");

  @Test
  void makesRootAndIntermediateValidForAYear() throws Exception {
    EmbeddedCa ca = TransientCa.create(new Pki.MutableClock(NOW));
    List<X509Certificate> chain = ca.caCertificates();

    assertThat(chain).hasSize(2);
    X509Certificate intermediate = chain.get(0);
    X509Certificate root = chain.get(1);
    String rootCn = root.getSubjectX500Principal().getName();
    assertThat(rootCn).matches("CN=Non-Production Testing Root CA [A-Za-z0-9]{8}");
    String suffix = rootCn.substring(rootCn.length() - 8);
    assertThat(intermediate.getSubjectX500Principal().getName())
        .isEqualTo("CN=Non-Production Testing Intermediate CA " + suffix);

    root.verify(root.getPublicKey());
    intermediate.verify(root.getPublicKey());
    assertThat(intermediate.getIssuerX500Principal()).isEqualTo(root.getSubjectX500Principal());

    assertThat(root.getBasicConstraints()).isEqualTo(1);
    assertThat(intermediate.getBasicConstraints()).isZero();
    for (X509Certificate ca1 : chain) {
      assertThat(ca1.getCriticalExtensionOIDs()).contains("2.5.29.19", "2.5.29.15");
      // keyCertSign (5) and cRLSign (6) only
      assertThat(ca1.getKeyUsage())
          .containsExactly(false, false, false, false, false, true, true, false, false);
      assertThat(ca1.getNotBefore().toInstant()).isEqualTo(NOW.minusSeconds(60));
      assertThat(ca1.getNotAfter().toInstant()).isEqualTo(NOW.plus(Duration.ofDays(365)));
      assertThat(ca1.getSerialNumber()).isPositive().isNotEqualTo(1);
      assertThat(ca1.getSerialNumber().bitLength()).isLessThanOrEqualTo(128);
      assertThat(ca1.getSigAlgName()).isEqualTo("SHA256withECDSA");
      assertThat(Pki.subjectKeyId(ca1)).isEqualTo(Pki.method1KeyId(ca1));
    }
    assertThat(Pki.authorityKeyId(intermediate)).isEqualTo(Pki.subjectKeyId(root));
    assertThat(ca.leafValidity()).isEqualTo(Duration.ofDays(90));
  }

  @Test
  void theRootAuthorityIssuesDirectlyUnderTheRoot() throws Exception {
    TransientCa.Authorities both = TransientCa.createWithRoot(new Pki.MutableClock(NOW));
    X509Certificate root = both.issuing().caCertificates().get(1);
    assertThat(both.root().caCertificates()).containsExactly(root);
    X509Certificate leaf = both.root().issue(new CertificateRequest(
        new org.bouncycastle.asn1.x500.X500Name("CN=localhost"), java.util.Optional.empty(),
        org.bouncycastle.asn1.x509.SubjectPublicKeyInfo.getInstance(
            ServerKeyGenerator.generate("ec:P-256").getPublic().getEncoded())));
    leaf.verify(root.getPublicKey());
    assertThat(leaf.getBasicConstraints()).isEqualTo(-1);
  }

  @Test
  void eachCaHasItsOwnNames() {
    String first = TransientCa.create().caCertificates().get(1).getSubjectX500Principal().getName();
    String second = TransientCa.create().caCertificates().get(1).getSubjectX500Principal()
        .getName();
    assertThat(first).isNotEqualTo(second);
  }

  @Test
  void toStringShowsNoKey() {
    assertThat(TransientCa.create().toString())
        .startsWith("EmbeddedCa[issuer=CN=Non-Production Testing Intermediate CA ")
        .doesNotContainIgnoringCase("private");
  }
}
