package org.est4j.it;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.fail;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The shaded {@code est4j-cli/target/est4j.jar} as an operator runs it ({@code java -jar}), for the
 * suites that start estserver as a separate process. The jar is built by est4j-cli's
 * {@code package}, which a reactor {@code verify} runs before these tests.
 */
public final class EstServerJar {
  private static final Pattern LISTENING = Pattern.compile("est4j \\S+ listening on https://127\\.0\\.0\\.1:(\\d+)");

  private EstServerJar() {}

  /** The jar; fails the test when it has not been packaged. */
  public static Path jar() {
    Path here = Path.of(System.getProperty("user.dir")).toAbsolutePath();
    for (Path p = here; p != null; p = p.getParent()) {
      if (Files.isRegularFile(p.resolve("mvnw"))) {
        Path jar = p.resolve("est4j-cli/target/est4j.jar");
        assertThat(jar).as("shaded jar (run a reactor 'verify' so est4j-cli is packaged)").isRegularFile();
        return jar;
      }
    }
    return fail("no directory containing mvnw above " + here);
  }

  /**
   * {@code java [-Dest4j.store=...] -jar est4j.jar ARGS}: the store override of this JVM (set by the
   * suite-h2 / suite-postgres executions, see {@link SuiteStore}) is passed on, so a server process
   * records where the in-JVM servers of the same run do.
   */
  public static List<String> command(String... args) {
    List<String> cmd = new java.util.ArrayList<>();
    cmd.add(java());
    String store = System.getProperty(SuiteStore.STORE_PROPERTY);
    if (store != null && !store.isBlank()) {
      cmd.add("-D" + SuiteStore.STORE_PROPERTY + "=" + store);
    }
    cmd.add("-jar");
    cmd.add(jar().toString());
    cmd.addAll(List.of(args));
    return cmd;
  }

  /** The java launcher of the JVM running the tests. */
  public static String java() {
    return Path.of(System.getProperty("java.home"), "bin", "java").toString();
  }

  /**
   * The port from estserver's "est4j VERSION listening on https://127.0.0.1:PORT" line in its stderr
   * file; fails the test, with what the server logged, when it exits or the timeout passes first.
   */
  public static int awaitPort(Process server, Path stderr, Duration timeout) throws InterruptedException {
    long deadline = System.nanoTime() + timeout.toNanos();
    while (System.nanoTime() < deadline && server.isAlive()) {
      for (String line : lines(stderr)) {
        Matcher m = LISTENING.matcher(line);
        if (m.find()) {
          return Integer.parseInt(m.group(1));
        }
      }
      Thread.sleep(50);
    }
    return fail("no 'listening on' line from estserver (" + (server.isAlive() ? "still running" : "exited "
        + server.exitValue()) + "); stderr: " + lines(stderr));
  }

  /** The lines of a log file the server writes (none yet: empty). */
  public static List<String> lines(Path file) {
    try {
      return Files.exists(file) ? Files.readAllLines(file, StandardCharsets.UTF_8) : List.of();
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }
}
