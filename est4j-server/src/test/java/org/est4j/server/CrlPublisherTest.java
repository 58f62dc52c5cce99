package org.est4j.server;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.ByteArrayInputStream;
import java.security.cert.CertificateFactory;
import java.security.cert.X509CRL;
import java.time.Clock;
import java.time.Duration;
import java.util.Map;
import org.est4j.ca.EmbeddedCa;
import org.est4j.ca.TransientCa;
import org.est4j.server.store.CrlStore;
import org.est4j.server.store.InMemoryCertificateStore;
import org.est4j.server.store.InMemoryCrlStore;
import org.junit.jupiter.api.Test;

/**
 * The CRL state is shared through the store: a stored CRL of another CA under the same name (the
 * CA was replaced, or another deployment uses the database) is never served; it is signed again.
 */
class CrlPublisherTest {
  private static CrlPublisher publisher(EmbeddedCa ca, CrlStore crls, InMemoryCertificateStore certs) {
    return new CrlPublisher(Map.of("default", ca.crlSigner().orElseThrow()),
        Map.of("default", ca.caCertificates().get(0).getPublicKey()), crls, certs, Duration.ofDays(7),
        Duration.ofDays(1), Clock.systemUTC());
  }

  private static X509CRL parse(CrlStore.Published p) throws Exception {
    return (X509CRL) CertificateFactory.getInstance("X.509").generateCRL(new ByteArrayInputStream(p.der()));
  }

  @Test
  void aCrlSignedByAnotherCaOfTheSameNameIsSignedAgain() throws Exception {
    InMemoryCrlStore crls = new InMemoryCrlStore();
    InMemoryCertificateStore certs = new InMemoryCertificateStore();
    EmbeddedCa before = TransientCa.create();
    EmbeddedCa after = TransientCa.create();
    CrlStore.Published first = publisher(before, crls, certs).crl("default").orElseThrow();
    parse(first).verify(before.caCertificates().get(0).getPublicKey());

    CrlPublisher replaced = publisher(after, crls, certs);
    CrlStore.Published second = replaced.crl("default").orElseThrow();
    X509CRL crl = parse(second);
    crl.verify(after.caCertificates().get(0).getPublicKey());
    assertThat(crl.getIssuerX500Principal()).isEqualTo(after.caCertificates().get(0).getSubjectX500Principal());
    assertThat(second.number()).as("numbers still only grow").isGreaterThan(first.number());
    assertThat(replaced.crl("default").orElseThrow().number()).as("and then it is served, not re-signed")
        .isEqualTo(second.number());
  }

  @Test
  void everySignerNeedsItsKey() {
    EmbeddedCa ca = TransientCa.create();
    assertThatThrownBy(() -> new CrlPublisher(Map.of("default", ca.crlSigner().orElseThrow()), Map.of(),
        new InMemoryCrlStore(), new InMemoryCertificateStore(), Duration.ofDays(7), Duration.ofDays(1),
        Clock.systemUTC())).isInstanceOf(IllegalArgumentException.class);
  }
}
