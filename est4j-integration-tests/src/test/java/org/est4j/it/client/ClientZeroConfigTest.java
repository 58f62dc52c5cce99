package org.est4j.it.client;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.security.KeyPair;
import java.security.cert.X509Certificate;
import java.time.Duration;
import java.util.List;
import java.util.Optional;
import org.bouncycastle.asn1.x509.Extension;
import org.est4j.cli.EmbeddedEstServer;
import org.est4j.client.ClientIdentity;
import org.est4j.client.CsrBuilder;
import org.est4j.client.EnrollResult;
import org.est4j.client.EstClient;
import org.est4j.client.EstClientBuilder;
import org.est4j.client.EstConnectionException;
import org.est4j.client.EstPendingException;
import org.est4j.client.EstServerException;
import org.est4j.client.KeyPairs;
import org.est4j.client.ServerKeyGenResult;
import org.est4j.client.TrustAnchors;
import org.est4j.protocol.CsrAttrs;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/** est4j-client against the real est4j server with no configuration (anyone may enroll). */
class ClientZeroConfigTest {
  static EmbeddedEstServer server;

  @BeforeAll
  static void start() throws Exception {
    server = EmbeddedEstServer.start(Optional.empty(), "127.0.0.1:0");
  }

  @AfterAll
  static void stop() throws Exception {
    server.close();
  }

  static EstClientBuilder client() {
    return EstClient.builder().server("127.0.0.1:" + server.port())
        .trust(TrustAnchors.explicit(List.of(server.root())));
  }

  static EstClient client(String label) {
    return client().label(label).build();
  }

  @Test
  void caCertsWithExplicitAnchors() throws Exception {
    assertThat(client().build().caCerts()).isEqualTo(server.caCertificates());
    // by host name too: the TLS certificate names localhost
    assertThat(EstClient.builder().server("localhost:" + server.port())
        .trust(TrustAnchors.explicit(List.of(server.root()))).build().caCerts()).isEqualTo(server.caCertificates());
  }

  @Test
  void insecureBootstrapFetchesCaCertsOnly() throws Exception {
    EstClient bootstrap = EstClient.builder().server("127.0.0.1:" + server.port())
        .trust(TrustAnchors.insecureBootstrapForCaCertsOnly()).build();
    List<X509Certificate> ca = bootstrap.caCerts();
    assertThat(ca.get(ca.size() - 1)).isEqualTo(server.root());
    byte[] csr = CsrBuilder.create().commonName("x").sign(KeyPairs.generate("ec:P-256"));
    assertThatThrownBy(() -> bootstrap.enroll(csr)).isInstanceOf(IllegalStateException.class)
        .hasMessageContaining("insecureBootstrapForCaCertsOnly");
    assertThatThrownBy(bootstrap::csrAttrs).isInstanceOf(IllegalStateException.class);
    assertThatThrownBy(() -> bootstrap.serverKeyGen(csr)).isInstanceOf(IllegalStateException.class);
  }

  @Test
  void wrongAnchorsAreAConnectionError() {
    // The issuing CA did not issue the TLS certificate (the root did): not an anchor for it.
    EstClient c = EstClient.builder().server("127.0.0.1:" + server.port())
        .trust(TrustAnchors.explicit(List.of(server.caCertificates().get(0)))).build();
    assertThatThrownBy(c::caCerts).isInstanceOf(EstConnectionException.class)
        .hasMessageContaining("127.0.0.1:" + server.port())
        .hasMessageContaining("the server's certificate for 127.0.0.1 is not trusted by the configured trust anchors");
    EstClient system = EstClient.builder().server("127.0.0.1:" + server.port()).trust(TrustAnchors.system()).build();
    assertThatThrownBy(system::caCerts).isInstanceOf(EstConnectionException.class);
  }

  @Test
  void csrAttrs() throws Exception {
    assertThat(client().build().csrAttrs().isEmpty()).isTrue(); // 204
    assertThat(client("csrattrs").csrAttrs()).isEqualTo(CsrAttrs.rfc7030Example());
  }

  @ParameterizedTest
  @ValueSource(strings = {"ec:P-256", "rsa:2048", "ed25519"})
  void enroll(String keyType) throws Exception {
    KeyPair key = KeyPairs.generate(keyType);
    byte[] csr = CsrBuilder.create().commonName("device-" + keyType).organization("Example")
        .addDnsName("device.example").addIpAddress("192.0.2.1").sign(key);
    EnrollResult r = client().build().enroll(csr);
    assertThat(r).isInstanceOf(EnrollResult.Issued.class);
    X509Certificate cert = ((EnrollResult.Issued) r).certificate();
    assertThat(((EnrollResult.Issued) r).additional()).isEmpty();
    Chains.assertChains(cert, client().build().caCerts());
    Chains.assertKeyMatches(key, cert);
    assertThat(cert.getSubjectX500Principal().getName()).isEqualTo("CN=device-" + keyType + ",O=Example");
    assertThat(cert.getSubjectAlternativeNames().stream().map(l -> (Object) l.get(1))).containsExactly("device.example", "192.0.2.1");
  }

