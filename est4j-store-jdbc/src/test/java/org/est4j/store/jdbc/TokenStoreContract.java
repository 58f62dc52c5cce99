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
import org.est4j.server.store.CertificateQuery;
import org.est4j.server.store.CertificateStore;
import org.est4j.server.store.EnrollmentToken;
import org.est4j.server.store.TokenConsumption;
import org.est4j.server.store.TokenNotUsableException;
import org.est4j.server.store.TokenStore;
import org.est4j.server.store.UserDirectory;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * Tokens and users of every {@link CertificateStore}: a token's consumption commits with its
 * certificate or not at all, exactly once under concurrency (which, for the JDBC stores, puts
 * many consumptions of one token into one group-commit batch), and a refused consumption never
 * takes other rows of its batch with it.
 */
abstract class TokenStoreContract {
  static final Instant NOW = CertificateStoreContract.NOW;

  CertificateStore store;
  TokenStore tokens;

  abstract CertificateStore newStore() throws Exception;

  @BeforeEach
  void open() throws Exception {
    store = newStore();
    tokens = store.tokens().orElseThrow();
  }

  @AfterEach
  void closeStore() {
    store.close();
  }

  private EnrollmentToken token(String hash, String label, Instant expires) {
    return tokens.create(EnrollmentToken.unused(hash, Optional.ofNullable(label), "dev-*", NOW.minusSeconds(60),
        "tester", expires));
  }

  private static TokenConsumption use(String hash, String label, String requestId) {
    return new TokenConsumption(hash, Optional.ofNullable(label), NOW, requestId);
  }

  private int rows() {
    return store.list(CertificateQuery.builder().limit(10_000).build()).size();
  }

  @Test
  void aTokenIsConsumedWithItsCertificateOnce() {
    EnrollmentToken t = token("aa".repeat(32), "iot", NOW.plus(1, ChronoUnit.DAYS));
    assertThat(t.id()).isPositive();
    store.recordIssued(CertificateStoreContract.row("1", "main", "iot", "dev-1", NOW.plus(30, ChronoUnit.DAYS)),
        Optional.of(use(t.sha256(), "iot", "rid-1")));
    EnrollmentToken used = tokens.findBySha256(t.sha256()).orElseThrow();
    assertThat(used.usedAt()).contains(NOW);
    assertThat(used.usedByRequestId()).contains("rid-1");

    assertThatThrownBy(() -> store.recordIssued(
        CertificateStoreContract.row("2", "main", "iot", "dev-2", NOW.plus(30, ChronoUnit.DAYS)),
        Optional.of(use(t.sha256(), "iot", "rid-2"))))
        .isInstanceOf(TokenNotUsableException.class).hasMessageContaining("already been used");
    assertThat(store.find("main", "2")).as("no certificate without its token").isEmpty();
    assertThat(rows()).isEqualTo(1);
  }

  @Test
  void expiredOtherLabelAndRevokedTokensRecordNothing() {
    EnrollmentToken expired = token("bb".repeat(32), "iot", NOW.minusSeconds(1));
    EnrollmentToken iot = token("cc".repeat(32), "iot", NOW.plus(1, ChronoUnit.DAYS));
    EnrollmentToken revoked = token("dd".repeat(32), null, NOW.plus(1, ChronoUnit.DAYS));
    assertThat(tokens.revoke(revoked.id())).isTrue();
    assertThat(tokens.revoke(revoked.id())).isFalse();
    var row = CertificateStoreContract.row("3", "main", "iot", "dev-3", NOW.plus(30, ChronoUnit.DAYS));
    assertThatThrownBy(() -> store.recordIssued(row, Optional.of(use(expired.sha256(), "iot", "r"))))
        .isInstanceOf(TokenNotUsableException.class).hasMessageContaining("expired");
    assertThatThrownBy(() -> store.recordIssued(row, Optional.of(use(iot.sha256(), null, "r"))))
        .isInstanceOf(TokenNotUsableException.class).hasMessageContaining("not for this label");
    assertThatThrownBy(() -> store.recordIssued(row, Optional.of(use(revoked.sha256(), null, "r"))))
        .isInstanceOf(TokenNotUsableException.class).hasMessageContaining("revoked");
    assertThat(rows()).isZero();
    assertThat(tokens.findBySha256(iot.sha256()).orElseThrow().isUsed()).isFalse();
    assertThat(tokens.list(10)).extracting(EnrollmentToken::id).containsExactly(iot.id(), expired.id());
  }

