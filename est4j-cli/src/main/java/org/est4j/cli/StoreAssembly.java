package org.est4j.cli;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.Arrays;
import java.util.Optional;
import org.est4j.ca.Passphrases;
import org.est4j.server.store.CertificateStore;
import org.est4j.server.store.InMemoryCertificateStore;
import org.est4j.store.jdbc.JdbcCertificateStore;
import org.est4j.store.jdbc.JdbcStoreSettings;

/**
 * Opens the store a {@link StoreConfig} describes, for the server and for {@code estserver certs}.
 * Configuration problems name their key ({@link ConfigException}); a database that cannot be
 * reached or migrated is a {@code StoreException} with the reason, never the password.
 */
final class StoreAssembly {
  private StoreAssembly() {}

  static CertificateStore open(StoreConfig config) throws ConfigException {
    if (config.isInMemory()) {
      return new InMemoryCertificateStore();
    }
    String url = config.url().orElseThrow();
    Optional<char[]> password;
    if (config.dataDir().isPresent() && url.equals(StoreConfig.h2Url(config.dataDir().get()))) {
      // The default database: AUTO_SERVER lets `estserver certs` read it while the server runs
      // (the first process serves it on a local port; others connect there), and a generated
      // password keeps other local users out of that port.
      createDataDir(config.dataDir().get());
      url = url + ";AUTO_SERVER=TRUE";
      config = new StoreConfig(Optional.of(url), config.dataDir(), Optional.of("est4j"), Optional.empty(),
          Optional.empty(), config.poolSize(), config.connectionTimeout(), config.overriddenBy());
      password = Optional.of(H2Password.readOrCreate(config.dataDir().get()));
    } else {
      password = password(config);
    }
    JdbcStoreSettings.Builder b =
        JdbcStoreSettings.builder(url).poolSize(config.poolSize()).connectionTimeout(config.connectionTimeout());
    config.user().ifPresent(b::user);
    password.ifPresent(p -> {
      b.password(p);
      Arrays.fill(p, '\0');
    });
    JdbcStoreSettings settings;
    try {
      settings = b.build();
    } catch (IllegalArgumentException e) {
      throw new ConfigException("store", e.getMessage(), e);
    }
    return JdbcCertificateStore.open(settings);
  }

  /** Pending requests on the same database as the certificates (in memory beside an in-memory store). */
  static org.est4j.server.store.PendingRequestStore pendingRequests(CertificateStore store) {
    if (store instanceof JdbcCertificateStore jdbc) {
      return new org.est4j.store.jdbc.JdbcPendingRequestStore(jdbc.database());
    }
    return new org.est4j.server.store.InMemoryPendingRequestStore(store);
  }

  /** The CRL state of the same database (in memory beside an in-memory store). */
  static org.est4j.server.store.CrlStore crls(CertificateStore store) {
    if (store instanceof JdbcCertificateStore jdbc) {
      return new org.est4j.store.jdbc.JdbcCrlStore(jdbc.database());
    }
    return new org.est4j.server.store.InMemoryCrlStore();
  }

  /** The audit table of the same database; none beside an in-memory store (JSON lines only). */
  static Optional<org.est4j.server.store.AuditStore> audit(CertificateStore store) {
    if (store instanceof JdbcCertificateStore jdbc) {
      return Optional.of(new org.est4j.store.jdbc.JdbcAuditStore(jdbc.database()));
    }
    return Optional.empty();
  }

  /** The data directory, created owner-only (it holds every certificate issued) if missing. */
  private static void createDataDir(Path dir) throws ConfigException {
    if (Files.isDirectory(dir)) {
      if (!Files.isWritable(dir)) {
        throw new ConfigException("data_dir", dir + " is not writable");
      }
      return;
    }
    try {
      Files.createDirectories(dir.getParent());
      try {
        Files.createDirectory(dir, PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rwx------")));
      } catch (UnsupportedOperationException e) {
        Files.createDirectory(dir);
      }
    } catch (IOException | UncheckedIOException e) {
      throw new ConfigException("data_dir", "cannot create " + dir + ": " + e.getMessage(), e);
    }
  }

  private static Optional<char[]> password(StoreConfig config) throws ConfigException {
    try {
      if (config.passwordFile().isPresent()) {
        return Optional.of(Passphrases.passphraseFromFile(config.passwordFile().get()));
      }
      if (config.passwordEnv().isPresent()) {
        String variable = config.passwordEnv().get();
        String value = System.getenv(variable);
        if (value == null || value.isEmpty()) {
          throw new ConfigException("store.password_env", "the environment variable " + variable + " is not set");
        }
        return Optional.of(value.toCharArray());
      }
      return Optional.empty();
    } catch (IllegalArgumentException | IllegalStateException e) {
      throw new ConfigException("store.password_file", e.getMessage(), e);
    }
  }
}
