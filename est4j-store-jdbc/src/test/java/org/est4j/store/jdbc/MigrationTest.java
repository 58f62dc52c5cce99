package org.est4j.store.jdbc;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DatabaseMetaData;
import java.sql.ResultSet;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import org.est4j.server.store.StoreException;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Migrations create every table once; a second start does nothing; tampering stops the start. */
class MigrationTest {
  private static final List<String> TABLES =
      List.of("audit_events", "certificates", "pending_requests", "schema_version", "tokens", "users");

  @TempDir Path dir;

  @Test
  void h2() throws Exception {
    check(Backends.h2(dir));
  }

  @Test
  void postgres() throws Exception {
    check(Backends.freshPostgres());
  }

  /** The number of scripts in migrations/index.txt (each migration adds one). */
  private static int latest() throws java.io.IOException {
    try (java.io.InputStream in = JdbcDatabase.class.getResourceAsStream("migrations/index.txt")) {
      return (int) new String(in.readAllBytes(), java.nio.charset.StandardCharsets.UTF_8).lines()
          .map(String::strip).filter(l -> !l.isEmpty() && !l.startsWith("#")).count();
    }
  }

  private static void check(JdbcStoreSettings settings) throws Exception {
    try (JdbcDatabase first = JdbcDatabase.open(settings)) {
      assertThat(first.migrationsApplied()).isEqualTo(latest());
      assertThat(first.schemaVersion()).isEqualTo(latest());
      assertThat(tables(first)).containsAll(TABLES);
    }
    try (JdbcDatabase second = JdbcDatabase.open(settings)) {
      assertThat(second.migrationsApplied()).isZero();
      assertThat(count(second, "SELECT COUNT(*) FROM schema_version")).isEqualTo(latest());
      try (Connection c = second.connection(); Statement s = c.createStatement()) {
        s.executeUpdate("UPDATE schema_version SET sha256 = '" + "0".repeat(64) + "' WHERE version = 1");
        c.commit();
      }
    }
    assertThatThrownBy(() -> JdbcDatabase.open(settings))
        .isInstanceOf(StoreException.class)
        .hasMessageContaining("V1__initial_schema.sql was changed after it was applied");
  }

  @Test
  void aNewerSchemaThanThisBuildIsRefused() throws Exception {
    JdbcStoreSettings settings = Backends.h2(dir);
    try (JdbcDatabase db = JdbcDatabase.open(settings);
        Connection c = db.connection();
        Statement s = c.createStatement()) {
      s.executeUpdate("INSERT INTO schema_version VALUES (99, 'V99__future.sql', '" + "1".repeat(64)
          + "', CURRENT_TIMESTAMP)");
      c.commit();
    }
    assertThatThrownBy(() -> JdbcDatabase.open(settings))
        .isInstanceOf(StoreException.class)
        .hasMessageContaining("schema version 99, newer than this est4j (" + latest() + ")");
  }

  @Test
  void anUnreachableDatabaseIsAClearErrorWithoutThePassword() {
    JdbcStoreSettings settings = JdbcStoreSettings.builder("jdbc:postgresql://127.0.0.1:1/est4j?password=hunter2")
        .user("est4j").password("s3cret-pw".toCharArray()).connectionTimeout(java.time.Duration.ofMillis(500)).build();
    assertThatThrownBy(() -> JdbcDatabase.open(settings))
        .isInstanceOf(StoreException.class)
        .hasMessageContaining("cannot connect to the store jdbc:postgresql://127.0.0.1:1/est4j?password=***")
        .hasMessageNotContaining("hunter2")
        .hasMessageNotContaining("s3cret-pw");
  }

  @Test
  void unsupportedUrlsAreRefusedByName() {
    assertThatThrownBy(() -> JdbcStoreSettings.builder("jdbc:mysql://x/y").build())
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("expected jdbc:h2:file:PATH or jdbc:postgresql://HOST:PORT/DB");
  }

  @Test
  void scriptsSplitIntoStatements() {
    assertThat(Migrator.statements("-- c\nCREATE TABLE a (x INT);\n\nCREATE INDEX i\n  ON a (x);\n"))
        .containsExactly("CREATE TABLE a (x INT)", "CREATE INDEX i\n  ON a (x)");
  }

  private static List<String> tables(JdbcDatabase db) throws Exception {
    List<String> out = new ArrayList<>();
    try (Connection c = db.connection()) {
      DatabaseMetaData md = c.getMetaData();
      try (ResultSet rs = md.getTables(null, null, "%", new String[] {"TABLE", "BASE TABLE"})) {
        while (rs.next()) {
          out.add(rs.getString("TABLE_NAME").toLowerCase(Locale.ROOT));
        }
      }
      c.commit();
    }
    return out;
  }

  private static long count(JdbcDatabase db, String sql) throws Exception {
    try (Connection c = db.connection(); Statement s = c.createStatement(); ResultSet rs = s.executeQuery(sql)) {
      rs.next();
      long n = rs.getLong(1);
      c.commit();
      return n;
    }
  }
}
