package org.est4j.it.store;

import static org.assertj.core.api.Assertions.assertThat;

import java.net.http.HttpClient;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.KeyPair;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import org.bouncycastle.asn1.ASN1ObjectIdentifier;
import org.bouncycastle.asn1.pkcs.PKCSObjectIdentifiers;
import org.est4j.cli.EmbeddedEstServer;
import org.est4j.server.store.CertificateQuery;
import org.est4j.server.store.CertificateRecord;
import org.est4j.server.store.EnrollmentToken;
import org.est4j.store.jdbc.JdbcCertificateStore;
import org.est4j.store.jdbc.JdbcTokenStore;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

/**
 * One-time enrollment tokens end to end: created with {@code estserver tokens create} (the
 * command, in this JVM, while the server runs), presented to est4j's real HTTPS server as a Basic
 * password, a Bearer header, a CSR challengePassword and an RFC 7894 otpChallenge; refused with a
 * reason when used, expired, for another label or for another subject; and consumed exactly once
 * by 50 concurrent enrollments, with exactly one certificate row, on H2 and on PostgreSQL.
 */
class TokenEnrollmentTest {
  private static final ASN1ObjectIdentifier OTP_CHALLENGE = new ASN1ObjectIdentifier("1.2.840.113549.1.9.16.2.56");

  @TempDir Path dir;

  private Path start(StoreFixture.Db db) throws Exception {
    return Files.writeString(dir.resolve("estserver.yaml"), StoreFixture.config(db) + "only_configured_labels: true\n");
  }

  private static String create(Path config, String... extra) {
    List<String> args = new ArrayList<>(List.of("tokens", "create", "--config", config.toString()));
    args.addAll(List.of(extra));
    AuthFixture.Run r = AuthFixture.estserver(args.toArray(String[]::new));
    assertThat(r.exit()).as(r.err()).isZero();
    String token = r.out().strip();
    assertThat(token).matches("estt_[a-z2-7]{32}");
    assertThat(r.err()).doesNotContain(token);
    return token;
  }

  @ParameterizedTest
  @EnumSource(StoreFixture.Kind.class)
  void everyPresentationWorksOnceAndRefusalsSayWhy(StoreFixture.Kind kind) throws Exception {
    StoreFixture.Db db = StoreFixture.of(kind, dir);
    Path config = start(db);
    KeyPair key = StoreFixture.p256();
    try (EmbeddedEstServer server = EmbeddedEstServer.start(Optional.of(config), null)) {
      HttpClient client = StoreFixture.client(server.root());
      int port = server.port();

      String basic = create(config, "--label", "iot", "--subject-pattern", "sensor-*.example.com", "--expires", "1h");
      HttpResponse<byte[]> r = AuthFixture.enroll(client, port, "iot", StoreFixture.csr(key, "CN=sensor-1.example.com"),
          AuthFixture.basic("anyone", basic));
      assertThat(r.statusCode()).as(AuthFixture.body(r)).isEqualTo(200);
      String firstSerial = StoreFixture.certificateOf(r).getSerialNumber().toString(16);
      r = AuthFixture.enroll(client, port, "iot", StoreFixture.csr(key, "CN=sensor-1.example.com"),
          AuthFixture.basic("anyone", basic));
      assertThat(r.statusCode()).isEqualTo(403);
      assertThat(AuthFixture.body(r)).contains("already been used");

      String bearer = create(config, "--label", "iot", "--subject-pattern", "*");
      r = AuthFixture.enroll(client, port, "iot", StoreFixture.csr(key, "O=No CN here"), "Bearer " + bearer);
      assertThat(r.statusCode()).as(AuthFixture.body(r)).isEqualTo(200);

      String challenge = create(config, "--label", "iot", "--subject-pattern", "dev-?");
      r = AuthFixture.enroll(client, port, "iot", AuthFixture.csrWithAttribute(key, "CN=DEV-7",
          PKCSObjectIdentifiers.pkcs_9_at_challengePassword, challenge), null);
      assertThat(r.statusCode()).as(AuthFixture.body(r)).isEqualTo(200);

      String otp = create(config, "--label", "iot", "--subject-pattern", "dev-8");
      r = AuthFixture.enroll(client, port, "iot", AuthFixture.csrWithAttribute(key, "CN=dev-8", OTP_CHALLENGE, otp), null);
      assertThat(r.statusCode()).as(AuthFixture.body(r)).isEqualTo(200);

      String unlabelled = create(config, "--subject-pattern", "web-1");
      r = AuthFixture.enroll(client, port, "iot", StoreFixture.csr(key, "CN=web-1"), "Bearer " + unlabelled);
      assertThat(r.statusCode()).isEqualTo(403);
      assertThat(AuthFixture.body(r)).contains("is for the unlabelled path, not label 'iot'");
      r = AuthFixture.enroll(client, port, null, StoreFixture.csr(key, "CN=web-2"), "Bearer " + unlabelled);
      assertThat(r.statusCode()).isEqualTo(403);
      assertThat(AuthFixture.body(r)).contains("does not match").contains("web-1");
      r = AuthFixture.enroll(client, port, null, StoreFixture.csr(key, "CN=web-1"), "Bearer " + unlabelled);
      assertThat(r.statusCode()).as("a refused subject did not consume the token").isEqualTo(200);

      String shortLived = create(config, "--label", "iot", "--subject-pattern", "*", "--expires", "1s");
      Thread.sleep(2100);
      r = AuthFixture.enroll(client, port, "iot", StoreFixture.csr(key, "CN=late"), "Bearer " + shortLived);
      assertThat(r.statusCode()).isEqualTo(403);
      assertThat(AuthFixture.body(r)).contains("expired at");

      r = AuthFixture.enroll(client, port, "iot", StoreFixture.csr(key, "CN=x"), "Bearer estt_" + "a".repeat(32));
      assertThat(r.statusCode()).as("an unknown token is a wrong credential").isEqualTo(401);

      AuthFixture.Run list = AuthFixture.estserver("tokens", "list", "--config", config.toString());
      assertThat(list.exit()).isZero();
      assertThat(list.out()).contains("used").contains("expired").doesNotContain(basic);
      try (JdbcCertificateStore store = StoreFixture.openStore(db, dir)) {
        CertificateRecord first = store.find("default", firstSerial).orElseThrow();
        EnrollmentToken used = new JdbcTokenStore(store.database()).list(100).stream()
            .filter(t -> t.usedByRequestId().equals(Optional.of(first.requestId()))).findFirst().orElseThrow();
        assertThat(first.requester()).isEqualTo("token:" + used.id());
        assertThat(store.list(CertificateQuery.builder().limit(100).build())).hasSize(5);
      }
    }
  }

