package org.est4j.it.store;

import static org.assertj.core.api.Assertions.assertThat;

import java.net.http.HttpClient;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.KeyPair;
import java.util.Optional;
import org.est4j.cli.EmbeddedEstServer;
import org.est4j.server.store.StoredUser;
import org.est4j.store.jdbc.JdbcCertificateStore;
import org.est4j.store.jdbc.JdbcUserDirectory;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

/**
 * Basic users: {@code estserver users add|passwd|remove|list} against the store of a running
 * server (H2 and PostgreSQL), Argon2id hashes only, next to the configuration file's users.
 */
class StoredUsersTest {
  @TempDir Path dir;

  @ParameterizedTest
  @EnumSource(StoreFixture.Kind.class)
  void usersAddedWithTheCommandAuthenticate(StoreFixture.Kind kind) throws Exception {
    StoreFixture.Db db = StoreFixture.of(kind, dir);
    Path config = Files.writeString(dir.resolve("estserver.yaml"), StoreFixture.config(db));
    String cfg = config.toString();
    Path pw = Files.writeString(dir.resolve("bob.pw"), "correct horse battery\n");
    Path pw2 = Files.writeString(dir.resolve("bob2.pw"), "staple of the month\n");
    KeyPair key = StoreFixture.p256();
    try (EmbeddedEstServer server = EmbeddedEstServer.start(Optional.of(config), null)) {
      HttpClient client = StoreFixture.client(server.root());
      int port = server.port();
      byte[] csr = StoreFixture.csr(key, "CN=bob-device");

      assertThat(AuthFixture.enroll(client, port, null, csr, AuthFixture.basic("bob", "correct horse battery")).statusCode())
          .as("no such user yet").isEqualTo(401);
      AuthFixture.Run add = AuthFixture.estserver("users", "add", "bob", "--password-file", pw.toString(), "--config", cfg);
      assertThat(add.exit()).as(add.err()).isZero();
      assertThat(add.out() + add.err()).doesNotContain("correct horse");

      assertThat(AuthFixture.enroll(client, port, null, csr, AuthFixture.basic("bob", "correct horse battery")).statusCode())
          .isEqualTo(200);
      assertThat(AuthFixture.enroll(client, port, null, csr, AuthFixture.basic("bob", "wrong horse battery")).statusCode())
          .isEqualTo(401);
      assertThat(AuthFixture.enroll(client, port, "iot", csr, AuthFixture.basic("alice", "wonderland")).statusCode())
          .as("the config file's user").isEqualTo(200);

      AuthFixture.Run scoped = AuthFixture.estserver("users", "add", "sensor", "--labels", "iot", "--password-file",
          pw.toString(), "--config", cfg);
      assertThat(scoped.exit()).as(scoped.err()).isZero();
      assertThat(AuthFixture.enroll(client, port, "iot", csr, AuthFixture.basic("sensor", "correct horse battery")).statusCode())
          .isEqualTo(200);
      var elsewhere = AuthFixture.enroll(client, port, null, csr, AuthFixture.basic("sensor", "correct horse battery"));
      assertThat(elsewhere.statusCode()).as("limited to iot").isEqualTo(403);
      assertThat(AuthFixture.body(elsewhere)).contains("user 'sensor' may not enroll on the unlabelled path (its labels: iot)");
      AuthFixture.Run badLabel = AuthFixture.estserver("users", "add", "x", "--labels", "cacerts", "--password-file",
          pw.toString(), "--config", cfg);
      assertThat(badLabel.exit()).isEqualTo(2);
      assertThat(badLabel.err()).contains("--labels: 'cacerts' is not a valid label");

      AuthFixture.Run again = AuthFixture.estserver("users", "add", "bob", "--password-file", pw.toString(), "--config", cfg);
      assertThat(again.exit()).isEqualTo(1);
      assertThat(again.err()).contains("exists");
      AuthFixture.Run shadow = AuthFixture.estserver("users", "add", "alice", "--password-file", pw.toString(), "--config", cfg);
      assertThat(shadow.exit()).isEqualTo(2);
      assertThat(shadow.err()).contains("defined in");

      AuthFixture.Run list = AuthFixture.estserver("users", "list", "--config", cfg);
      assertThat(list.exit()).isZero();
      assertThat(list.out()).containsPattern("alice +config +argon2id +\\* ").containsPattern("bob +store +argon2id +\\* ")
          .containsPattern("sensor +store +argon2id +iot ")
          .doesNotContain("$argon2id$").doesNotContain("correct horse");

      try (JdbcCertificateStore store = StoreFixture.openStore(db, dir)) {
        StoredUser bob = new JdbcUserDirectory(store.database()).find("bob").orElseThrow();
        assertThat(bob.passwordHash()).startsWith("$argon2id$v=19$m=65536,t=3,p=4$");
      }

      AuthFixture.Run passwd = AuthFixture.estserver("users", "passwd", "bob", "--password-file", pw2.toString(), "--config", cfg);
      assertThat(passwd.exit()).as(passwd.err()).isZero();
      Thread.sleep(5_500); // the server's user lookups are cached for 5 s
      assertThat(AuthFixture.enroll(client, port, null, csr, AuthFixture.basic("bob", "correct horse battery")).statusCode())
          .as("the old password").isEqualTo(401);
      assertThat(AuthFixture.enroll(client, port, null, csr, AuthFixture.basic("bob", "staple of the month")).statusCode())
          .isEqualTo(200);

      AuthFixture.Run remove = AuthFixture.estserver("users", "remove", "bob", "--config", cfg);
      assertThat(remove.exit()).as(remove.err()).isZero();
      Thread.sleep(5_500);
      assertThat(AuthFixture.enroll(client, port, null, csr, AuthFixture.basic("bob", "staple of the month")).statusCode())
          .isEqualTo(401);
    }
  }
}
