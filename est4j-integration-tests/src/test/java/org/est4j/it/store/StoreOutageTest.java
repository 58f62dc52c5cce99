package org.est4j.it.store;

import static org.assertj.core.api.Assertions.assertThat;

import java.net.http.HttpClient;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.KeyPair;
import java.util.Optional;
import org.est4j.cli.EmbeddedEstServer;
import org.est4j.server.store.CertificateQuery;
import org.est4j.testing.TestPostgres;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * PostgreSQL stopped under a running server: enrollments get a 500 naming the request id and no
 * certificate; once the database is back the same server issues (and records) again.
 */
class StoreOutageTest {
  @TempDir Path dir;

  @Test
  void aStoppedDatabaseIsA500AndTheServerRecoversWithIt() throws Exception {
    StoreFixture.Db db = StoreFixture.postgres(dir);
    TestPostgres pg = StoreFixture.server();
    Path config = Files.writeString(dir.resolve("estserver.yaml"), StoreFixture.config(db));
    KeyPair key = StoreFixture.p256();
    byte[] csr = StoreFixture.csr(key, "CN=outage");
    try (EmbeddedEstServer server = EmbeddedEstServer.start(Optional.of(config), null)) {
      HttpClient client = StoreFixture.client(server.root());
      assertThat(StoreFixture.enroll(client, server.port(), null, csr).statusCode()).isEqualTo(200);

      pg.stop();
      try {
        for (int i = 0; i < 3; i++) {
          HttpResponse<byte[]> r = StoreFixture.enroll(client, server.port(), null, csr);
          String body = new String(r.body(), StandardCharsets.UTF_8);
          assertThat(r.statusCode()).as(body).isEqualTo(500);
          String rid = r.headers().firstValue("X-Request-Id").orElseThrow();
          assertThat(body).isEqualTo("500 internal server error (request id " + rid + ")\n");
          assertThat(r.headers().firstValue("Content-Type")).hasValueSatisfying(t -> assertThat(t).startsWith("text/plain"));
        }
        HttpResponse<String> ready = readyz(client, server.port());
        assertThat(ready.statusCode()).as(ready.body()).isEqualTo(503);
        assertThat(ready.body()).startsWith("not ready\n").contains("\nca: ok\n").containsPattern("\nstore: \\S");
        // what needs no store keeps working
        assertThat(client.send(java.net.http.HttpRequest.newBuilder(
                java.net.URI.create("https://localhost:" + server.port() + "/.well-known/est/cacerts")).build(),
            HttpResponse.BodyHandlers.ofByteArray()).statusCode()).isEqualTo(200);
      } finally {
        pg.startServer();
      }

      int ok = 0;
      int twoHundreds = 1;
      long deadline = System.nanoTime() + 20_000_000_000L;
      while (ok < 5 && System.nanoTime() < deadline) { // the pool replaces its dead connections
        int status = StoreFixture.enroll(client, server.port(), null, csr).statusCode();
        ok = status == 200 ? ok + 1 : 0;
        twoHundreds += status == 200 ? 1 : 0;
      }
      assertThat(ok).as("five 200s in a row after the database came back").isEqualTo(5);
      HttpResponse<String> ready = readyz(client, server.port());
      assertThat(ready.statusCode()).as(ready.body()).isEqualTo(200);
      assertThat(ready.body()).contains("store: ok");
      assertThat(server.certificateStore().list(CertificateQuery.builder().build()))
          .as("one row per 200; the 500s left nothing")
          .hasSize(twoHundreds);
    }
  }

  private static HttpResponse<String> readyz(HttpClient client, int port) throws Exception {
    return client.send(java.net.http.HttpRequest.newBuilder(
            java.net.URI.create("https://localhost:" + port + "/readyz")).build(),
        HttpResponse.BodyHandlers.ofString());
  }
}
