package org.est4j.store.jdbc;

import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import javax.sql.DataSource;
import org.est4j.server.store.StoreException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Versioned schema migrations: the SQL scripts listed in {@code migrations/index.txt}, applied in
 * order, each once, recorded in {@code schema_version} with its SHA-256 (an applied script that
 * changed afterwards stops the start). Several nodes starting at once on one PostgreSQL serialise
 * on an advisory lock; an H2 file belongs to one process, so a JVM-wide lock is enough there.
 *
 * <p>Our own ~150 lines rather than Flyway: Flyway 10+ needs a separate artifact per database and
 * brings Jackson and a few MB into the server jar for what is here an ordered list of scripts.
 */
final class Migrator {
  private static final Logger LOG = LoggerFactory.getLogger(Migrator.class);
  private static final String DIR = "migrations/";
  /** pg_advisory_lock key: "est4j" as an integer, fixed so every node takes the same lock. */
  private static final long PG_LOCK = 0x6573_7434_6aL;
  private static final Object JVM_LOCK = new Object();

  private final Dialect dialect;
  private final Map<Integer, Script> scripts;

  record Script(int version, String name, String sql, String sha256) {}

  Migrator(Dialect dialect) {
    this.dialect = dialect;
    this.scripts = load();
  }

  /** The newest schema version these scripts produce. */
  int latest() {
    return scripts.keySet().stream().mapToInt(Integer::intValue).max().orElse(0);
  }

  /** Applies the scripts not yet applied; returns how many were applied (0 on a second start). */
  int migrate(DataSource ds) {
    synchronized (JVM_LOCK) {
      try (Connection c = ds.getConnection()) {
        c.setAutoCommit(false);
        try (Statement s = c.createStatement()) {
          if (dialect == Dialect.POSTGRESQL) {
            // session lock, before CREATE TABLE IF NOT EXISTS (which races between nodes otherwise)
            s.execute("SELECT pg_advisory_lock(" + PG_LOCK + ")");
          }
          s.execute("CREATE TABLE IF NOT EXISTS schema_version ("
              + "version INTEGER NOT NULL PRIMARY KEY, script VARCHAR(255) NOT NULL, "
              + "sha256 CHAR(64) NOT NULL, applied_at TIMESTAMP WITH TIME ZONE NOT NULL)");
          c.commit();
          Map<Integer, String> applied = applied(c);
          int count = 0;
          for (Script script : scripts.values()) {
            String sha = applied.get(script.version());
            if (sha != null) {
              if (!sha.equals(script.sha256())) {
                throw new StoreException("schema migration " + script.name() + " was changed after it was applied "
                    + "(recorded SHA-256 " + sha + ", now " + script.sha256() + "): restore it and add a new migration");
              }
              continue;
            }
            apply(c, s, script);
            count++;
          }
          int newest = applied.keySet().stream().mapToInt(Integer::intValue).max().orElse(0);
          if (newest > latest()) {
            throw new StoreException("the database has schema version " + newest + ", newer than this est4j ("
                + latest() + "): upgrade est4j");
          }
          c.commit();
          return count;
        } catch (SQLException | RuntimeException e) {
          c.rollback();
          throw e;
        } finally {
          if (dialect == Dialect.POSTGRESQL) {
            try (Statement s = c.createStatement()) {
              s.execute("SELECT pg_advisory_unlock(" + PG_LOCK + ")");
            }
            c.commit();
          }
        }
      } catch (SQLException e) {
        throw new StoreException("schema migration failed: " + e.getMessage(), e);
      }
    }
  }

  private void apply(Connection c, Statement s, Script script) throws SQLException {
    LOG.info("applying schema migration {}", script.name());
    for (String statement : statements(script.sql())) {
      s.execute(statement);
    }
    try (PreparedStatement p =
        c.prepareStatement("INSERT INTO schema_version (version, script, sha256, applied_at) VALUES (?, ?, ?, ?)")) {
      p.setInt(1, script.version());
      p.setString(2, script.name());
      p.setString(3, script.sha256());
      p.setObject(4, OffsetDateTime.now(ZoneOffset.UTC));
      p.executeUpdate();
    }
    c.commit(); // PostgreSQL: script and version row together; H2 commits DDL as it goes
  }

  private static Map<Integer, String> applied(Connection c) throws SQLException {
    Map<Integer, String> out = new LinkedHashMap<>();
    try (Statement s = c.createStatement(); ResultSet rs = s.executeQuery("SELECT version, sha256 FROM schema_version")) {
      while (rs.next()) {
        out.put(rs.getInt(1), rs.getString(2).trim());
      }
    }
    return out;
  }

  /** Statements end with ';' at the end of a line; lines starting with '--' are comments. */
  static List<String> statements(String sql) {
    List<String> out = new ArrayList<>();
    StringBuilder current = new StringBuilder();
    for (String line : sql.split("\n")) {
      String t = line.strip();
      if (t.isEmpty() || t.startsWith("--")) {
        continue;
      }
      current.append(line).append('\n');
      if (t.endsWith(";")) {
        String st = current.toString().strip();
        out.add(st.substring(0, st.length() - 1));
        current.setLength(0);
      }
    }
    if (!current.toString().isBlank()) {
      throw new IllegalStateException("migration script ends without ';': " + current);
    }
    return out;
  }

  private static Map<Integer, Script> load() {
    Map<Integer, Script> out = new LinkedHashMap<>();
    for (String line : resource("index.txt").split("\n")) {
      String name = line.strip();
      if (name.isEmpty() || name.startsWith("#")) {
        continue;
      }
      if (!name.matches("V[1-9][0-9]*__[A-Za-z0-9_]+\\.sql")) {
        throw new IllegalStateException("bad migration name in index.txt: " + name);
      }
      int version = Integer.parseInt(name.substring(1, name.indexOf("__")));
      if (version != out.size() + 1) {
        throw new IllegalStateException("migrations must be numbered 1, 2, 3... in order; got " + name);
      }
      String sql = resource(name);
      out.put(version, new Script(version, name, sql, sha256(sql)));
    }
    return out;
  }

  private static String resource(String name) {
    try (InputStream in = Migrator.class.getResourceAsStream(DIR + name)) {
      if (in == null) {
        throw new IllegalStateException("missing migration resource " + DIR + name);
      }
      return new String(in.readAllBytes(), StandardCharsets.UTF_8).replace("\r\n", "\n");
    } catch (IOException e) {
      throw new IllegalStateException("cannot read migration resource " + DIR + name, e);
    }
  }

  private static String sha256(String text) {
    try {
      return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(text.getBytes(StandardCharsets.UTF_8)));
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException(e);
    }
  }
}