  /** A label whose configuration says {@code auth: {enroll: [token]}}: Basic is refused there, a token works. */
  @org.junit.jupiter.api.Test
  void aLabelMayAcceptTokensOnly() throws Exception {
    StoreFixture.Db db = StoreFixture.h2(dir);
    Path config = Files.writeString(dir.resolve("estserver.yaml"), "tls:\n  listen_address: 127.0.0.1:0\n"
        + "users:\n  - username: alice\n    password: wonderland\n"
        + "labels:\n  iot:\n    auth: {enroll: [token]}\n  basic:\n    auth: {enroll: [basic]}\n");
    KeyPair key = StoreFixture.p256();
    try (EmbeddedEstServer server = EmbeddedEstServer.start(Optional.of(config), null)) {
      HttpClient client = StoreFixture.client(server.root());
      byte[] csr = StoreFixture.csr(key, "CN=only-token");
      HttpResponse<byte[]> r = AuthFixture.enroll(client, server.port(), "iot", csr, AuthFixture.basic("alice", "wonderland"));
      assertThat(r.statusCode()).isEqualTo(403);
      assertThat(AuthFixture.body(r)).contains("HTTP Basic may not be used").contains("[token]");
      String iot = create(config, "--label", "iot", "--subject-pattern", "only-token");
      r = AuthFixture.enroll(client, server.port(), "iot", csr, AuthFixture.basic("token", iot));
      assertThat(r.statusCode()).as(AuthFixture.body(r)).isEqualTo(200);
      String other = create(config, "--label", "basic", "--subject-pattern", "*");
      r = AuthFixture.enroll(client, server.port(), "basic", csr, "Bearer " + other);
      assertThat(r.statusCode()).isEqualTo(403);
      assertThat(AuthFixture.body(r)).contains("an enrollment token may not be used for simpleenroll").contains("[basic]");
    }
  }

  /** §6: two server processes' worth of nodes on one PostgreSQL; the token races through both. */
  @org.junit.jupiter.api.Test
  void aTokenRacedThroughTwoNodesIsUsedOnce() throws Exception {
    StoreFixture.Db db = StoreFixture.postgres(dir);
    Path config = start(db);
    KeyPair key = StoreFixture.p256();
    try (EmbeddedEstServer a = EmbeddedEstServer.start(Optional.of(config), null);
        EmbeddedEstServer b = EmbeddedEstServer.start(Optional.of(config), null)) {
      String token = create(config, "--label", "iot", "--subject-pattern", "*");
      HttpClient toA = StoreFixture.client(a.root());
      HttpClient toB = StoreFixture.client(b.root());
      ExecutorService pool = Executors.newFixedThreadPool(40);
      CountDownLatch go = new CountDownLatch(1);
      List<Future<Integer>> results = new ArrayList<>();
      try {
        for (int i = 0; i < 40; i++) {
          boolean nodeA = i % 2 == 0;
          byte[] csr = StoreFixture.csr(key, "CN=node-race-" + i);
          results.add(pool.submit(() -> {
            go.await();
            return AuthFixture.enroll(nodeA ? toA : toB, nodeA ? a.port() : b.port(), "iot", csr, "Bearer " + token)
                .statusCode();
          }));
        }
        go.countDown();
        int ok = 0;
        for (Future<Integer> f : results) {
          int status = f.get();
          assertThat(status).isIn(200, 403);
          ok += status == 200 ? 1 : 0;
        }
        assertThat(ok).isEqualTo(1);
      } finally {
        pool.shutdownNow();
      }
      try (JdbcCertificateStore store = StoreFixture.openStore(db, dir)) {
        assertThat(store.list(CertificateQuery.builder().limit(1000).build())).hasSize(1);
      }
    }
  }

