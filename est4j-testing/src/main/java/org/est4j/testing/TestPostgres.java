package org.est4j.testing;

import java.io.File;
import java.io.IOException;
import java.net.ServerSocket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.SecureRandom;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HexFormat;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;

/**
 * A throw-away PostgreSQL server for tests, from the Debian {@code postgresql} package's binaries
 * ({@code /usr/lib/postgresql/N/bin}, or {@code initdb} on PATH, or the directory in
 * {@code EST4J_PG_BIN}): initdb in a new temp directory, password authentication, a free port on
 * 127.0.0.1. PostgreSQL refuses to run as root, so as root the commands run through
 * {@code runuser -u postgres --} with the directory given to that user.
 *
 * <pre>{@code
 * Optional<Path> bin = TestPostgres.findBinaries();   // empty: skip (or fail when CI is set)
 * try (TestPostgres pg = TestPostgres.start(bin.get())) {
 *   String url = pg.jdbcUrl();  // user pg.user(), password pg.password()
 * }
 * }</pre>
 */
public final class TestPostgres implements AutoCloseable {
  private static TestPostgres shared;

  private final AtomicInteger databases = new AtomicInteger();
  private final Path bin;
  private final Path dir;
  private final int port;
  private final String password;
  private final boolean asRoot;

  private TestPostgres(Path bin, Path dir, int port, String password, boolean asRoot) {
    this.bin = bin;
    this.dir = dir;
    this.port = port;
    this.password = password;
    this.asRoot = asRoot;
  }

  /** The directory holding initdb, pg_ctl and postgres, if PostgreSQL is installed. */
  public static Optional<Path> findBinaries() {
    String env = System.getenv("EST4J_PG_BIN");
    if (env != null && !env.isBlank()) {
      return Optional.of(Path.of(env)).filter(d -> Files.isExecutable(d.resolve("initdb")));
    }
    Path lib = Path.of("/usr/lib/postgresql");
    if (Files.isDirectory(lib)) {
      try (Stream<Path> versions = Files.list(lib)) {
        Optional<Path> newest = versions
            .map(v -> v.resolve("bin"))
            .filter(d -> Files.isExecutable(d.resolve("initdb")) && Files.isExecutable(d.resolve("pg_ctl")))
            .max(Comparator.comparing(d -> versionOf(d.getParent().getFileName().toString())));
        if (newest.isPresent()) {
          return newest;
        }
      } catch (IOException e) {
        // fall through to PATH
      }
    }
    String path = System.getenv("PATH");
    if (path != null) {
      for (String d : path.split(File.pathSeparator)) {
        if (!d.isEmpty() && Files.isExecutable(Path.of(d, "initdb")) && Files.isExecutable(Path.of(d, "pg_ctl"))) {
          return Optional.of(Path.of(d));
        }
      }
    }
    return Optional.empty();
  }

  /** What to install when {@link #findBinaries()} finds nothing. */
  public static String missingMessage() {
    return "PostgreSQL binaries (initdb, pg_ctl) not found under /usr/lib/postgresql/*/bin, on PATH or in "
        + "EST4J_PG_BIN: install the Debian package postgresql (apt-get install postgresql)";
  }

  /** initdb + start on a free port; the caller closes it (stop and delete). */
  public static TestPostgres start(Path bin) throws IOException, InterruptedException {
    boolean root = "root".equals(System.getProperty("user.name"));
    Path dir = Files.createTempDirectory("est4j-pg");
    byte[] secret = new byte[12];
    new SecureRandom().nextBytes(secret);
    String password = HexFormat.of().formatHex(secret);
    Path pwfile = dir.resolve("pwfile");
    Files.writeString(pwfile, password + "\n", StandardCharsets.UTF_8);
    if (root) {
      run(List.of("chown", "-R", "postgres:", dir.toString()), dir);
    }
    TestPostgres pg = new TestPostgres(bin, dir, freePort(), password, root);
    try {
      pg.runPg(List.of(bin.resolve("initdb").toString(), "-D", dir.resolve("data").toString(), "-U", "est4j",
          "-A", "scram-sha-256", "--pwfile=" + pwfile, "-E", "UTF8", "--no-sync", "--no-instructions"));
      Files.delete(pwfile);
      pg.startServer();
      return pg;
    } catch (IOException | RuntimeException e) {
      pg.deleteQuietly();
      throw e;
    }
  }

