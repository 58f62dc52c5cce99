package org.est4j.server;

import static org.assertj.core.api.Assertions.assertThat;

import java.security.KeyPair;
import java.security.cert.X509Certificate;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CopyOnWriteArrayList;
import org.est4j.ca.EmbeddedCa;
import org.est4j.ca.TransientCa;
import org.est4j.server.store.AuditEvent;
import org.est4j.server.store.CertificateRecord;
import org.est4j.server.store.CertificateStore;
import org.est4j.server.store.TokenConsumption;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * The audit event of a request that issues a certificate goes to the certificate store with the
 * certificate when the sink asks for it, and the sink then only logs it; every other request's
 * event goes to the sink as before.
 */
class IssuanceAuditTest {
  private static EmbeddedCa ca;
  private static KeyPair key;

  @BeforeAll
  static void setUp() throws Exception {
    ca = TransientCa.create();
    key = TestRequests.p256();
  }

  /** A sink that remembers what it was given and how. */
  private static final class Sink implements AuditSink {
    final boolean withCertificates;
    final List<AuditEvent> recorded = new CopyOnWriteArrayList<>();
    final List<AuditEvent> committed = new CopyOnWriteArrayList<>();

    Sink(boolean withCertificates) {
      this.withCertificates = withCertificates;
    }

    @Override
    public void record(AuditEvent event) {
      recorded.add(event);
    }

    @Override
    public boolean rowsWithCertificates() {
      return withCertificates;
    }

    @Override
    public void recordCommitted(AuditEvent event) {
      committed.add(event);
    }
  }

  /** An in-memory store that keeps the events given with certificates, as the JDBC store commits them. */
  private static final class AuditingStore extends ForwardingStore {
    final List<AuditEvent> events = new CopyOnWriteArrayList<>();

    @Override
    public boolean recordIssued(CertificateRecord record, Optional<TokenConsumption> token, AuditEvent audit) {
      memory.recordIssued(record, token);
      events.add(audit);
      return true;
    }
  }

  private static EstServerEngine engine(CertificateStore store, AuditSink sink) {
    LabelSettings main = LabelSettings.builder(ca).caName("main").build();
    return new EstServerEngine(
        EstServerSettings.builder(main)
            .label("iot", main)
            .users(UserStore.of(Map.of("alice", PasswordHash.create("wonderland".toCharArray(), 10_000))))
            .certificateStore(store)
            .audit(sink)
            .build());
  }

  private static EstResponse enroll(EstServerEngine engine, boolean authenticated) throws Exception {
    byte[] body = TestRequests.base64(TestRequests.csr(key, "CN=sensor-1"));
    TestRequests.Builder request = TestRequests.post("/.well-known/est/iot/simpleenroll", body);
    return engine.handle((authenticated ? request.basic("alice", "wonderland") : request).build());
  }

  @Test
  void anIssuedCertificatesEventCommitsWithItAndIsOnlyLogged() throws Exception {
    AuditingStore store = new AuditingStore();
    Sink sink = new Sink(true);
    EstResponse r = enroll(engine(store, sink), true);

    assertThat(r.status()).as(r.bodyText()).isEqualTo(200);
    X509Certificate cert = EstServerEngineTest.certsOf(r).get(0);
    assertThat(store.events).hasSize(1);
    AuditEvent e = store.events.get(0);
    assertThat(e.requestId()).isEqualTo(r.header("X-Request-Id"));
    assertThat(e.serial()).contains(cert.getSerialNumber().toString(16));
    assertThat(e.httpStatus()).isEqualTo(200);
    assertThat(e.outcome()).isEqualTo("success");
    assertThat(e.operation()).isEqualTo("simpleenroll");
    assertThat(e.label()).contains("iot");
    assertThat(e.identity()).isEqualTo("user:alice");
    assertThat(e.clientAddress()).isEqualTo(TestRequests.post("/", new byte[0]).build().clientAddress().getHostAddress());
    assertThat(sink.committed).containsExactly(e);
    assertThat(sink.recorded).as("no second row").isEmpty();
  }

  @Test
  void aRefusedRequestsEventGoesToTheSink() throws Exception {
    AuditingStore store = new AuditingStore();
    Sink sink = new Sink(true);
    EstResponse r = enroll(engine(store, sink), false);

    assertThat(r.status()).isEqualTo(401);
    assertThat(store.events).isEmpty();
    assertThat(sink.committed).isEmpty();
    assertThat(sink.recorded).singleElement().satisfies(e -> {
      assertThat(e.httpStatus()).isEqualTo(401);
      assertThat(e.requestId()).isEqualTo(r.header("X-Request-Id"));
    });
  }

  @Test
  void aSinkThatKeepsItsOwnRowsGetsEveryEvent() throws Exception {
    AuditingStore store = new AuditingStore();
    Sink sink = new Sink(false);
    EstResponse r = enroll(engine(store, sink), true);

    assertThat(r.status()).as(r.bodyText()).isEqualTo(200);
    assertThat(store.events).as("the store is not asked to keep the event").isEmpty();
    assertThat(sink.committed).isEmpty();
    assertThat(sink.recorded).singleElement().satisfies(e -> {
      assertThat(e.httpStatus()).isEqualTo(200);
      assertThat(e.serial()).isPresent();
    });
  }
}
