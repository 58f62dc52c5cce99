package org.est4j.it.store;

import static org.assertj.core.api.Assertions.assertThat;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.KeyPair;
import java.security.cert.X509Certificate;
import java.time.Duration;
import java.util.Base64;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.est4j.cli.EmbeddedEstServer;
import org.est4j.client.CsrBuilder;
import org.est4j.client.EstClient;
import org.est4j.client.KeyPairs;
import org.est4j.client.TrustAnchors;
import org.est4j.server.store.AuditEvent;
import org.est4j.server.store.AuditQuery;
import org.est4j.server.store.CertificateRecord;
import org.est4j.server.store.PendingRequest;
import org.est4j.server.store.PendingStatus;
import org.est4j.store.jdbc.JdbcAuditStore;
import org.est4j.store.jdbc.JdbcCertificateStore;
import org.est4j.store.jdbc.JdbcPendingRequestStore;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

/**
 * approval: manual through est4j's real server (HTTPS) on H2 and PostgreSQL: 202 + Retry-After
 * while pending (the same request finds the same row), the certificate once an operator approved
 * with {@code estserver requests approve} in another process, the same certificate on a second
 * retry, 403 with the reason after a rejection, a replay by another user kept apart, and
 * {@code EstClient.enrollAndWait} polling until the approval arrives; audit rows for each.
 */
class ApprovalTest {
  private static final Pattern REQUEST_ID = Pattern.compile("request (\\d+) is waiting for approval");

  @TempDir Path dir;

  /** A configuration with a CA from files (so several nodes share it). */
  private Path config(StoreFixture.Db db) throws Exception {
    Path caFile = org.est4j.testing.TestPki.create().intermediate().writeTo(dir, "ca");
    String yaml = "tls:\n  listen_address: 127.0.0.1:0\n"
        + "mock_ca:\n  certificates: " + caFile + "\n  private_key: " + dir.resolve("ca-key.pem") + "\n"
        + "users:\n  - username: alice\n    password: wonderland\n  - username: bob\n    password: builder\n"
        + "approval_retry_after: 1\n"
        + "labels:\n  manual:\n    approval: manual\n  iot: {}\n" + db.yaml();
    return Files.writeString(dir.resolve("estserver.yaml"), yaml);
  }

  private static HttpResponse<byte[]> enroll(HttpClient client, int port, String user, String password, byte[] csr)
      throws Exception {
    HttpRequest r = HttpRequest.newBuilder(URI.create("https://localhost:" + port + "/.well-known/est/manual/simpleenroll"))
        .header("Content-Type", "application/pkcs10")
        .header("Authorization", "Basic " + Base64.getEncoder().encodeToString((user + ":" + password).getBytes(StandardCharsets.UTF_8)))
        .POST(HttpRequest.BodyPublishers.ofByteArray(csr)).build();
    return client.send(r, HttpResponse.BodyHandlers.ofByteArray());
  }

  private static long pendingId(HttpResponse<byte[]> r) {
    assertThat(r.statusCode()).as(new String(r.body(), StandardCharsets.UTF_8)).isEqualTo(202);
    assertThat(r.headers().firstValue("Retry-After")).hasValue("1");
    Matcher m = REQUEST_ID.matcher(new String(r.body(), StandardCharsets.UTF_8));
    assertThat(m.find()).as(new String(r.body(), StandardCharsets.UTF_8)).isTrue();
    return Long.parseLong(m.group(1));
  }

