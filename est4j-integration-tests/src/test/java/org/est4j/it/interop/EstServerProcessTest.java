package org.est4j.it.interop;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.est4j.it.EstServerJar;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The shaded jar as an operator runs it: {@code java -jar est4j-cli/target/est4j.jar}. The jar is
 * built by {@code package} of est4j-cli, which a {@code verify} reactor build runs first.
 */
class EstServerProcessTest {
  @TempDir Path dir;

  /**
   * The server's stderr, read from a file. Not from a pipe: {@code Process.destroy()} closes the
   * parent's end of the pipes, so whatever the server logs while stopping would be lost.
   */
  private record StderrFile(Path file) {
    List<String> lines() {
      return EstServerJar.lines(file);
    }
  }

  @Test
  void startsServesAndStopsOnSigterm() throws Exception {
    StderrFile err = new StderrFile(dir.resolve("sigterm-stderr.log"));
    Process process = new ProcessBuilder(EstServerJar.command("-listen", "127.0.0.1:0"))
        .directory(dir.toFile())
        .redirectOutput(dir.resolve("stdout.log").toFile())
        .redirectError(err.file().toFile())
        .start();
    try {
      int port = EstServerJar.awaitPort(process, err.file(), Duration.ofSeconds(30));

      // TLS verification is not the point here (the root is transient and only in the log's
      // fingerprint); -k keeps this a plain liveness check through curl.
      String curl = ExternalTools.curl().toString();
      Cmd.Result cacerts = Cmd.in(dir).ok(curl, "-sS", "-k", "--fail-with-body", "-o", "cacerts.b64", "-w", "%{http_code} %{content_type}",
          "https://127.0.0.1:" + port + "/.well-known/est/cacerts");
      assertThat(cacerts.stdout()).isEqualTo("200 application/pkcs7-mime; smime-type=certs-only");
      assertThat(Files.size(dir.resolve("cacerts.b64"))).isGreaterThan(500);

      process.destroy(); // SIGTERM on Linux
      assertThat(process.waitFor(15, TimeUnit.SECONDS)).as("exits within 15 s of SIGTERM").isTrue();
      // A graceful stop on SIGTERM is a success (the JVM's default would be 128 + 15 = 143).
      assertThat(process.exitValue()).isZero();
      assertThat(String.join("\n", err.lines())).contains("listening on", "stopping on SIGTERM", "estserver stopped")
          .doesNotContain("Exception");
    } finally {
      process.destroyForcibly();
    }
  }

  /** The last log lines are never lost, however soon after start the signal comes. */
  @Test
  void stopLineIsAlwaysLogged() throws Exception {
    for (int run = 0; run < 5; run++) {
      StderrFile err = new StderrFile(dir.resolve("run" + run + "-stderr.log"));
      Process process = new ProcessBuilder(EstServerJar.command("-listen", "127.0.0.1:0"))
          .directory(dir.toFile())
          .redirectOutput(dir.resolve("stdout.log").toFile())
          .redirectError(err.file().toFile())
          .start();
      try {
        long deadline = System.nanoTime() + Duration.ofSeconds(30).toNanos();
        while (err.lines().stream().noneMatch(l -> l.contains("listening on")) && System.nanoTime() < deadline) {
          Thread.sleep(50);
        }
        process.destroy();
        assertThat(process.waitFor(15, TimeUnit.SECONDS)).isTrue();
        assertThat(process.exitValue()).as("run %d", run).isZero();
        assertThat(String.join("\n", err.lines())).as("run %d", run).contains("estserver stopped");
      } finally {
        process.destroyForcibly();
      }
    }
  }

  @Test
  void unknownConfigKeyExits2NamingTheKeyAndListensNowhere() throws Exception {
    Path config = Files.writeString(dir.resolve("est.yaml"),
        "tls:\n  listen_address: 127.0.0.1:0\nfrobnicate_widgets: true\n", StandardCharsets.UTF_8);
    Process process = new ProcessBuilder(EstServerJar.command("-config", config.toString()))
        .directory(dir.toFile())
        .redirectOutput(dir.resolve("stdout.log").toFile())
        .redirectError(dir.resolve("stderr.log").toFile())
        .start();
    try {
      assertThat(process.waitFor(30, TimeUnit.SECONDS)).as("exits by itself").isTrue();
      String stderr = Files.readString(dir.resolve("stderr.log"), StandardCharsets.UTF_8);
      assertThat(process.exitValue()).as(stderr).isEqualTo(2);
      assertThat(stderr).contains("frobnicate_widgets").contains("unknown key").doesNotContain("listening on");
      assertThat(Files.readString(dir.resolve("stdout.log"), StandardCharsets.UTF_8)).doesNotContain("listening on");
    } finally {
      process.destroyForcibly();
    }
  }
}
