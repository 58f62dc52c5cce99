package org.est4j.store.jdbc;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.math.BigInteger;
import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.Callable;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import org.est4j.server.store.CertificateQuery;
import org.est4j.server.store.CertificateRecord;
import org.est4j.server.store.CertificateStatus;
import org.est4j.server.store.CertificateStore;
import org.est4j.server.store.DuplicateSerialException;
import org.est4j.server.store.RevokeResult;
import org.est4j.testing.TestCertificate;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * What every {@link CertificateStore} must do; run against the in-memory store, H2 and PostgreSQL
 * by the subclasses, each with a fresh, empty store per test.
 */
abstract class CertificateStoreContract {
  static final Instant NOW = Instant.parse("2026-11-23T12:00:00Z");

  CertificateStore store;

  abstract CertificateStore newStore() throws Exception;

  @BeforeEach
  void open() throws Exception {
    store = newStore();
  }

  @AfterEach
  void closeStore() {
    store.close();
  }

  static CertificateRecord row(String serial, String ca, String label, String cn, Instant notAfter) {
    return new CertificateRecord(serial, ca, Optional.ofNullable(label), "CN=" + cn + ",O=Example",
        List.of("DNS:" + cn + ".example.com", "IP:192.0.2.1"), "ab".repeat(32), notAfter.minus(365, ChronoUnit.DAYS),
        notAfter, CertificateStatus.ISSUED, "user:alice", "rid-" + serial,
        "-----BEGIN CERTIFICATE-----\nMIIB" + serial + "\n-----END CERTIFICATE-----\n",
        NOW.minusSeconds(3600).plusMillis(new BigInteger(serial, 16).longValue() % 100_000),
        Optional.empty(), Optional.empty());
  }

  @Test
  void recordsARealCertificateWithEveryField() {
    TestCertificate cert = TestCertificate.builder().commonName("device-1").addDnsName("device-1.example.com")
        .addIpAddress("10.0.0.7").addEmail("ops@example.com").ec(256).build();
    CertificateRecord r = CertificateRecord.issued(cert.certificate(), "main", Optional.of("iot"), "cert:CN=boot",
        "abc-1", NOW);
    store.recordIssued(r);

    CertificateRecord back = store.find("main", cert.certificate().getSerialNumber().toString(16)).orElseThrow();
    assertThat(back).isEqualTo(r);
    assertThat(back.subject()).isEqualTo("CN=device-1");
    assertThat(back.subjectAltNames())
        .containsExactlyInAnyOrder("DNS:device-1.example.com", "IP:10.0.0.7", "email:ops@example.com");
    assertThat(back.publicKeySha256()).hasSize(64).matches("[0-9a-f]+");
    assertThat(back.pem()).startsWith("-----BEGIN CERTIFICATE-----");
    assertThat(back.label()).contains("iot");
    assertThat(back.status()).isEqualTo(CertificateStatus.ISSUED);
  }

  @Test
  void serialsAreFoundInAnySpellingAndAreUniquePerCa() {
    store.recordIssued(row("a1b2", "main", null, "one", NOW.plus(30, ChronoUnit.DAYS)));
    assertThat(store.find("main", "00:A1:B2")).isPresent();
    assertThat(store.find("main", "0xA1B2")).isPresent();
    assertThat(store.find("other", "a1b2")).isEmpty();

    assertThatThrownBy(() -> store.recordIssued(row("a1b2", "main", null, "two", NOW.plus(1, ChronoUnit.DAYS))))
        .isInstanceOf(DuplicateSerialException.class)
        .hasMessageContaining("serial a1b2 is already recorded for CA 'main'");
    assertThat(store.find("main", "a1b2").orElseThrow().subject()).isEqualTo("CN=one,O=Example"); // first kept

    store.recordIssued(row("a1b2", "other", null, "three", NOW.plus(1, ChronoUnit.DAYS))); // other CA: fine
    assertThat(store.findBySerial("a1b2")).extracting(CertificateRecord::caName).containsExactly("main", "other");
  }

