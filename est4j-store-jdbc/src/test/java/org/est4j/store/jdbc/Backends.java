package org.est4j.store.jdbc;

import static org.assertj.core.api.Assertions.fail;

import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.Statement;
import java.util.Optional;
import java.util.concurrent.atomic.AtomicInteger;
import org.est4j.testing.TestPostgres;
import org.junit.jupiter.api.Assumptions;

/**
 * The real databases the store tests run against: an H2 file in a temp directory, and one
 * PostgreSQL server per test JVM (Debian's binaries, started on first use, stopped at exit),
 * with a fresh database per test. No PostgreSQL: the test is skipped, unless CI is set.
 */
final class Backends {
  private static final AtomicInteger DATABASES = new AtomicInteger();
  private static TestPostgres postgres;

  private Backends() {}

  static JdbcStoreSettings h2(Path dir) {
    return JdbcStoreSettings.builder("jdbc:h2:file:" + dir.resolve("est4j").toAbsolutePath()).build();
  }

  /** The shared server, started on first use; aborts (or fails under CI) when not installed. */
  static synchronized TestPostgres postgres() throws Exception {
    if (postgres == null) {
      Optional<Path> bin = TestPostgres.findBinaries();
      if (bin.isEmpty()) {
        if (System.getenv("CI") != null) {
          fail(TestPostgres.missingMessage() + "; CI is set, so this is a failure, not a skip");
        }
        Assumptions.abort(TestPostgres.missingMessage());
      }
      TestPostgres pg = TestPostgres.start(bin.get());
      Runtime.getRuntime().addShutdownHook(new Thread(() -> {
        try {
          pg.close();
        } catch (Exception e) {
          // the JVM is exiting; the temp directory may stay behind
        }
      }));
      postgres = pg;
    }
    return postgres;
  }

  /** A new, empty database on the shared PostgreSQL server. */
  static JdbcStoreSettings freshPostgres() throws Exception {
    TestPostgres pg = postgres();
    String name = "est4j_test_" + DATABASES.incrementAndGet();
    try (Connection c = DriverManager.getConnection(pg.jdbcUrl(), pg.user(), pg.password());
        Statement s = c.createStatement()) {
      s.execute("CREATE DATABASE " + name);
    }
    return JdbcStoreSettings.builder(pg.jdbcUrl(name)).user(pg.user()).password(pg.password().toCharArray()).build();
  }
}