  @ParameterizedTest
  @EnumSource(StoreFixture.Kind.class)
  void aTokenPaysForOneRequestHeldForApproval(StoreFixture.Kind kind) throws Exception {
    StoreFixture.Db db = StoreFixture.of(kind, dir);
    Path config = Files.writeString(dir.resolve("estserver.yaml"),
        StoreFixture.config(db).replace("labels:\n  iot: {}\n", "labels:\n  iot: {}\n  held: {approval: manual}\n"));
    KeyPair key = StoreFixture.p256();
    try (EmbeddedEstServer server = EmbeddedEstServer.start(Optional.of(config), null)) {
      HttpClient client = StoreFixture.client(server.root());
      int port = server.port();
      String token = create(config, "--label", "held", "--subject-pattern", "meter-*");
      byte[] csr = StoreFixture.csr(key, "CN=meter-1");

      HttpResponse<byte[]> r = AuthFixture.enroll(client, port, "held", csr, "Bearer " + token);
      assertThat(r.statusCode()).as(AuthFixture.body(r)).isEqualTo(202);
      r = AuthFixture.enroll(client, port, "held", csr, AuthFixture.basic("meter", token));
      assertThat(r.statusCode()).as("retried with the token it paid with").isEqualTo(202);
      r = AuthFixture.enroll(client, port, "held", StoreFixture.csr(StoreFixture.p256(), "CN=meter-2"), "Bearer " + token);
      assertThat(r.statusCode()).isEqualTo(403);
      assertThat(AuthFixture.body(r)).contains("already been used");

      long id;
      try (JdbcCertificateStore store = StoreFixture.openStore(db, dir)) {
        var pending = new org.est4j.store.jdbc.JdbcPendingRequestStore(store.database()).list(Optional.empty(), 10);
        assertThat(pending).singleElement().satisfies(p -> assertThat(p.requester()).startsWith("token:"));
        id = pending.get(0).id();
        EnrollmentToken spent = new JdbcTokenStore(store.database()).list(10).get(0);
        assertThat(spent.usedByRequestId()).contains(pending.get(0).requestId());
      }
      AuthFixture.Run approve = AuthFixture.estserver("requests", "approve", Long.toString(id), "--config", config.toString());
      assertThat(approve.exit()).as(approve.err()).isZero();
      r = AuthFixture.enroll(client, port, "held", csr, "Bearer " + token);
      assertThat(r.statusCode()).as(AuthFixture.body(r)).isEqualTo(200);
      assertThat(StoreFixture.certificateOf(r).getPublicKey()).isEqualTo(key.getPublic());
    }
  }

  @ParameterizedTest
  @EnumSource(StoreFixture.Kind.class)
  void fiftyConcurrentAttemptsExactlyOneCertificate(StoreFixture.Kind kind) throws Exception {
    StoreFixture.Db db = StoreFixture.of(kind, dir);
    Path config = start(db);
    KeyPair key = StoreFixture.p256();
    int attempts = 50;
    try (EmbeddedEstServer server = EmbeddedEstServer.start(Optional.of(config), null)) {
      String token = create(config, "--label", "iot", "--subject-pattern", "race-*");
      HttpClient client = StoreFixture.client(server.root());
      byte[][] csrs = new byte[attempts][];
      for (int i = 0; i < attempts; i++) {
        csrs[i] = StoreFixture.csr(key, "CN=race-" + i);
      }
      ExecutorService pool = Executors.newFixedThreadPool(attempts);
      CountDownLatch go = new CountDownLatch(1);
      List<Future<HttpResponse<byte[]>>> results = new ArrayList<>();
      try {
        for (int i = 0; i < attempts; i++) {
          byte[] csr = csrs[i];
          results.add(pool.submit(() -> {
            go.await();
            return AuthFixture.enroll(client, server.port(), "iot", csr, "Bearer " + token);
          }));
        }
        go.countDown();
        int ok = 0;
        for (Future<HttpResponse<byte[]>> f : results) {
          HttpResponse<byte[]> r = f.get();
          if (r.statusCode() == 200) {
            ok++;
          } else {
            assertThat(r.statusCode()).as(AuthFixture.body(r)).isEqualTo(403);
            assertThat(AuthFixture.body(r)).contains("already been used");
          }
        }
        assertThat(ok).isEqualTo(1);
      } finally {
        pool.shutdownNow();
      }
      try (JdbcCertificateStore store = StoreFixture.openStore(db, dir)) {
        List<CertificateRecord> rows = store.list(CertificateQuery.builder().limit(1000).build());
        assertThat(rows).hasSize(1);
        EnrollmentToken t = new JdbcTokenStore(store.database()).list(10).get(0);
        assertThat(t.usedByRequestId()).contains(rows.get(0).requestId());
      }
    }
  }
}
