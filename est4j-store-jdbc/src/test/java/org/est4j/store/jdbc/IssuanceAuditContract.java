package org.est4j.store.jdbc;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import org.est4j.server.store.AuditEvent;
import org.est4j.server.store.AuditQuery;
import org.est4j.server.store.CertificateRecord;
import org.est4j.server.store.DuplicateSerialException;
import org.est4j.server.store.EnrollmentToken;
import org.est4j.server.store.TokenConsumption;
import org.est4j.server.store.TokenNotUsableException;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * The audit row of an issuing request commits in its certificate's group-commit transaction:
 * both or neither, also when rows of the same batch fail (a used token, a duplicate serial).
 */
abstract class IssuanceAuditContract {
  static final Instant NOW = CertificateStoreContract.NOW;

  JdbcCertificateStore store;
  JdbcAuditStore audit;

  abstract JdbcStoreSettings settings() throws Exception;

  @BeforeEach
  void open() throws Exception {
    store = JdbcCertificateStore.open(settings());
    audit = new JdbcAuditStore(store.database());
  }

  @AfterEach
  void closeStore() {
    store.close();
  }

  private static CertificateRecord row(String serial) {
    return CertificateStoreContract.row(serial, "main", "iot", "dev-" + serial, NOW.plus(30, ChronoUnit.DAYS));
  }

  private static AuditEvent event(String serial) {
    return new AuditEvent(NOW, "rid-" + serial, "192.0.2.7", "user:alice", Optional.of("iot"), "simpleenroll",
        "success", 200, Optional.of(serial), Optional.empty());
  }

  private List<String> auditedSerials() {
    return audit.query(AuditQuery.all(10_000)).stream().map(e -> e.serial().orElseThrow()).sorted().toList();
  }

  @Test
  void theEventCommitsWithItsCertificate() {
    assertThat(store.recordIssued(row("a1"), Optional.empty(), event("a1"))).isTrue();
    assertThat(store.find("main", "a1")).isPresent();
    List<AuditEvent> events = audit.query(AuditQuery.all(10));
    assertThat(events).containsExactly(event("a1"));
  }

  @Test
  void aRefusedTokenStoresNeitherCertificateNorEvent() {
    TokenConsumptionFixture t = new TokenConsumptionFixture();
    store.recordIssued(row("b1"), Optional.of(t.use("rid-b1")), event("b1"));
    assertThatThrownBy(() -> store.recordIssued(row("b2"), Optional.of(t.use("rid-b2")), event("b2")))
        .isInstanceOf(TokenNotUsableException.class);
    assertThat(store.find("main", "b2")).isEmpty();
    assertThat(auditedSerials()).containsExactly("b1");
  }

  @Test
  void concurrentRowsEachHaveTheirEventAndADuplicateHasNone() throws Exception {
    store.recordIssued(row("dd"), Optional.empty(), event("dd"));
    int threads = 40;
    ExecutorService pool = Executors.newFixedThreadPool(threads + 1);
    CountDownLatch go = new CountDownLatch(1);
    List<Future<?>> done = new ArrayList<>();
    List<String> expected = new ArrayList<>(List.of("dd"));
    try {
      for (int i = 0; i < threads; i++) {
        String serial = Integer.toHexString(0x1000 + i);
        expected.add(serial);
        done.add(pool.submit(() -> {
          go.await();
          return store.recordIssued(row(serial), Optional.empty(), event(serial));
        }));
      }
      Future<?> duplicate = pool.submit(() -> {
        go.await();
        return store.recordIssued(row("dd"), Optional.empty(), event("dd"));
      });
      go.countDown();
      for (Future<?> f : done) {
        assertThat(f.get()).isEqualTo(true);
      }
      assertThatThrownBy(duplicate::get).hasCauseInstanceOf(DuplicateSerialException.class);
    } finally {
      pool.shutdownNow();
    }
    assertThat(auditedSerials()).as("one event per certificate, none for the duplicate")
        .containsExactlyElementsOf(expected.stream().sorted().toList());
  }

  /** One token of label iot, consumed by the first use. */
  private final class TokenConsumptionFixture {
    private final String sha256 = "ab".repeat(32);

    TokenConsumptionFixture() {
      store.tokens().orElseThrow().create(EnrollmentToken.unused(sha256, Optional.of("iot"), "dev-*",
          NOW.minusSeconds(60), "tester", NOW.plus(1, ChronoUnit.DAYS)));
    }

    TokenConsumption use(String requestId) {
      return new TokenConsumption(sha256, Optional.of("iot"), NOW, requestId);
    }
  }
}
