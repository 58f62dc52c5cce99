package org.est4j.testing;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.security.cert.CertificateException;
import java.security.cert.X509Certificate;
import java.util.List;
import org.junit.jupiter.api.Test;

class TestPkiTest {
  final TestPki pki = TestPki.create();

  @Test
  void rootIntermediateServerHierarchy() throws Exception {
    assertThat(pki.root().certificate().getBasicConstraints()).isEqualTo(1);
    assertThat(pki.intermediate().certificate().getBasicConstraints()).isZero();
    assertThat(pki.intermediate().chain()).containsExactly(pki.intermediate().certificate());

    X509Certificate server = pki.server().certificate();
    assertThat(pki.server().chain()).containsExactly(server, pki.intermediate().certificate());
    assertThat(server.getSubjectAlternativeNames())
        .containsExactly(List.of(2, "localhost"), List.of(7, "127.0.0.1"), List.of(7, "0:0:0:0:0:0:0:1"));
    assertThat(server.getExtendedKeyUsage()).containsExactly("1.3.6.1.5.5.7.3.1");
    TestCertificateTest.validate(pki.server().chain(), pki.root().certificate());
  }

  @Test
  void newClientsAreClientAuthLeavesOfTheIntermediate() throws Exception {
    TestCertificate client = pki.newClient("device-42");
    assertThat(client.certificate().getSubjectX500Principal().getName()).isEqualTo("CN=device-42");
    assertThat(client.certificate().getExtendedKeyUsage()).containsExactly("1.3.6.1.5.5.7.3.2");
    assertThat(client.chain()).containsExactly(client.certificate(), pki.intermediate().certificate());
    assertThat(client.trustAnchor()).isEqualTo(pki.root().certificate());
    TestCertificateTest.validate(client.chain(), pki.root().certificate());
  }

  @Test
  void trustManagerTrustsOnlyThisRoot() throws Exception {
    X509Certificate[] chain = pki.server().chain().toArray(new X509Certificate[0]);
    pki.trustManager().checkServerTrusted(chain, "ECDHE_ECDSA");
    assertThat(pki.trustManager().getAcceptedIssuers()).containsExactly(pki.root().certificate());

    X509Certificate[] foreign = TestPki.create().server().chain().toArray(new X509Certificate[0]);
    assertThatThrownBy(() -> pki.trustManager().checkServerTrusted(foreign, "ECDHE_ECDSA"))
        .isInstanceOf(CertificateException.class);
  }

  @Test
  void sslContextsAreReady() {
    assertThat(pki.clientSslContext().getProtocol()).isEqualTo("TLS");
    assertThat(pki.serverSslContext().getServerSocketFactory()).isNotNull();
    assertThatThrownBy(() -> pki.newClient(null)).isInstanceOf(NullPointerException.class);
  }
}
