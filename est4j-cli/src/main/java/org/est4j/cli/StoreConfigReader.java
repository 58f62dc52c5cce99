package org.est4j.cli;

import java.nio.file.Path;
import java.time.Duration;
import java.util.Optional;
import java.util.Set;

/**
 * Reads {@code data_dir} and {@code store}: a JDBC URL string, {@code memory}, or a mapping
 * {@code {url, user, password_file | password_env, pool_size, connection_timeout}}. Without a
 * {@code store} key the store is the H2 file {@code <data_dir>/est4j.mv.db}, and {@code data_dir}
 * defaults to {@code est4j-data} next to the configuration file.
 */
final class StoreConfigReader {
  static final Set<String> TOP_KEYS = Set.of("store", "data_dir");
  private static final Set<String> STORE =
      Set.of("url", "user", "password_file", "password_env", "pool_size", "connection_timeout");

  private StoreConfigReader() {}

  static StoreConfig read(ConfigNode top, Path baseDir) throws ConfigException {
    Path dataDir = top.path("data_dir").orElse(baseDir.resolve(StoreConfig.DEFAULT_DATA_DIR));
    if (!top.has("store")) {
      return withDefaults(Optional.of(StoreConfig.h2Url(dataDir)), dataDir);
    }
    Optional<String> text;
    try {
      text = top.string("store");
    } catch (ConfigException notAString) {
      text = Optional.empty(); // a mapping, read below
    }
    if (text.isPresent()) {
      return withDefaults(url(top.key("store"), text.get(), dataDir), dataDir);
    }
    ConfigNode s = top.child("store").orElseThrow();
    s.allowOnly(STORE);
    String url = s.string("url").orElseThrow(() -> new ConfigException(s.key("url"), "is required"));
    Optional<Path> passFile = s.path("password_file");
    Optional<String> passEnv = s.string("password_env");
    if (passFile.isPresent() && passEnv.isPresent()) {
      throw new ConfigException(s.key("password_file"), "give either a password file or an environment variable, not both");
    }
    int pool = s.integer("pool_size").orElse(StoreConfig.DEFAULT_POOL_SIZE);
    if (pool < 1 || pool > 1000) {
      throw new ConfigException(s.key("pool_size"), "must be between 1 and 1000");
    }
    double timeout = s.number("connection_timeout").orElse(5.0);
    if (!(timeout >= 0.25) || timeout > 600) {
      throw new ConfigException(s.key("connection_timeout"), "must be between 0.25 and 600 seconds");
    }
    return new StoreConfig(url(s.key("url"), url, dataDir), Optional.of(dataDir), s.string("user"), passFile, passEnv,
        pool, Duration.ofMillis(Math.round(timeout * 1000)), Optional.empty());
  }

  private static StoreConfig withDefaults(Optional<String> url, Path dataDir) {
    return new StoreConfig(url, Optional.of(dataDir), Optional.empty(), Optional.empty(), Optional.empty(),
        StoreConfig.DEFAULT_POOL_SIZE, StoreConfig.DEFAULT_CONNECTION_TIMEOUT, Optional.empty());
  }

  /** A store URL: {@code memory} (empty), blank (the default H2 file in {@code dataDir}), or a JDBC URL. */
  static Optional<String> url(String key, String text, Path dataDir) throws ConfigException {
    String t = text.strip();
    if (t.equalsIgnoreCase("memory")) {
      return Optional.empty();
    }
    if (t.isEmpty() && dataDir != null) {
      return Optional.of(StoreConfig.h2Url(dataDir));
    }
    if (t.startsWith("jdbc:h2:mem:")) {
      throw new ConfigException(key, "an in-memory H2 database is not durable: use 'memory' to say so, or jdbc:h2:file:PATH");
    }
    if (!t.startsWith("jdbc:h2:") && !t.startsWith("jdbc:postgresql:")) {
      throw new ConfigException(key, "must be jdbc:h2:file:PATH, jdbc:postgresql://HOST:PORT/DB or memory, not '"
          + t.replaceAll("(?i)(password=)[^&;]*", "$1***") + "'");
    }
    return Optional.of(t);
  }
}
