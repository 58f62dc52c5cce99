package org.est4j.it.store;

import static org.assertj.core.api.Assertions.assertThat;

import java.net.http.HttpClient;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.KeyPair;
import java.security.KeyStore;
import java.security.cert.X509Certificate;
import java.time.Duration;
import java.util.Optional;
import javax.net.ssl.KeyManagerFactory;
import javax.net.ssl.SSLContext;
import javax.net.ssl.TrustManagerFactory;
import org.est4j.cli.EmbeddedEstServer;
import org.est4j.server.store.CertificateQuery;
import org.est4j.server.store.CertificateRecord;
import org.est4j.store.jdbc.JdbcCertificateStore;
import org.est4j.testing.TestCertificate;
import org.est4j.testing.TestPki;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A label's own client CAs: a device certificate from a manufacturer's (IDevID) CA listed under
 * {@code labels.iot.client_cas} authenticates /iot/simpleenroll over real TLS, and nothing else:
 * not the unlabelled path, not another label.
 */
class LabelClientCaTest {
  @TempDir Path dir;

  @Test
  void theManufacturerCaIsTrustedOnItsLabelOnly() throws Exception {
    TestPki manufacturer = TestPki.create();
    Path caFile = Files.writeString(dir.resolve("idevid-ca.pem"),
        manufacturer.intermediate().certificatePem() + manufacturer.root().certificatePem());
    Path config = Files.writeString(dir.resolve("estserver.yaml"),
        "tls:\n  listen_address: 127.0.0.1:0\n"
            + "users:\n  - username: alice\n    password: wonderland\n"
            + "labels:\n  iot:\n    client_cas: [" + caFile + "]\n  other: {}\n");
    TestCertificate device = manufacturer.newClient("device-0001");
    KeyPair key = StoreFixture.p256();
    byte[] csr = StoreFixture.csr(key, "CN=device-0001");
    try (EmbeddedEstServer server = EmbeddedEstServer.start(Optional.of(config), null)) {
      HttpClient client = clientWith(device, server.root());
      var r = AuthFixture.enroll(client, server.port(), "iot", csr, null);
      assertThat(r.statusCode()).as(AuthFixture.body(r)).isEqualTo(200);
      assertThat(AuthFixture.enroll(client, server.port(), null, csr, null).statusCode()).isEqualTo(401);
      assertThat(AuthFixture.enroll(client, server.port(), "other", csr, null).statusCode()).isEqualTo(401);
      HttpClient anonymous = StoreFixture.client(server.root());
      assertThat(AuthFixture.enroll(anonymous, server.port(), "iot", csr, null).statusCode()).isEqualTo(401);
      try (JdbcCertificateStore store = StoreFixture.openStore(StoreFixture.h2(dir), dir)) {
        CertificateRecord row = store.list(CertificateQuery.builder().build()).get(0);
        assertThat(row.requester()).startsWith("cert:").contains("device-0001");
        assertThat(row.label()).contains("iot");
      }
    }
  }

  @Test
  void aLabelClientCaFileWithoutCertificatesIsAConfigError() throws Exception {
    Path empty = Files.writeString(dir.resolve("empty.pem"), "");
    Path config = Files.writeString(dir.resolve("estserver.yaml"),
        "tls:\n  listen_address: 127.0.0.1:0\nstore: memory\nlabels:\n  iot:\n    client_cas: [" + empty + "]\n");
    AuthFixture.Run r = org.junit.jupiter.api.Assertions.assertTimeoutPreemptively(Duration.ofSeconds(60),
        () -> AuthFixture.estserver("--config", config.toString()), "the server started instead of refusing");
    assertThat(r.exit()).isEqualTo(2);
  }

  private static HttpClient clientWith(TestCertificate identity, X509Certificate root) throws Exception {
    KeyStore ks = KeyStore.getInstance("PKCS12");
    ks.load(null, null);
    ks.setKeyEntry("device", identity.keyPair().getPrivate(), new char[0],
        identity.chain().toArray(X509Certificate[]::new));
    KeyManagerFactory kmf = KeyManagerFactory.getInstance("PKIX");
    kmf.init(ks, new char[0]);
    KeyStore trust = KeyStore.getInstance("PKCS12");
    trust.load(null, null);
    trust.setCertificateEntry("root", root);
    TrustManagerFactory tmf = TrustManagerFactory.getInstance("PKIX");
    tmf.init(trust);
    SSLContext ssl = SSLContext.getInstance("TLS");
    ssl.init(kmf.getKeyManagers(), tmf.getTrustManagers(), null);
    return HttpClient.newBuilder().sslContext(ssl).version(HttpClient.Version.HTTP_1_1)
        .connectTimeout(Duration.ofSeconds(10)).build();
  }
}
