package org.est4j.store.jdbc;

import java.time.Duration;
import java.util.Arrays;
import java.util.Objects;
import java.util.Optional;

/**
 * Where the store's database is and how to reach it. Made with {@link #builder(String)}; checked
 * in {@link Builder#build()}. The password is kept as a char array and never appears in
 * {@link #toString()} or in {@link #redactedUrl()}.
 */
public final class JdbcStoreSettings {
  public static final int DEFAULT_POOL_SIZE = 10;
  public static final Duration DEFAULT_CONNECTION_TIMEOUT = Duration.ofSeconds(5);

  private final String url;
  private final Optional<String> user;
  private final char[] password;
  private final int poolSize;
  private final Duration connectionTimeout;

  private JdbcStoreSettings(Builder b) {
    this.url = b.url;
    this.user = b.user;
    this.password = b.password == null ? null : b.password.clone();
    this.poolSize = b.poolSize;
    this.connectionTimeout = b.connectionTimeout;
  }

  public static Builder builder(String url) {
    return new Builder(url);
  }

  public String url() {
    return url;
  }

  public Optional<String> user() {
    return user;
  }

  /** A copy of the password, if one is set. */
  public Optional<char[]> password() {
    return password == null ? Optional.empty() : Optional.of(password.clone());
  }

  public int poolSize() {
    return poolSize;
  }

  /** How long a request waits for a connection before it fails (a 500) when the database is down. */
  public Duration connectionTimeout() {
    return connectionTimeout;
  }

  /** The URL with the values of any {@code password=} parameters replaced by {@code ***}. */
  public String redactedUrl() {
    return url.replaceAll("(?i)(password=)[^&;]*", "$1***");
  }

  @Override
  public String toString() {
    return redactedUrl() + user.map(u -> " as " + u).orElse("");
  }

  /** Builder; {@code url} is {@code jdbc:h2:...} or {@code jdbc:postgresql://...}. */
  public static final class Builder {
    private final String url;
    private Optional<String> user = Optional.empty();
    private char[] password;
    private int poolSize = DEFAULT_POOL_SIZE;
    private Duration connectionTimeout = DEFAULT_CONNECTION_TIMEOUT;

    private Builder(String url) {
      this.url = Objects.requireNonNull(url, "url").strip();
    }

    public Builder user(String user) {
      this.user = Optional.of(Objects.requireNonNull(user, "user"));
      return this;
    }

    public Builder password(char[] password) {
      if (this.password != null) {
        Arrays.fill(this.password, '\0');
      }
      this.password = password.clone();
      return this;
    }

    public Builder poolSize(int size) {
      this.poolSize = size;
      return this;
    }

    public Builder connectionTimeout(Duration timeout) {
      this.connectionTimeout = Objects.requireNonNull(timeout, "timeout");
      return this;
    }

    public JdbcStoreSettings build() {
      Dialect.of(url); // throws IllegalArgumentException naming what is supported
      if (poolSize < 1 || poolSize > 1000) {
        throw new IllegalArgumentException("pool size must be between 1 and 1000, not " + poolSize);
      }
      if (connectionTimeout.toMillis() < 250) {
        throw new IllegalArgumentException("connection timeout must be at least 250 ms");
      }
      return new JdbcStoreSettings(this);
    }
  }
}
