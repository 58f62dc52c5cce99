package org.est4j.store.jdbc;

import com.zaxxer.hikari.HikariConfig;
import com.zaxxer.hikari.HikariDataSource;
import com.zaxxer.hikari.pool.HikariPool;
import java.sql.Connection;
import java.sql.SQLException;
import java.util.Arrays;
import javax.sql.DataSource;
import org.est4j.server.store.StoreException;

/**
 * One database for all of est4j's tables: a HikariCP connection pool, migrated to the newest
 * schema when opened. The stores (certificates now; users, tokens, requests, audit later) share
 * it. Close it to close the pool.
 */
public final class JdbcDatabase implements AutoCloseable {
  private final JdbcStoreSettings settings;
  private final Dialect dialect;
  private final HikariDataSource pool;
  private final int migrationsApplied;
  private final int schemaVersion;

  private JdbcDatabase(JdbcStoreSettings settings, HikariDataSource pool, int applied, int version) {
    this.settings = settings;
    this.dialect = Dialect.of(settings.url());
    this.pool = pool;
    this.migrationsApplied = applied;
    this.schemaVersion = version;
  }

  /**
   * Connects, and applies the schema migrations not applied yet.
   *
   * @throws StoreException when the database cannot be reached or migrated (the message says why,
   *     without the password)
   */
  public static JdbcDatabase open(JdbcStoreSettings settings) {
    Dialect dialect = Dialect.of(settings.url());
    HikariConfig config = new HikariConfig();
    config.setPoolName("est4j-store");
    config.setJdbcUrl(durableUrl(settings.url()));
    settings.user().ifPresent(config::setUsername);
    settings.password().ifPresent(p -> {
      config.setPassword(new String(p));
      Arrays.fill(p, '\0');
    });
    config.setMaximumPoolSize(settings.poolSize());
    config.setMinimumIdle(Math.min(2, settings.poolSize()));
    config.setConnectionTimeout(settings.connectionTimeout().toMillis());
    config.setAutoCommit(false); // every store method commits explicitly
    config.setInitializationFailTimeout(settings.connectionTimeout().toMillis());
    HikariDataSource pool;
    try {
      pool = new HikariDataSource(config);
    } catch (HikariPool.PoolInitializationException | IllegalArgumentException e) {
      Throwable cause = e.getCause() != null ? e.getCause() : e;
      throw new StoreException("cannot connect to the store " + settings + ": " + cause.getMessage(), e);
    }
    try {
      Migrator migrator = new Migrator(dialect);
      int applied = migrator.migrate(pool);
      return new JdbcDatabase(settings, pool, applied, migrator.latest());
    } catch (RuntimeException e) {
      pool.close();
      throw e;
    }
  }

  /**
   * H2 writes a commit to its file only after WRITE_DELAY (500 ms by default): a kill -9 inside
   * that window loses certificates the clients already received (seen in a test: the last of 40).
   * WRITE_DELAY=0 writes at each commit (a write(2), not an fsync: it survives a crashed process,
   * not a lost machine; PostgreSQL fsyncs). Applied unless the URL sets WRITE_DELAY itself.
   */
  static String durableUrl(String url) {
    if (url.startsWith("jdbc:h2:") && !url.toUpperCase(java.util.Locale.ROOT).contains(";WRITE_DELAY=")) {
      return url + ";WRITE_DELAY=0";
    }
    return url;
  }

  /** A pooled connection with auto-commit off; the caller commits and closes it. */
  public Connection connection() throws SQLException {
    return pool.getConnection();
  }

  public DataSource dataSource() {
    return pool;
  }

  /** How many migrations this open applied (0 when the schema was already current). */
  public int migrationsApplied() {
    return migrationsApplied;
  }

  public int schemaVersion() {
    return schemaVersion;
  }

  boolean isPostgres() {
    return dialect == Dialect.POSTGRESQL;
  }

  public JdbcStoreSettings settings() {
    return settings;
  }

  @Override
  public void close() {
    pool.close();
  }
}