  @ParameterizedTest
  @EnumSource(StoreFixture.Kind.class)
  void pendingThenApprovedInAnotherProcessThenDeliveredAgainOnRetry(StoreFixture.Kind kind) throws Exception {
    StoreFixture.Db db = StoreFixture.of(kind, dir);
    Path config = config(db);
    KeyPair key = StoreFixture.p256();
    byte[] csr = StoreFixture.csr(key, "CN=door-lock-7");
    try (EmbeddedEstServer server = EmbeddedEstServer.start(Optional.of(config), null)) {
      HttpClient client = StoreFixture.client(server.root());
      long id = pendingId(enroll(client, server.port(), "alice", "wonderland", csr));
      assertThat(pendingId(enroll(client, server.port(), "alice", "wonderland", csr))).as("same request, same row").isEqualTo(id);
      long bobs = pendingId(enroll(client, server.port(), "bob", "builder", csr));
      assertThat(bobs).as("another requester replaying the CSR is another request").isNotEqualTo(id);

      EstServerCli.Result list = EstServerCli.run("requests", "list", "-config", config.toString());
      assertThat(list.exit()).as(list.err()).isZero();
      assertThat(list.out()).contains("CN=door-lock-7").contains("user:alice").contains("user:bob").contains("pending");

      EstServerCli.Result approve = EstServerCli.process(dir, "requests", "approve", Long.toString(id), "--by", "carol", "-config", config.toString());
      assertThat(approve.exit()).as(approve.err()).isZero();
      assertThat(approve.out()).contains("approved request " + id);
      EstServerCli.Result twice = EstServerCli.run("requests", "approve", Long.toString(id), "-config", config.toString());
      assertThat(twice.exit()).isEqualTo(1);
      assertThat(twice.err()).contains("already approved");

      HttpResponse<byte[]> issued = enroll(client, server.port(), "alice", "wonderland", csr);
      assertThat(issued.statusCode()).as(new String(issued.body(), StandardCharsets.UTF_8)).isEqualTo(200);
      X509Certificate cert = StoreFixture.certificateOf(issued);
      assertThat(cert.getSubjectX500Principal().getName()).isEqualTo("CN=door-lock-7");
      assertThat(cert.getPublicKey()).isEqualTo(key.getPublic());
      HttpResponse<byte[]> again = enroll(client, server.port(), "alice", "wonderland", csr);
      assertThat(again.statusCode()).isEqualTo(200);
      assertThat(StoreFixture.certificateOf(again)).as("idempotent delivery").isEqualTo(cert);
      assertThat(pendingId(enroll(client, server.port(), "bob", "builder", csr))).as("bob still waits").isEqualTo(bobs);

      EstServerCli.Result reject = EstServerCli.run("requests", "reject", Long.toString(bobs), "--reason", "replayed CSR", "--by", "carol",
          "-config", config.toString());
      assertThat(reject.exit()).as(reject.err()).isZero();
      HttpResponse<byte[]> refused = enroll(client, server.port(), "bob", "builder", csr);
      assertThat(refused.statusCode()).isEqualTo(403);
      assertThat(new String(refused.body(), StandardCharsets.UTF_8))
          .contains("request " + bobs + " was rejected by carol: replayed CSR");

      try (JdbcCertificateStore store = StoreFixture.openStore(db, dir)) {
        String serial = cert.getSerialNumber().toString(16);
        CertificateRecord row = store.find("default", serial).orElseThrow();
        assertThat(row.requester()).isEqualTo("user:alice");
        assertThat(row.label()).hasValue("manual");
        PendingRequest pending = new JdbcPendingRequestStore(store.database()).find(id).orElseThrow();
        assertThat(pending.status()).isEqualTo(PendingStatus.APPROVED);
        assertThat(pending.decidedBy()).hasValue("carol");
        assertThat(pending.certificateSerial()).hasValue(serial);
        assertThat(new JdbcPendingRequestStore(store.database()).countPending()).isZero();
      }
      EstServerCli.Result show = EstServerCli.run("requests", "show", Long.toString(bobs), "-config", config.toString());
      assertThat(show.out()).contains("status:             rejected").contains("decision_reason:    replayed CSR")
          .contains("BEGIN CERTIFICATE REQUEST");
    }
    // after the server stopped (its audit writer flushed)
    try (JdbcCertificateStore store = StoreFixture.openStore(db, dir)) {
      List<AuditEvent> events = new JdbcAuditStore(store.database()).query(AuditQuery.all(100));
      assertThat(events).extracting(AuditEvent::outcome).contains("pending", "success", "failure");
      assertThat(events).filteredOn(e -> e.outcome().equals("success"))
          .allSatisfy(e -> assertThat(e.serial()).isPresent())
          .allSatisfy(e -> assertThat(e.identity()).isEqualTo("user:alice"));
      assertThat(events).filteredOn(e -> e.httpStatus() == 403)
          .singleElement().satisfies(e -> assertThat(e.reason().orElseThrow()).contains("replayed CSR"));
    }
  }