  @Test
  void fiftyConcurrentConsumptionsOneWinsAndOthersCertificatesStillCommit() throws Exception {
    EnrollmentToken t = token("ee".repeat(32), "iot", NOW.plus(1, ChronoUnit.DAYS));
    int threads = 50;
    ExecutorService pool = Executors.newFixedThreadPool(threads * 2);
    CountDownLatch go = new CountDownLatch(1);
    List<Future<Boolean>> withToken = new ArrayList<>();
    List<Future<?>> without = new ArrayList<>();
    try {
      for (int i = 0; i < threads; i++) {
        String serial = Integer.toHexString(0x1000 + i);
        String plain = Integer.toHexString(0x5000 + i);
        withToken.add(pool.submit(() -> {
          go.await();
          try {
            store.recordIssued(CertificateStoreContract.row(serial, "main", "iot", "dev", NOW.plus(9, ChronoUnit.DAYS)),
                Optional.of(use(t.sha256(), "iot", "rid-" + serial)));
            return true;
          } catch (TokenNotUsableException e) {
            return false;
          }
        }));
        without.add(pool.submit(() -> {
          go.await();
          store.recordIssued(CertificateStoreContract.row(plain, "main", null, "web", NOW.plus(9, ChronoUnit.DAYS)));
          return null;
        }));
      }
      go.countDown();
      int won = 0;
      for (Future<Boolean> f : withToken) {
        won += f.get() ? 1 : 0;
      }
      for (Future<?> f : without) {
        f.get();
      }
      assertThat(won).isEqualTo(1);
    } finally {
      pool.shutdownNow();
    }
    assertThat(rows()).as("one token row plus every certificate without a token").isEqualTo(1 + threads);
    String winner = tokens.findBySha256(t.sha256()).orElseThrow().usedByRequestId().orElseThrow();
    assertThat(store.find("main", winner.substring("rid-".length()))).isPresent();
  }

  @Test
  void usersAreAddedChangedAndRemoved() {
    UserDirectory users = store.users().orElseThrow();
    assertThat(users.add("bob", "$argon2id$x", NOW)).isTrue();
    assertThat(users.add("bob", "$argon2id$y", NOW)).isFalse();
    assertThat(users.find("bob").orElseThrow().passwordHash()).isEqualTo("$argon2id$x");
    assertThat(users.changePassword("bob", "$argon2id$z", NOW.plusSeconds(5))).isTrue();
    assertThat(users.find("bob").orElseThrow().updatedAt()).isEqualTo(NOW.plusSeconds(5));
    assertThat(users.changePassword("carol", "h", NOW)).isFalse();
    assertThat(users.list()).extracting(u -> u.username()).containsExactly("bob");
    assertThat(users.remove("bob")).isTrue();
    assertThat(users.remove("bob")).isFalse();
    assertThat(users.find("bob")).isEmpty();
  }

  @Test
  void aUserKeepsTheLabelsItIsLimitedTo() {
    UserDirectory users = store.users().orElseThrow();
    assertThat(users.add("carol", "$argon2id$x", java.util.Set.of("iot", "/"), NOW)).isTrue();
    assertThat(users.add("dave", "$argon2id$y", NOW)).isTrue();
    assertThat(users.find("carol").orElseThrow().labels()).containsExactlyInAnyOrder("iot", "/");
    assertThat(users.find("dave").orElseThrow().labels()).as("every label").isEmpty();
    assertThat(users.changePassword("carol", "$argon2id$z", NOW.plusSeconds(1))).isTrue();
    assertThat(users.find("carol").orElseThrow().labels()).as("kept across a new password").containsExactlyInAnyOrder("iot", "/");
    assertThat(users.list()).extracting(u -> u.labels().size()).containsExactly(2, 0);
  }

  private org.est4j.server.store.PendingRequestStore pendingStore() {
    return store instanceof JdbcCertificateStore jdbc
        ? new JdbcPendingRequestStore(jdbc.database())
        : new org.est4j.server.store.InMemoryPendingRequestStore(store);
  }

