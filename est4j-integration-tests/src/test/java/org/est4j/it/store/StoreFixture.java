package org.est4j.it.store;

import static org.assertj.core.api.Assertions.fail;

import java.io.ByteArrayInputStream;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.KeyPair;
import java.security.KeyPairGenerator;
import java.security.cert.CertificateFactory;
import java.security.cert.X509Certificate;
import java.security.spec.ECGenParameterSpec;
import java.time.Duration;
import java.util.Base64;
import java.util.Optional;
import org.bouncycastle.asn1.x500.X500Name;
import org.bouncycastle.operator.jcajce.JcaContentSignerBuilder;
import org.bouncycastle.pkcs.jcajce.JcaPKCS10CertificationRequestBuilder;
import org.est4j.protocol.CertsOnly;
import org.est4j.protocol.EstBase64;
import org.est4j.store.jdbc.JdbcCertificateStore;
import org.est4j.store.jdbc.JdbcStoreSettings;
import org.est4j.testing.TestPki;
import org.est4j.testing.TestPostgres;
import org.junit.jupiter.api.Assumptions;

/**
 * The databases and the HTTPS client of the store suites: an H2 file under a config file's
 * data_dir (the default), or a fresh database on one PostgreSQL server per test JVM (Debian's
 * binaries; skipped when absent unless CI is set). {@link #yaml} is the store part of an
 * estserver configuration; {@link #openStore} opens the same database from the test.
 */
final class StoreFixture {
  enum Kind { H2, POSTGRES }

  /** One database: how the server's config names it, and how the test opens it. */
  record Db(Kind kind, String yaml, JdbcStoreSettings settings) {}

  private StoreFixture() {}

  /** The default store of a config file: H2 in est4j-data next to it (no store key at all). */
  static Db h2(Path configDir) {
    return new Db(Kind.H2, "", h2Settings(configDir.resolve("est4j-data")));
  }

  private static JdbcStoreSettings h2Settings(Path dataDir) {
    return JdbcStoreSettings.builder("jdbc:h2:file:" + dataDir.toAbsolutePath().resolve("est4j") + ";AUTO_SERVER=TRUE")
        .user("est4j").build();
  }

  static Db postgres(Path configDir) throws Exception {
    TestPostgres pg = server();
    String name = pg.createDatabase("est4j_it_");
    Path pw = Files.writeString(configDir.resolve("db.password"), pg.password() + "\n");
    String yaml = "store:\n  url: " + pg.jdbcUrl(name) + "\n  user: " + pg.user() + "\n  password_file: " + pw
        + "\n  connection_timeout: 1\n";
    return new Db(Kind.POSTGRES, yaml, JdbcStoreSettings.builder(pg.jdbcUrl(name)).user(pg.user())
        .password(pg.password().toCharArray()).build());
  }

  static Db of(Kind kind, Path configDir) throws Exception {
    return kind == Kind.H2 ? h2(configDir) : postgres(configDir);
  }

  /** Opens the database the server used (H2: through AUTO_SERVER, with the generated password). */
  static JdbcCertificateStore openStore(Db db, Path configDir) throws Exception {
    if (db.kind() == Kind.H2) {
      Path data = configDir.resolve("est4j-data");
      String password = Files.readString(data.resolve("h2.password"), StandardCharsets.UTF_8).strip();
      return JdbcCertificateStore.open(JdbcStoreSettings.builder(db.settings().url()).user("est4j")
          .password(password.toCharArray()).build());
    }
    return JdbcCertificateStore.open(db.settings());
  }

  /** The shared server, started on first use; aborts (or fails under CI) when not installed. */
  static TestPostgres server() throws Exception {
    Optional<Path> bin = TestPostgres.findBinaries();
    if (bin.isEmpty()) {
      if (System.getenv("CI") != null) {
        fail(TestPostgres.missingMessage() + "; CI is set, so this is a failure, not a skip");
      }
      Assumptions.abort(TestPostgres.missingMessage());
    }
    return TestPostgres.shared(bin.get());
  }

  // --- HTTPS ---------------------------------------------------------------------------------

  static HttpClient client(X509Certificate root) {
    return HttpClient.newBuilder().sslContext(TestPki.clientSslContextTrusting(root))
        .version(HttpClient.Version.HTTP_1_1).connectTimeout(Duration.ofSeconds(10)).build();
  }

  static KeyPair p256() throws Exception {
    KeyPairGenerator g = KeyPairGenerator.getInstance("EC");
    g.initialize(new ECGenParameterSpec("secp256r1"));
    return g.generateKeyPair();
  }

  static byte[] csr(KeyPair key, String subject) throws Exception {
    byte[] der = new JcaPKCS10CertificationRequestBuilder(new X500Name(subject), key.getPublic())
        .build(new JcaContentSignerBuilder("SHA256withECDSA").build(key.getPrivate())).getEncoded();
    return Base64.getEncoder().encode(der);
  }

  /** POST /simpleenroll (under {@code label} when not null) as alice. */
  static HttpResponse<byte[]> enroll(HttpClient client, int port, String label, byte[] csr) throws Exception {
    String path = "/.well-known/est/" + (label == null ? "" : label + "/") + "simpleenroll";
    HttpRequest r = HttpRequest.newBuilder(URI.create("https://localhost:" + port + path))
        .header("Content-Type", "application/pkcs10")
        .header("Authorization", "Basic " + Base64.getEncoder().encodeToString("alice:wonderland".getBytes(StandardCharsets.UTF_8)))
        .timeout(Duration.ofSeconds(30))
        .POST(HttpRequest.BodyPublishers.ofByteArray(csr)).build();
    return client.send(r, HttpResponse.BodyHandlers.ofByteArray());
  }

  static X509Certificate certificateOf(HttpResponse<byte[]> r) throws Exception {
    return CertsOnly.decode(EstBase64.decode(r.body())).get(0);
  }

  static X509Certificate parse(String pem) throws Exception {
    return (X509Certificate) CertificateFactory.getInstance("X.509")
        .generateCertificate(new ByteArrayInputStream(pem.getBytes(StandardCharsets.US_ASCII)));
  }

  /** A config for a server with user alice, the label iot, the given store, on 127.0.0.1:0. */
  static String config(Db db) {
    return "tls:\n  listen_address: 127.0.0.1:0\n"
        + "users:\n  - username: alice\n    password: wonderland\n"
        + "labels:\n  iot: {}\n" + db.yaml();
  }
}