  @ParameterizedTest
  @EnumSource(StoreFixture.Kind.class)
  void enrollAndWaitPollsUntilAnotherProcessApproves(StoreFixture.Kind kind) throws Exception {
    StoreFixture.Db db = StoreFixture.of(kind, dir);
    Path config = config(db);
    try (EmbeddedEstServer server = EmbeddedEstServer.start(Optional.of(config), null)) {
      EstClient client = EstClient.builder().server("localhost:" + server.port())
          .trust(TrustAnchors.explicit(List.of(server.root()))).basicAuth("alice", "wonderland".toCharArray())
          .label("manual").build();
      KeyPair key = KeyPairs.generate("ec:P-256");
      byte[] csr = CsrBuilder.create().commonName("polled").sign(key);
      CompletableFuture<X509Certificate> polled = CompletableFuture.supplyAsync(() -> {
        try {
          return client.enrollAndWait(csr, Duration.ofSeconds(60));
        } catch (Exception e) {
          throw new IllegalStateException(e);
        }
      });
      long id = 0;
      try (JdbcCertificateStore store = StoreFixture.openStore(db, dir)) {
        JdbcPendingRequestStore pending = new JdbcPendingRequestStore(store.database());
        for (int i = 0; i < 200 && id == 0; i++) {
          id = pending.list(Optional.of(PendingStatus.PENDING), 10).stream().mapToLong(PendingRequest::id).findFirst().orElse(0);
          Thread.sleep(50);
        }
      }
      assertThat(id).as("the client's request reached the store").isPositive();
      Thread.sleep(1500); // the client polls at least once more while pending
      assertThat(polled).isNotDone();
      EstServerCli.Result approve = EstServerCli.process(dir, "requests", "approve", Long.toString(id), "-config", config.toString());
      assertThat(approve.exit()).as(approve.err()).isZero();
      X509Certificate cert = polled.get(30, java.util.concurrent.TimeUnit.SECONDS);
      assertThat(cert.getPublicKey()).isEqualTo(key.getPublic());
      try (JdbcCertificateStore store = StoreFixture.openStore(db, dir)) {
        assertThat(store.find("default", cert.getSerialNumber().toString(16))).isPresent();
      }
    }
  }

  /** {@code estclient enroll -wait}: the seed-compatible CLI polls the 202s until the approval. */
  @org.junit.jupiter.api.Test
  void estclientWaitPollsUntilApproved() throws Exception {
    StoreFixture.Db db = StoreFixture.h2(dir);
    Path config = config(db);
    try (EmbeddedEstServer server = EmbeddedEstServer.start(Optional.of(config), null)) {
      Path root = Files.writeString(dir.resolve("root.pem"), org.est4j.protocol.pem.PemWriter.toPem(server.root()));
      KeyPair key = KeyPairs.generate("ec:P-256");
      Path csr = Files.write(dir.resolve("dev.csr"), CsrBuilder.create().commonName("cli-polled").sign(key));
      Path out = dir.resolve("dev.pem");
      CompletableFuture<String> run = CompletableFuture.supplyAsync(() -> {
        java.io.ByteArrayOutputStream stdout = new java.io.ByteArrayOutputStream();
        java.io.ByteArrayOutputStream stderr = new java.io.ByteArrayOutputStream();
        org.est4j.cli.estclient.Io io = new org.est4j.cli.estclient.Io(stdout,
            new java.io.PrintStream(stderr, true, StandardCharsets.UTF_8), dir, java.util.Map.of(), dir.resolve("home"),
            prompt -> Optional.empty());
        int exit = org.est4j.cli.estclient.EstClientCommand.run(io, "enroll", "-server", "localhost:" + server.port(),
            "-aps", "manual", "-explicit", root.toString(), "-user", "alice", "-pass", "wonderland",
            "-csr", csr.toString(), "-out", out.toString(), "-wait", "60s");
        return exit + "\n" + stderr.toString(StandardCharsets.UTF_8);
      });
      long id = 0;
      for (int i = 0; i < 200 && id == 0; i++) {
        Thread.sleep(50);
        EstServerCli.Result list = EstServerCli.run("requests", "list", "-config", config.toString());
        Matcher m = Pattern.compile("(?m)^(\\d+)\\s+pending").matcher(list.out());
        id = m.find() ? Long.parseLong(m.group(1)) : 0;
      }
      assertThat(id).isPositive();
      Thread.sleep(1200);
      assertThat(run).as("still polling").isNotDone();
      assertThat(EstServerCli.process(dir, "requests", "approve", Long.toString(id), "-config", config.toString()).exit()).isZero();
      String result = run.get(30, java.util.concurrent.TimeUnit.SECONDS);
      assertThat(result).startsWith("0\n");
      X509Certificate cert = StoreFixture.parse(Files.readString(out));
      assertThat(cert.getPublicKey()).isEqualTo(key.getPublic());
    }
  }