  private static org.est4j.server.store.PendingRequest held(String csr, String requester, String requestId) {
    return org.est4j.server.store.PendingRequest.submitted(Optional.of("iot"), "main", "simpleenroll",
        csr.getBytes(java.nio.charset.StandardCharsets.UTF_8), "CN=" + csr, requester, requestId, NOW);
  }

  @Test
  void aPendingRequestSpendsItsTokenOnceAndItsRetriesFindIt() {
    var pending = pendingStore();
    EnrollmentToken t = token("ab".repeat(32), "iot", NOW.plus(1, ChronoUnit.DAYS));
    var first = pending.submit(held("csr-a", "token:" + t.id(), "rid-a"), Optional.of(use(t.sha256(), "iot", "rid-a")));
    assertThat(first.id()).isPositive();
    assertThat(first.requester()).isEqualTo("token:" + t.id());
    assertThat(tokens.findBySha256(t.sha256()).orElseThrow().usedByRequestId()).contains("rid-a");

    var retry = pending.submit(held("csr-a", "token:" + t.id(), "rid-a2"), Optional.of(use(t.sha256(), "iot", "rid-a2")));
    assertThat(retry.id()).as("the request the token paid for").isEqualTo(first.id());
    assertThatThrownBy(() -> pending.submit(held("csr-b", "token:" + t.id(), "rid-b"),
        Optional.of(use(t.sha256(), "iot", "rid-b"))))
        .isInstanceOf(TokenNotUsableException.class).hasMessageContaining("already been used");
    EnrollmentToken expired = token("ac".repeat(32), "iot", NOW.minusSeconds(1));
    assertThatThrownBy(() -> pending.submit(held("csr-c", "token:" + expired.id(), "rid-c"),
        Optional.of(use(expired.sha256(), "iot", "rid-c"))))
        .isInstanceOf(TokenNotUsableException.class).hasMessageContaining("expired");
    assertThat(pending.list(Optional.empty(), 10)).as("nothing stored for a refused token").hasSize(1);
    assertThat(tokens.findBySha256(t.sha256()).orElseThrow().usedByRequestId()).contains("rid-a");
  }

  @Test
  void concurrentFirstSubmissionsWithOneTokenStoreOneRequest() throws Exception {
    var pending = pendingStore();
    EnrollmentToken same = token("ad".repeat(32), "iot", NOW.plus(1, ChronoUnit.DAYS));
    EnrollmentToken distinct = token("ae".repeat(32), "iot", NOW.plus(1, ChronoUnit.DAYS));
    int threads = 16;
    ExecutorService pool = Executors.newFixedThreadPool(threads * 2);
    CountDownLatch go = new CountDownLatch(1);
    List<Future<Long>> sameCsr = new ArrayList<>();
    List<Future<Boolean>> otherCsrs = new ArrayList<>();
    try {
      for (int i = 0; i < threads; i++) {
        String rid = "rid-" + i;
        sameCsr.add(pool.submit(() -> {
          go.await();
          return pending.submit(held("csr-same", "token:" + same.id(), rid), Optional.of(use(same.sha256(), "iot", rid))).id();
        }));
        otherCsrs.add(pool.submit(() -> {
          go.await();
          try {
            pending.submit(held("csr-" + rid, "token:" + distinct.id(), "x" + rid),
                Optional.of(use(distinct.sha256(), "iot", "x" + rid)));
            return true;
          } catch (TokenNotUsableException e) {
            return false;
          }
        }));
      }
      go.countDown();
      java.util.Set<Long> ids = new java.util.HashSet<>();
      for (Future<Long> f : sameCsr) {
        ids.add(f.get());
      }
      int won = 0;
      for (Future<Boolean> f : otherCsrs) {
        won += f.get() ? 1 : 0;
      }
      assertThat(ids).as("every submission of the same request got the one row").hasSize(1);
      assertThat(won).as("of distinct requests with one token, one is stored").isEqualTo(1);
      assertThat(pending.list(Optional.empty(), 100)).hasSize(2);
    } finally {
      pool.shutdownNow();
    }
  }
}
