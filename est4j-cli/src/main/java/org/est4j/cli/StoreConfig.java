package org.est4j.cli;

import java.nio.file.Path;
import java.time.Duration;
import java.util.Optional;

/**
 * Where estserver keeps its records (config keys {@code store} and {@code data_dir}).
 *
 * @param url {@code jdbc:h2:...}, {@code jdbc:postgresql://...}, or empty for the in-memory store
 * @param dataDir the data directory (the default H2 database lives in it)
 * @param user database user (PostgreSQL)
 * @param passwordFile file holding the database password (first line)
 * @param passwordEnv environment variable holding the database password
 * @param poolSize connections in the pool
 * @param connectionTimeout how long a request waits for a connection before it fails
 * @param overriddenBy {@code EST4J_STORE} or {@code est4j.store} when that replaced the configured store
 */
record StoreConfig(
    Optional<String> url,
    Optional<Path> dataDir,
    Optional<String> user,
    Optional<Path> passwordFile,
    Optional<String> passwordEnv,
    int poolSize,
    Duration connectionTimeout,
    Optional<String> overriddenBy) {

  static final int DEFAULT_POOL_SIZE = 10;
  static final Duration DEFAULT_CONNECTION_TIMEOUT = Duration.ofSeconds(5);

  /** The database file name inside the data directory (H2 adds {@code .mv.db}). */
  static final String H2_NAME = "est4j";
  /** The data directory when a configuration file names none: next to the file. */
  static final String DEFAULT_DATA_DIR = "est4j-data";

  /** The zero-config server's: in memory (its transient CA dies with the process, so do its records). */
  static StoreConfig inMemory() {
    return new StoreConfig(Optional.empty(), Optional.empty(), Optional.empty(), Optional.empty(), Optional.empty(),
        DEFAULT_POOL_SIZE, DEFAULT_CONNECTION_TIMEOUT, Optional.empty());
  }

  /** The default of a configuration file without a {@code store} key: an H2 file in the data directory. */
  static String h2Url(Path dataDir) {
    return "jdbc:h2:file:" + dataDir.toAbsolutePath().resolve(H2_NAME);
  }

  boolean isInMemory() {
    return url.isEmpty();
  }
}