  /**
   * Two server nodes on one database: a request submitted through one is delivered through the
   * other once approved; both nodes picking up one approval at the same moment deliver the same
   * certificate, recorded once.
   */
  @ParameterizedTest
  @EnumSource(StoreFixture.Kind.class)
  void anApprovalIsDeliveredByAnyNodeAndRecordedOnce(StoreFixture.Kind kind) throws Exception {
    StoreFixture.Db db = StoreFixture.of(kind, dir);
    Path config = config(db);
    try (EmbeddedEstServer a = EmbeddedEstServer.start(Optional.of(config), null);
        EmbeddedEstServer b = EmbeddedEstServer.start(Optional.of(config), null)) {
      assertThat(b.caCertificates()).as("one CA from the same files").isEqualTo(a.caCertificates());
      HttpClient ca = StoreFixture.client(a.root());
      HttpClient cb = StoreFixture.client(b.root());
      KeyPair key = StoreFixture.p256();
      for (int round = 0; round < 3; round++) {
        byte[] csr = StoreFixture.csr(key, "CN=node-test-" + round);
        long id = pendingId(enroll(ca, a.port(), "alice", "wonderland", csr));
        assertThat(pendingId(enroll(cb, b.port(), "alice", "wonderland", csr))).as("the other node finds the same row").isEqualTo(id);
        assertThat(EstServerCli.run("requests", "approve", Long.toString(id), "-config", config.toString()).exit()).isZero();
        CompletableFuture<HttpResponse<byte[]>> viaA = CompletableFuture.supplyAsync(() -> send(ca, a.port(), csr));
        CompletableFuture<HttpResponse<byte[]>> viaB = CompletableFuture.supplyAsync(() -> send(cb, b.port(), csr));
        HttpResponse<byte[]> ra = viaA.get(30, java.util.concurrent.TimeUnit.SECONDS);
        HttpResponse<byte[]> rb = viaB.get(30, java.util.concurrent.TimeUnit.SECONDS);
        assertThat(ra.statusCode()).as(new String(ra.body(), StandardCharsets.UTF_8)).isEqualTo(200);
        assertThat(rb.statusCode()).as(new String(rb.body(), StandardCharsets.UTF_8)).isEqualTo(200);
        assertThat(StoreFixture.certificateOf(ra)).isEqualTo(StoreFixture.certificateOf(rb));
      }
      try (JdbcCertificateStore store = StoreFixture.openStore(db, dir)) {
        assertThat(store.list(org.est4j.server.store.CertificateQuery.builder().subjectContains("node-test-").limit(100).build()))
            .as("one certificate per approved request").hasSize(3);
      }
    }
  }

  private static HttpResponse<byte[]> send(HttpClient client, int port, byte[] csr) {
    try {
      return enroll(client, port, "alice", "wonderland", csr);
    } catch (Exception e) {
      throw new IllegalStateException(e);
    }
  }
}
