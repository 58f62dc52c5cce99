package org.est4j.cli;

import java.util.Optional;

/**
 * The store an operator names outside the configuration: environment variable {@code EST4J_STORE}
 * or system property {@code est4j.store} (the property wins), a JDBC URL ({@code jdbc:h2:file:...},
 * {@code jdbc:postgresql://...}, which may carry {@code user} and {@code password} parameters) or
 * {@code memory}. It replaces a configuration file's {@code store} key, and the zero-config
 * server's in-memory store, for the server and for estserver's store commands alike, so that both
 * agree on where the records are. A blank value counts as unset.
 */
final class StoreOverride {
  static final String ENV = "EST4J_STORE";
  static final String PROPERTY = "est4j.store";

  private StoreOverride() {}

  /** {@code config} with the store of {@code est4j.store} / {@code EST4J_STORE}, if either is set. */
  static ServerConfig apply(ServerConfig config) throws ConfigException {
    return apply(config, System.getenv(ENV), System.getProperty(PROPERTY));
  }

  /** As {@link #apply(ServerConfig)} with the variable's and the property's values given (null: unset). */
  static ServerConfig apply(ServerConfig config, String env, String property) throws ConfigException {
    Optional<StoreConfig> store = read(config.store(), env, property);
    return store.isPresent() ? config.withStore(store.get()) : config;
  }

  /**
   * The store that replaces {@code base}: the override's URL with the default pool size and
   * connection timeout (the whole {@code store} key is replaced); the data directory stays (it
   * still holds the embedded CAs). Errors name the variable or the property.
   */
  static Optional<StoreConfig> read(StoreConfig base, String env, String property) throws ConfigException {
    String key;
    String value;
    if (property != null && !property.isBlank()) {
      key = PROPERTY;
      value = property;
    } else if (env != null && !env.isBlank()) {
      key = ENV;
      value = env;
    } else {
      return Optional.empty();
    }
    Optional<String> url = StoreConfigReader.url(key, value, null);
    return Optional.of(new StoreConfig(url, base.dataDir(), Optional.empty(), Optional.empty(), Optional.empty(),
        StoreConfig.DEFAULT_POOL_SIZE, StoreConfig.DEFAULT_CONNECTION_TIMEOUT, Optional.of(key)));
  }
}