  /**
   * One server per JVM for the tests that share it (each in its own {@link #createDatabase database}):
   * started on first use, stopped when the JVM exits.
   */
  public static synchronized TestPostgres shared(Path bin) throws IOException, InterruptedException {
    if (shared == null) {
      TestPostgres pg = start(bin);
      Runtime.getRuntime().addShutdownHook(new Thread(() -> {
        try {
          pg.close();
        } catch (Exception e) {
          // the JVM is exiting; the temp directory may stay behind
        }
      }));
      shared = pg;
    }
    return shared;
  }

  /**
   * Creates a new, empty database named {@code prefix} plus a number unique on this server, and
   * returns that name. Needs a PostgreSQL JDBC driver on the class path.
   */
  public String createDatabase(String prefix) throws SQLException {
    String name = prefix + databases.incrementAndGet();
    try (Connection c = DriverManager.getConnection(jdbcUrl(), user(), password());
        Statement s = c.createStatement()) {
      s.execute("CREATE DATABASE " + name);
    }
    return name;
  }

  /** Starts the server again after {@link #stop()} (same data, same port). */
  public void startServer() throws IOException, InterruptedException {
    runPg(List.of(bin.resolve("pg_ctl").toString(), "-D", dir.resolve("data").toString(), "-l",
        dir.resolve("server.log").toString(), "-w", "-t", "60", "-o",
        "-p " + port + " -k " + dir + " -c listen_addresses=127.0.0.1 -c max_connections=200", "start"));
  }

  /** Stops the server (fast shutdown: open connections are cut). */
  public void stop() throws IOException, InterruptedException {
    runPg(List.of(bin.resolve("pg_ctl").toString(), "-D", dir.resolve("data").toString(), "-m", "fast", "-w",
        "stop"));
  }

  public String jdbcUrl() {
    return jdbcUrl("postgres");
  }

  public String jdbcUrl(String database) {
    return "jdbc:postgresql://127.0.0.1:" + port + "/" + database;
  }

  public String user() {
    return "est4j";
  }

  public String password() {
    return password;
  }

  public int port() {
    return port;
  }

  /** The server's log file (for a failing test's message). */
  public Path logFile() {
    return dir.resolve("server.log");
  }

  @Override
  public void close() throws IOException, InterruptedException {
    try {
      if (Files.exists(dir.resolve("data").resolve("postmaster.pid"))) {
        runPg(List.of(bin.resolve("pg_ctl").toString(), "-D", dir.resolve("data").toString(), "-m", "immediate",
            "-w", "stop"));
      }
    } finally {
      deleteQuietly();
    }
  }

  private void runPg(List<String> command) throws IOException, InterruptedException {
    List<String> full = new ArrayList<>();
    if (asRoot) {
      full.addAll(List.of("runuser", "-u", "postgres", "--"));
    }
    full.addAll(command);
    run(full, dir);
  }

  private static void run(List<String> command, Path dir) throws IOException, InterruptedException {
    Path out = Files.createTempFile("est4j-pg-cmd", ".log");
    try {
      Process p = new ProcessBuilder(command).directory(dir.toFile()).redirectErrorStream(true)
          .redirectOutput(out.toFile()).start();
      if (!p.waitFor(120, TimeUnit.SECONDS)) {
        p.destroyForcibly();
        throw new IOException(String.join(" ", command) + " did not finish in 120 s");
      }
      if (p.exitValue() != 0) {
        throw new IOException(String.join(" ", command) + " failed (exit " + p.exitValue() + "): "
            + Files.readString(out, StandardCharsets.UTF_8).strip());
      }
    } finally {
      Files.deleteIfExists(out);
    }
  }

  private void deleteQuietly() {
    try (Stream<Path> all = Files.walk(dir)) {
      all.sorted(Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
    } catch (IOException e) {
      // a leftover temp directory is not worth failing a test for
    }
  }

  private static int freePort() throws IOException {
    try (ServerSocket s = new ServerSocket(0)) {
      return s.getLocalPort();
    }
  }

  private static int versionOf(String name) {
    try {
      return Integer.parseInt(name);
    } catch (NumberFormatException e) {
      return -1;
    }
  }
}
