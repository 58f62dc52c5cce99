package org.est4j.it.store;

import static org.assertj.core.api.Assertions.assertThat;

import java.net.http.HttpClient;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.KeyPair;
import java.security.cert.X509Certificate;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import org.est4j.it.EstServerJar;
import org.est4j.server.store.CertificateQuery;
import org.est4j.server.store.CertificateRecord;
import org.est4j.server.store.CertificateStatus;
import org.est4j.store.jdbc.JdbcCertificateStore;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Issue 5 §6/§7: two estserver processes ({@code java -jar est4j.jar}, as an operator runs them) on
 * one PostgreSQL database, sharing one embedded CA made by {@code estserver ca init} in a common
 * data directory. 2 × 100 enrollments go through both nodes at once, from 24 client threads; every
 * answer must be a 200, every serial distinct, and the database must hold exactly one row per 200
 * with what the client can check independently of the node that answered: CA name, serial, PEM,
 * subject, label, requester, request id, status, validity, and a signature by the shared CA.
 */
class TwoNodeEnrollmentTest {
  private static final int PER_NODE = 100;
  private static final int THREADS = 24;

  @TempDir Path dir;

  record Issued(int node, String label, String subject, String requestId, X509Certificate cert) {}

  @Test
  void concurrentEnrollmentsThroughTwoNodesEachHaveTheirRowAndDistinctSerials() throws Exception {
    StoreFixture.Db db = StoreFixture.postgres(dir);
    Files.writeString(dir.resolve("ca.pass"), "two nodes, one CA\n");
    Path config = Files.writeString(dir.resolve("estserver.yaml"), "tls:\n  listen_address: 127.0.0.1:0\n"
        + "data_dir: data\n"
        + "cas:\n  nodes: {kind: embedded, passphrase_file: ca.pass}\n"
        + "users:\n  - username: alice\n    password: wonderland\n"
        + "labels:\n  iot: {}\n" + db.yaml());
    EstServerCli.Result init = EstServerCli.run("ca", "init", "-config", config.toString(), "--name", "nodes");
    assertThat(init.exit()).as(init.err()).isZero();
    X509Certificate root = StoreFixture.parse(Files.readString(dir.resolve("data/cas/nodes/root.pem")));
    X509Certificate issuing = StoreFixture.parse(Files.readString(dir.resolve("data/cas/nodes/chain.pem")));

    Process a = start(config, "a");
    Process b = start(config, "b");
    try {
      int[] ports = {EstServerJar.awaitPort(a, dir.resolve("a.err"), Duration.ofSeconds(60)),
          EstServerJar.awaitPort(b, dir.resolve("b.err"), Duration.ofSeconds(60))};
      List<Issued> issued = enrollThroughBoth(StoreFixture.client(root), ports);

      assertThat(issued).hasSize(2 * PER_NODE);
      Set<java.math.BigInteger> serials = new HashSet<>();
      issued.forEach(i -> serials.add(i.cert().getSerialNumber()));
      assertThat(serials).as("distinct serials across both nodes").hasSize(issued.size());
      try (JdbcCertificateStore store = JdbcCertificateStore.open(db.settings())) {
        List<CertificateRecord> rows = store.list(CertificateQuery.builder().limit(10_000).build());
        assertThat(rows).as("one row per 200, nothing else").hasSize(issued.size());
        for (Issued i : issued) {
          i.cert().verify(issuing.getPublicKey()); // both nodes sign with the one CA
          CertificateRecord row = store.find("nodes", i.cert().getSerialNumber().toString(16))
              .orElseThrow(() -> new AssertionError("no row for " + i));
          assertThat(StoreFixture.parse(row.pem())).isEqualTo(i.cert());
          assertThat(row.subject()).isEqualTo(i.subject());
          assertThat(row.label()).isEqualTo(java.util.Optional.ofNullable(i.label()));
          assertThat(row.requester()).isEqualTo("user:alice");
          assertThat(row.requestId()).isEqualTo(i.requestId());
          assertThat(row.status()).isEqualTo(CertificateStatus.ISSUED);
          assertThat(row.notAfter()).isEqualTo(i.cert().getNotAfter().toInstant());
        }
      }
    } finally {
      stop(a);
      stop(b);
    }
  }

  /** PER_NODE enrollments through each node, THREADS client threads released together. */
  private static List<Issued> enrollThroughBoth(HttpClient client, int[] ports) throws Exception {
    KeyPair key = StoreFixture.p256();
    ExecutorService pool = Executors.newFixedThreadPool(THREADS);
    CountDownLatch go = new CountDownLatch(1);
    List<Future<Issued>> futures = new ArrayList<>();
    try {
      for (int i = 0; i < 2 * PER_NODE; i++) {
        int node = i % 2;
        String label = i % 3 == 0 ? "iot" : null;
        String subject = "CN=two-node-" + node + "-" + i;
        byte[] csr = StoreFixture.csr(key, subject);
        futures.add(pool.submit(() -> {
          go.await();
          HttpResponse<byte[]> r = StoreFixture.enroll(client, ports[node], label, csr);
          assertThat(r.statusCode()).as("node %d: %s", node, new String(r.body(), StandardCharsets.UTF_8))
              .isEqualTo(200);
          return new Issued(node, label, subject, r.headers().firstValue("X-Request-Id").orElseThrow(),
              StoreFixture.certificateOf(r));
        }));
      }
      go.countDown();
      List<Issued> out = new ArrayList<>();
      for (Future<Issued> f : futures) {
        out.add(f.get(120, TimeUnit.SECONDS));
      }
      return out;
    } finally {
      pool.shutdownNow();
    }
  }

  private Process start(Path config, String name) throws Exception {
    ProcessBuilder pb = new ProcessBuilder(EstServerJar.command("-config", config.toString())).directory(dir.toFile())
        .redirectOutput(dir.resolve(name + ".out").toFile()).redirectError(dir.resolve(name + ".err").toFile());
    pb.environment().put("EST4J_ACCESS_LOG_LEVEL", "OFF"); // 240 access-log lines per node are noise here
    return pb.start();
  }

  private static void stop(Process p) throws InterruptedException {
    p.destroy();
    if (!p.waitFor(20, TimeUnit.SECONDS)) {
      p.destroyForcibly();
    }
  }
}
