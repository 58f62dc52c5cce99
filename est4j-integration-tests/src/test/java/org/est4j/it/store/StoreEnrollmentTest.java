package org.est4j.it.store;

import static org.assertj.core.api.Assertions.assertThat;

import java.net.http.HttpClient;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.KeyPair;
import java.security.cert.X509Certificate;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import org.est4j.cli.EmbeddedEstServer;
import org.est4j.server.store.CertificateQuery;
import org.est4j.server.store.CertificateRecord;
import org.est4j.server.store.CertificateStatus;
import org.est4j.store.jdbc.JdbcCertificateStore;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

/**
 * Concurrent enrollments through est4j's real server (estserver as the CLI assembles it, over
 * HTTPS) leave exactly one row per 200, with the fields the client can check: serial, PEM,
 * subject, label, requester and the X-Request-Id it was answered with. H2 is read while the
 * server runs (AUTO_SERVER), PostgreSQL from a second pool; a restart migrates nothing.
 */
class StoreEnrollmentTest {
  @TempDir Path dir;

  record Issued(String label, String subject, String requestId, X509Certificate cert) {}

  @ParameterizedTest
  @EnumSource(StoreFixture.Kind.class)
  void everyTwoHundredHasExactlyItsRow(StoreFixture.Kind kind) throws Exception {
    StoreFixture.Db db = StoreFixture.of(kind, dir);
    Path config = Files.writeString(dir.resolve("estserver.yaml"), StoreFixture.config(db));
    KeyPair key = StoreFixture.p256();
    List<Issued> issued = Collections.synchronizedList(new ArrayList<>());
    int threads = 8;
    int perThread = 15;
    try (EmbeddedEstServer server = EmbeddedEstServer.start(Optional.of(config), null)) {
      HttpClient client = StoreFixture.client(server.root());
      ExecutorService pool = Executors.newFixedThreadPool(threads);
      try {
        List<Future<?>> done = new ArrayList<>();
        for (int t = 0; t < threads; t++) {
          int thread = t;
          done.add(pool.submit(() -> {
            for (int i = 0; i < perThread; i++) {
              String label = i % 2 == 0 ? "iot" : null;
              String subject = "CN=device-" + thread + "-" + i;
              HttpResponse<byte[]> r = StoreFixture.enroll(client, server.port(), label, StoreFixture.csr(key, subject));
              assertThat(r.statusCode()).as(new String(r.body())).isEqualTo(200);
              issued.add(new Issued(label, subject, r.headers().firstValue("X-Request-Id").orElseThrow(),
                  StoreFixture.certificateOf(r)));
            }
            return null;
          }));
        }
        for (Future<?> f : done) {
          f.get();
        }
      } finally {
        pool.shutdownNow();
      }

      try (JdbcCertificateStore store = StoreFixture.openStore(db, dir)) {
        assertThat(store.database().migrationsApplied()).as("the server already migrated").isZero();
        List<CertificateRecord> rows = store.list(CertificateQuery.builder().limit(10_000).build());
        assertThat(rows).hasSize(threads * perThread);
        for (Issued i : issued) {
          CertificateRecord row = store.find("default", i.cert().getSerialNumber().toString(16)).orElseThrow();
          assertThat(StoreFixture.parse(row.pem())).isEqualTo(i.cert());
          assertThat(row.subject()).isEqualTo(i.subject());
          assertThat(row.label()).isEqualTo(Optional.ofNullable(i.label()));
          assertThat(row.requester()).isEqualTo("user:alice");
          assertThat(row.requestId()).isEqualTo(i.requestId());
          assertThat(row.status()).isEqualTo(CertificateStatus.ISSUED);
          assertThat(row.notAfter()).isEqualTo(i.cert().getNotAfter().toInstant());
        }
      }
    }
    // a second start on the same database: nothing to migrate, the rows are still there
    try (EmbeddedEstServer again = EmbeddedEstServer.start(Optional.of(config), null)) {
      assertThat(again.certificateStore().list(CertificateQuery.builder().limit(10_000).build()))
          .hasSize(threads * perThread);
      assertThat(again.certificateStore().describe()).contains("(schema version " + latestSchema() + ")");
    }
  }

  /** The newest schema version: one per script in the store's migrations/index.txt. */
  private static long latestSchema() throws java.io.IOException {
    try (java.io.InputStream in = org.est4j.store.jdbc.JdbcDatabase.class.getResourceAsStream("migrations/index.txt")) {
      return new String(in.readAllBytes(), java.nio.charset.StandardCharsets.UTF_8).lines()
          .map(String::strip).filter(l -> !l.isEmpty() && !l.startsWith("#")).count();
    }
  }
}