  @Test
  void enrollWithALabel() throws Exception {
    KeyPair key = KeyPairs.generate("ec:P-256");
    X509Certificate cert = client().label("some-label").build()
        .enrollAndWait(CsrBuilder.create().commonName("labelled").sign(key), Duration.ofSeconds(10));
    Chains.assertKeyMatches(key, cert);
  }

  @Test
  void reenrollWithTheEnrolledCertificate() throws Exception {
    KeyPair first = KeyPairs.generate("ec:P-256");
    X509Certificate cert = client().build()
        .enrollAndWait(CsrBuilder.create().commonName("renew-me").addDnsName("renew.example").sign(first), Duration.ofSeconds(10));
    EstClient renewer = client().clientIdentity(ClientIdentity.of(first.getPrivate(), List.of(cert))).build();
    KeyPair next = KeyPairs.generate("ec:P-384");
    EnrollResult r = renewer.reenroll(CsrBuilder.forReenrollment(cert, next).sign(next));
    X509Certificate renewed = ((EnrollResult.Issued) r).certificate();
    Chains.assertKeyMatches(next, renewed);
    assertThat(renewed.getSubjectX500Principal()).isEqualTo(cert.getSubjectX500Principal());
    assertThat(renewed.getExtensionValue(Extension.subjectAlternativeName.getId()))
        .isEqualTo(cert.getExtensionValue(Extension.subjectAlternativeName.getId()));
    assertThat(renewed.getSerialNumber()).isNotEqualTo(cert.getSerialNumber());

    byte[] csr = CsrBuilder.forReenrollment(cert, next).sign(next);
    assertThatThrownBy(() -> client().build().reenroll(csr)).isInstanceOf(IllegalStateException.class);
    // The server refuses a client certificate it did not issue... and one with other names:
    EstClient mismatch = client().clientIdentity(ClientIdentity.of(first.getPrivate(), List.of(cert))).build();
    assertThatThrownBy(() -> mismatch.reenroll(CsrBuilder.create().commonName("someone-else").sign(next)))
        .isInstanceOfSatisfying(EstServerException.class, e -> assertThat(e.status()).isEqualTo(403));
  }

  @ParameterizedTest
  @ValueSource(strings = {"ec:P-384", "rsa:2048"})
  void serverKeyGen(String keyType) throws Exception {
    KeyPair csrKey = KeyPairs.generate(keyType);
    ServerKeyGenResult r = client().build()
        .serverKeyGen(CsrBuilder.create().commonName("server-made").sign(csrKey));
    assertThat(r.privateKey().getAlgorithm()).isEqualTo(keyType.startsWith("ec") ? "EC" : "RSA");
    assertThat(r.certificate().getPublicKey().getEncoded()).isNotEqualTo(csrKey.getPublic().getEncoded());
    Chains.assertKeyMatches(r.privateKey(), r.certificate().getPublicKey());
    Chains.assertChains(r.certificate(), server.caCertificates());
    assertThat(r.certificate().getSubjectX500Principal().getName()).isEqualTo("CN=server-made");
  }

  private static byte[] trigger(String cn) throws Exception {
    return CsrBuilder.create().commonName(cn).sign(KeyPairs.generate("ec:P-256"));
  }

  @Test
  void triggeredForbidden() throws Exception {
    assertThatThrownBy(() -> client("triggererrors").enroll(trigger("Trigger Error Forbidden")))
        .isInstanceOfSatisfying(EstServerException.class, e -> {
          assertThat(e.status()).isEqualTo(403);
          assertThat(e.serverMessage()).isEqualTo("403 triggered forbidden response");
        })
        .hasMessage("server refused /simpleenroll: 403 triggered forbidden response");
  }

  @Test
  void triggeredDeferred() throws Exception {
    EstClient c = client("triggererrors");
    assertThat(c.enroll(trigger("Trigger Error Deferred")))
        .isEqualTo(new EnrollResult.Pending(Duration.ofSeconds(600), true));
    long start = System.nanoTime();
    assertThatThrownBy(() -> c.enrollAndWait(trigger("Trigger Error Deferred"), Duration.ofSeconds(1)))
        .isInstanceOfSatisfying(EstPendingException.class,
            e -> assertThat(e.retryAfter()).isEqualTo(Duration.ofSeconds(600)));
    assertThat(Duration.ofNanos(System.nanoTime() - start)).as("did not sleep 600 s").isLessThan(Duration.ofSeconds(10));
  }

  @Test
  void triggeredUnknownCarriesTheRequestId() throws Exception {
    assertThatThrownBy(() -> client("triggererrors").enroll(trigger("Trigger Error Unknown")))
        .isInstanceOfSatisfying(EstServerException.class, e -> assertThat(e.status()).isEqualTo(500))
        .hasMessageStartingWith("server refused /simpleenroll: 500 ")
        .hasMessageContaining("request id ");
    assertThatThrownBy(() -> client("triggererrors").caCerts())
        .isInstanceOfSatisfying(EstServerException.class, e -> assertThat(e.status()).isEqualTo(500));
    assertThatThrownBy(() -> client("triggererrors").csrAttrs())
        .isInstanceOfSatisfying(EstServerException.class, e -> assertThat(e.status()).isEqualTo(500));
  }
}
