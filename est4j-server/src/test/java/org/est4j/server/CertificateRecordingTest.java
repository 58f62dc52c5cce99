package org.est4j.server;

import static org.assertj.core.api.Assertions.assertThat;

import java.security.KeyPair;
import java.security.cert.X509Certificate;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.est4j.ca.CertificateRequest;
import org.est4j.ca.EmbeddedCa;
import org.est4j.ca.TransientCa;
import org.est4j.protocol.pem.PemWriter;
import org.est4j.server.store.CertificateQuery;
import org.est4j.server.store.CertificateRecord;
import org.est4j.server.store.CertificateStatus;
import org.est4j.server.store.CertificateStore;
import org.est4j.server.store.InMemoryCertificateStore;
import org.est4j.server.store.StoreException;
import org.est4j.server.store.TokenConsumption;
import org.est4j.server.store.TokenStore;
import org.est4j.server.store.UserDirectory;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/** Every certificate the engine hands out is in the store first, with who asked and the request id. */
class CertificateRecordingTest {
  private static EmbeddedCa ca;
  private static KeyPair key;

  @BeforeAll
  static void setUp() throws Exception {
    ca = TransientCa.create();
    key = TestRequests.p256();
  }

  private static EstServerEngine engine(CertificateStore store) {
    LabelSettings main = LabelSettings.builder(ca).caName("main").build();
    return new EstServerEngine(
        EstServerSettings.builder(main)
            .label("iot", main)
            .users(UserStore.of(Map.of("alice", PasswordHash.create("wonderland".toCharArray(), 10_000))))
            .certificateStore(store)
            .build());
  }

  @Test
  void enrollRecordsTheCertificateWithRequesterLabelAndRequestId() throws Exception {
    InMemoryCertificateStore store = new InMemoryCertificateStore();
    EstServerEngine engine = engine(store);
    byte[] body = TestRequests.base64(TestRequests.csr(key, "CN=sensor-1", "sensor-1.example"));

    EstResponse r = engine.handle(
        TestRequests.post("/.well-known/est/iot/simpleenroll", body).basic("alice", "wonderland").build());

    assertThat(r.status()).as(r.bodyText()).isEqualTo(200);
    X509Certificate cert = EstServerEngineTest.certsOf(r).get(0);
    CertificateRecord row = store.find("main", cert.getSerialNumber().toString(16)).orElseThrow();
    assertThat(row.label()).contains("iot");
    assertThat(row.requester()).isEqualTo("user:alice");
    assertThat(row.requestId()).isEqualTo(r.header("X-Request-Id"));
    assertThat(row.subject()).isEqualTo("CN=sensor-1");
    assertThat(row.subjectAltNames()).containsExactly("DNS:sensor-1.example");
    assertThat(row.pem()).isEqualTo(PemWriter.toPem(cert));
    assertThat(row.notAfter()).isEqualTo(cert.getNotAfter().toInstant());
    assertThat(row.status()).isEqualTo(CertificateStatus.ISSUED);
    assertThat(store.size()).isEqualTo(1);
  }

  @Test
  void reenrollAndServerKeyGenAreRecordedAndRejectionsAreNot() throws Exception {
    InMemoryCertificateStore store = new InMemoryCertificateStore();
    EstServerEngine engine = engine(store);
    X509Certificate current = ca.issue(new CertificateRequest(
        new org.bouncycastle.asn1.x500.X500Name("CN=device-9"), Optional.empty(),
        org.bouncycastle.asn1.x509.SubjectPublicKeyInfo.getInstance(key.getPublic().getEncoded())));
    byte[] csr = TestRequests.base64(TestRequests.csr(key, "CN=device-9"));

    EstResponse unauthenticated = engine.handle(TestRequests.post("/.well-known/est/simpleenroll", csr).build());
    assertThat(unauthenticated.status()).isEqualTo(401);
    assertThat(store.size()).isZero();

    EstResponse re = engine.handle(
        TestRequests.post("/.well-known/est/simplereenroll", csr).peers(List.of(current)).build());
    assertThat(re.status()).as(re.bodyText()).isEqualTo(200);
    EstResponse skg = engine.handle(
        TestRequests.post("/.well-known/est/serverkeygen", csr).basic("alice", "wonderland").build());
    assertThat(skg.status()).as(skg.bodyText()).isEqualTo(200);

    List<CertificateRecord> rows = store.list(CertificateQuery.builder().build());
    assertThat(rows).hasSize(2);
    assertThat(rows.get(1).requester()).isEqualTo("cert:CN=device-9");
    assertThat(rows.get(1).label()).isEmpty();
    assertThat(rows.get(1).requestId()).isEqualTo(re.header("X-Request-Id"));
    assertThat(rows.get(0).requester()).isEqualTo("user:alice");
    assertThat(rows.get(0).requestId()).isEqualTo(skg.header("X-Request-Id"));
  }

  @Test
  void aStoreFailureIsA500WithTheRequestIdAndNoCertificate() throws Exception {
    ForwardingStore failing = new ForwardingStore() {
      @Override
      public void recordIssued(CertificateRecord record) {
        throw new StoreException("database is down");
      }

      @Override
      public void recordIssued(CertificateRecord record, Optional<TokenConsumption> token) {
        throw new StoreException("database is down");
      }

      @Override
      public Optional<TokenStore> tokens() {
        return Optional.empty();
      }

      @Override
      public Optional<UserDirectory> users() {
        return Optional.empty();
      }
    };
    EstServerEngine engine = engine(failing);
    byte[] csr = TestRequests.base64(TestRequests.csr(key, "CN=x"));
    for (String op : List.of("simpleenroll", "serverkeygen")) {
      EstResponse r = engine.handle(
          TestRequests.post("/.well-known/est/" + op, csr).basic("alice", "wonderland").build());
      assertThat(r.status()).isEqualTo(500);
      assertThat(r.bodyText()).isEqualTo("500 internal server error (request id " + r.header("X-Request-Id") + ")\n");
      assertThat(r.header("Content-Type")).startsWith("text/plain");
    }
  }

  @Test
  void theDefaultStoreIsInMemory() {
    EstServerSettings s = EstServerSettings.builder(LabelSettings.builder(ca).build()).build();
    assertThat(s.certificateStore()).isInstanceOf(InMemoryCertificateStore.class);
    assertThat(s.unlabelled().caName()).isEqualTo(LabelSettings.DEFAULT_CA_NAME);
    assertThat(CertificateRecord.normaliseSerial("00:0A")).isEqualTo("a");
  }
}