  @Test
  void listFiltersByLabelSubjectStatusAndExpiry() {
    store.recordIssued(row("1", "main", null, "web", NOW.plus(10, ChronoUnit.DAYS)));
    store.recordIssued(row("2", "main", "iot", "sensor-a", NOW.plus(60, ChronoUnit.DAYS)));
    store.recordIssued(row("3", "main", "iot", "sensor_b", NOW.minus(1, ChronoUnit.DAYS)));
    store.recordIssued(row("4", "main", "iot", "sensor-c", NOW.plus(5, ChronoUnit.DAYS)));
    assertThat(store.revoke("main", "4", "key compromise", NOW)).isEqualTo(RevokeResult.REVOKED);

    assertThat(serials(q().build())).containsExactly("4", "3", "2", "1"); // newest first
    assertThat(serials(q().label("iot").build())).containsExactly("4", "3", "2");
    assertThat(serials(q().label("").build())).containsExactly("1");
    assertThat(serials(q().subjectContains("SENSOR").build())).containsExactly("4", "3", "2");
    assertThat(serials(q().subjectContains("sensor_").build())).containsExactly("3"); // '_' is literal
    assertThat(serials(q().status(CertificateStatus.ISSUED).build())).containsExactly("2", "1");
    assertThat(serials(q().status(CertificateStatus.EXPIRED).build())).containsExactly("3");
    assertThat(serials(q().status(CertificateStatus.REVOKED).build())).containsExactly("4");
    assertThat(serials(q().expiringWithin(Duration.ofDays(30)).build())).containsExactly("1");
    assertThat(serials(q().expiringWithin(Duration.ofDays(90)).label("iot").build())).containsExactly("2");
    assertThat(serials(q().limit(2).build())).containsExactly("4", "3");
    store.recordIssued(row("5", "other", "iot", "sensor-d", NOW.plus(5, ChronoUnit.DAYS)));
    assertThat(serials(q().caName("other").build())).containsExactly("5");
    assertThat(serials(q().caName("main").label("iot").build())).containsExactly("4", "3", "2");
    assertThat(serials(q().caName("none").build())).isEmpty();
  }

  @Test
  void revokeIsIdempotentAndKeepsTheFirstReason() {
    store.recordIssued(row("ff", "main", null, "x", NOW.plus(10, ChronoUnit.DAYS)));
    assertThat(store.revoke("main", "FF", "superseded", NOW)).isEqualTo(RevokeResult.REVOKED);
    assertThat(store.revoke("main", "ff", "again", NOW.plusSeconds(5))).isEqualTo(RevokeResult.ALREADY_REVOKED);
    assertThat(store.revoke("main", "fe", "nope", NOW)).isEqualTo(RevokeResult.NOT_FOUND);
    CertificateRecord r = store.find("main", "ff").orElseThrow();
    assertThat(r.status()).isEqualTo(CertificateStatus.REVOKED);
    assertThat(r.revocationReason()).contains("superseded");
    assertThat(r.revokedAt()).contains(NOW);
  }

  @Test
  void concurrentRecordsFromManyThreadsAllLandExactlyOnce() throws Exception {
    int threads = 16;
    int perThread = 50;
    ExecutorService pool = Executors.newFixedThreadPool(threads);
    try {
      List<Future<Integer>> results = new ArrayList<>();
      for (int t = 0; t < threads; t++) {
        int base = t * perThread;
        Callable<Integer> task = () -> {
          int duplicates = 0;
          for (int i = 0; i < perThread; i++) {
            store.recordIssued(row(Integer.toHexString(0x1000 + base + i), "main", "c", "n" + i,
                NOW.plus(1, ChronoUnit.DAYS)));
            try { // every thread also races on one shared serial: exactly one insert may win
              store.recordIssued(row("beef", "main", "c", "shared", NOW.plus(1, ChronoUnit.DAYS)));
            } catch (DuplicateSerialException e) {
              duplicates++;
            }
          }
          return duplicates;
        };
        results.add(pool.submit(task));
      }
      int duplicates = 0;
      for (Future<Integer> f : results) {
        duplicates += f.get();
      }
      assertThat(duplicates).isEqualTo(threads * perThread - 1);
    } finally {
      pool.shutdownNow();
    }
    List<CertificateRecord> all = store.list(q().label("c").limit(10_000).build());
    Set<String> serials = new HashSet<>();
    all.forEach(r -> serials.add(r.serial()));
    assertThat(all).hasSize(threads * perThread + 1);
    assertThat(serials).hasSize(threads * perThread + 1);
  }

  static CertificateQuery.Builder q() {
    return CertificateQuery.builder().now(NOW);
  }

  List<String> serials(CertificateQuery query) {
    return store.list(query).stream().map(CertificateRecord::serial).toList();
  }
}
