package org.est4j.it;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Comparator;
import java.util.Optional;
import java.util.stream.Stream;
import org.est4j.testing.TestPostgres;
import org.junit.platform.launcher.LauncherSession;
import org.junit.platform.launcher.LauncherSessionListener;

/**
 * The database of the {@code suite-h2} and {@code suite-postgres} Surefire executions (see the pom):
 * when the system property {@value #SWITCH} is {@code h2} or {@code postgres}, one database is
 * made for the whole test JVM before any test runs and {@code est4j.store} is set to it, so every
 * server the suite starts (in this JVM, or as an estserver process through {@link EstServerJar})
 * records there instead of in memory or in its own H2 file. H2: a file in a fresh temp directory
 * with AUTO_SERVER (shared with the estserver processes); PostgreSQL: one server from Debian's
 * binaries ({@link TestPostgres}) and one database, user and password in the URL. Both are removed
 * when the session closes. Without PostgreSQL binaries the execution's tests are skipped with the
 * package to install, or fail when CI is set ({@link SuiteStoreCondition}).
 */
public final class SuiteStore implements LauncherSessionListener {
  /** {@code h2} or {@code postgres}; unset in the default execution. */
  public static final String SWITCH = "est4j.suite.store";
  /** est4j-cli's store override (StoreOverride.PROPERTY). */
  public static final String STORE_PROPERTY = "est4j.store";

  private static volatile String unavailable;
  private TestPostgres postgres;
  private Path h2Dir;

  /** The suite's store kind ({@code h2} or {@code postgres}), or empty outside the suite executions. */
  public static Optional<String> kind() {
    return Optional.ofNullable(System.getProperty(SWITCH)).filter(s -> !s.isBlank());
  }

  /** Why this execution's database could not be made (PostgreSQL not installed), if so. */
  static Optional<String> unavailable() {
    return Optional.ofNullable(unavailable);
  }

  @Override
  public void launcherSessionOpened(LauncherSession session) {
    Optional<String> kind = kind();
    if (kind.isEmpty()) {
      return;
    }
    try {
      switch (kind.get()) {
        case "h2" -> {
          h2Dir = Files.createTempDirectory("est4j-suite-h2");
          System.setProperty(STORE_PROPERTY, "jdbc:h2:file:" + h2Dir.resolve("est4j") + ";AUTO_SERVER=TRUE");
        }
        case "postgres" -> {
          Optional<Path> bin = TestPostgres.findBinaries();
          if (bin.isEmpty()) {
            unavailable = TestPostgres.missingMessage();
            System.err.println("suite-postgres: " + unavailable + (System.getenv("CI") != null
                ? "; CI is set, so every test of this execution fails" : "; every test of this execution is skipped"));
            return;
          }
          postgres = TestPostgres.start(bin.get());
          String db = postgres.createDatabase("est4j_suite_");
          System.setProperty(STORE_PROPERTY, postgres.jdbcUrl(db) + "?user=" + postgres.user() + "&password="
              + postgres.password());
        }
        default -> throw new IllegalArgumentException(SWITCH + " must be h2 or postgres, not " + kind.get());
      }
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException(e);
    } catch (java.sql.SQLException e) {
      throw new IllegalStateException("cannot create the suite's database: " + e.getMessage(), e);
    }
  }

  @Override
  public void launcherSessionClosed(LauncherSession session) {
    try {
      if (postgres != null) {
        postgres.close();
      }
    } catch (IOException e) {
      System.err.println("suite-postgres: stopping PostgreSQL failed: " + e.getMessage());
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    } finally {
      if (h2Dir != null) {
        deleteQuietly(h2Dir);
      }
    }
  }

  private static void deleteQuietly(Path dir) {
    try (Stream<Path> all = Files.walk(dir)) {
      all.sorted(Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
    } catch (IOException e) {
      // a leftover temp directory is not worth failing the build for
    }
  }
}
