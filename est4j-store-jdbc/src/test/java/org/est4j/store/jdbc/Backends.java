package org.est4j.store.jdbc;

import static org.assertj.core.api.Assertions.fail;

import java.nio.file.Path;
import java.util.Optional;
import org.est4j.testing.TestPostgres;
import org.junit.jupiter.api.Assumptions;

/**
 * The real databases the store tests run against: an H2 file in a temp directory, and one
 * PostgreSQL server per test JVM (Debian's binaries, started on first use, stopped at exit),
 * with a fresh database per test. No PostgreSQL: the test is skipped, unless CI is set.
 */
final class Backends {
  private Backends() {}

  static JdbcStoreSettings h2(Path dir) {
    return JdbcStoreSettings.builder("jdbc:h2:file:" + dir.resolve("est4j").toAbsolutePath()).build();
  }

  /** The shared server, started on first use; aborts (or fails under CI) when not installed. */
  static TestPostgres postgres() throws Exception {
    Optional<Path> bin = TestPostgres.findBinaries();
    if (bin.isEmpty()) {
      if (System.getenv("CI") != null) {
        fail(TestPostgres.missingMessage() + "; CI is set, so this is a failure, not a skip");
      }
      Assumptions.abort(TestPostgres.missingMessage());
    }
    return TestPostgres.shared(bin.get());
  }

  /** A new, empty database on the shared PostgreSQL server. */
  static JdbcStoreSettings freshPostgres() throws Exception {
    TestPostgres pg = postgres();
    String name = pg.createDatabase("est4j_test_");
    return JdbcStoreSettings.builder(pg.jdbcUrl(name)).user(pg.user()).password(pg.password().toCharArray()).build();
  }
}
