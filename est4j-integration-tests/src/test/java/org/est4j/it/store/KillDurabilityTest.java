package org.est4j.it.store;

import static org.assertj.core.api.Assertions.assertThat;

import java.net.http.HttpClient;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.security.KeyPair;
import java.security.cert.X509Certificate;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import javax.net.ssl.SSLContext;
import javax.net.ssl.TrustManager;
import javax.net.ssl.X509TrustManager;
import org.est4j.it.EstServerJar;
import org.est4j.store.jdbc.JdbcCertificateStore;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

/**
 * kill -9 of estserver (the shaded jar, a separate process) during a burst of enrollments: after
 * the kill, every certificate a client received a 200 for is in the store, and so is the audit
 * row of its request. Without H2's WRITE_DELAY=0 this failed: the last commits before the kill
 * were lost.
 */
class KillDurabilityTest {
  @TempDir Path dir;

  @ParameterizedTest
  @EnumSource(StoreFixture.Kind.class)
  void everyTwoHundredSurvivesAKill(StoreFixture.Kind kind) throws Exception {
    StoreFixture.Db db = StoreFixture.of(kind, dir);
    Path config = Files.writeString(dir.resolve("estserver.yaml"), StoreFixture.config(db));
    Path stderr = dir.resolve("stderr.log");
    Process server = new ProcessBuilder(EstServerJar.java(), "-Xmx256m", "-jar", EstServerJar.jar().toString(), "-config", config.toString())
        .directory(dir.toFile()).redirectOutput(dir.resolve("stdout.log").toFile()).redirectError(stderr.toFile())
        .start();
    List<String> received = Collections.synchronizedList(new ArrayList<>());
    try {
      int port = EstServerJar.awaitPort(server, stderr, Duration.ofSeconds(60));
      HttpClient client = HttpClient.newBuilder().sslContext(trustAll()).version(HttpClient.Version.HTTP_1_1).build();
      KeyPair key = StoreFixture.p256();
      byte[] csr = StoreFixture.csr(key, "CN=burst");
      AtomicBoolean stop = new AtomicBoolean();
      ExecutorService pool = Executors.newFixedThreadPool(6);
      for (int t = 0; t < 6; t++) {
        pool.submit(() -> {
          while (!stop.get()) {
            try {
              HttpResponse<byte[]> r = StoreFixture.enroll(client, port, null, csr);
              if (r.statusCode() == 200) {
                X509Certificate c = StoreFixture.certificateOf(r);
                received.add(c.getSerialNumber().toString(16));
              }
            } catch (Exception e) {
              // the server died under us: expected after the kill
            }
          }
          return null;
        });
      }
      long deadline = System.nanoTime() + 60_000_000_000L;
      while (received.size() < 150 && System.nanoTime() < deadline) {
        Thread.sleep(10);
      }
      server.destroyForcibly(); // SIGKILL, in the middle of the burst
      server.waitFor(30, TimeUnit.SECONDS);
      stop.set(true);
      pool.shutdown();
      assertThat(pool.awaitTermination(60, TimeUnit.SECONDS)).isTrue();
    } finally {
      server.destroyForcibly();
    }
    List<String> serials = List.copyOf(received);
    assertThat(serials).as("200s before the kill").hasSizeGreaterThanOrEqualTo(150);
    try (JdbcCertificateStore store = StoreFixture.openStore(db, dir)) {
      List<String> missing = serials.stream().filter(s -> store.find("default", s).isEmpty()).toList();
      assertThat(missing).as("certificates a client received but the store lost").isEmpty();
      Set<String> audited = successfulEnrollmentsAudited(store);
      List<String> unaudited = serials.stream().filter(s -> !audited.contains(s)).toList();
      assertThat(unaudited).as("certificates a client received without their audit row").isEmpty();
    }
  }

  /**
   * The serials of the audit rows of successful /simpleenroll requests. These rows commit with
   * their certificate; before they did (a writer batching rows after the response) the rows of
   * the last ~50 ms before a kill were lost.
   */
  private static Set<String> successfulEnrollmentsAudited(JdbcCertificateStore store) throws Exception {
    Set<String> out = new HashSet<>();
    try (Connection c = store.database().connection();
        PreparedStatement p = c.prepareStatement(
            "SELECT serial FROM audit_events WHERE operation = 'simpleenroll' AND outcome = 'success' AND http_status = 200");
        ResultSet rs = p.executeQuery()) {
      while (rs.next()) {
        out.add(rs.getString(1));
      }
      c.commit();
    }
    return out;
  }

  /** The server's transient root is only in its memory; TLS trust is not what this test is about. */
  private static SSLContext trustAll() throws Exception {
    SSLContext ssl = SSLContext.getInstance("TLS");
    ssl.init(null, new TrustManager[] {new X509TrustManager() {
      @Override
      public void checkClientTrusted(X509Certificate[] chain, String authType) {}

      @Override
      public void checkServerTrusted(X509Certificate[] chain, String authType) {}

      @Override
      public X509Certificate[] getAcceptedIssuers() {
        return new X509Certificate[0];
      }
    }}, null);
    return ssl;
  }
}
