package org.est4j.it.interop;

import static org.assertj.core.api.Assertions.fail;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * Runs one external command (no shell): stdout and stderr are captured in files next to the
 * working directory so a chatty peer can never block on a full pipe; a command that outlives its
 * timeout is killed and fails the test.
 */
final class Cmd {
  static final Duration DEFAULT_TIMEOUT = Duration.ofSeconds(60);

  private final Path workDir;
  private final Duration timeout;
  private byte[] stdin = new byte[0];

  private Cmd(Path workDir, Duration timeout) {
    this.workDir = workDir;
    this.timeout = timeout;
  }

  static Cmd in(Path workDir) {
    return new Cmd(workDir, DEFAULT_TIMEOUT);
  }

  Cmd timeout(Duration newTimeout) {
    Cmd copy = new Cmd(workDir, newTimeout);
    copy.stdin = stdin;
    return copy;
  }

  Cmd stdin(byte[] input) {
    Cmd copy = new Cmd(workDir, timeout);
    copy.stdin = input.clone();
    return copy;
  }

  /** The outcome of one command. */
  record Result(List<String> command, int exitCode, byte[] stdoutBytes, String stderr) {
    String stdout() {
      return new String(stdoutBytes, StandardCharsets.UTF_8);
    }

    /** stdout and stderr together, for searching whatever a tool chose to print where. */
    String allOutput() {
      return stdout() + "\n" + stderr;
    }

    String describe() {
      return "command " + command + " exited " + exitCode
          + "\n--- stdout ---\n" + stdout()
          + "\n--- stderr ---\n" + stderr;
    }
  }

  /** Runs the command whatever its exit code. */
  Result run(String... command) {
    List<String> cmd = List.of(command);
    try {
      Path out = Files.createTempFile(workDir, "cmd-", ".out");
      Path err = Files.createTempFile(workDir, "cmd-", ".err");
      Path in = Files.createTempFile(workDir, "cmd-", ".in");
      Files.write(in, stdin);
      Process process =
          new ProcessBuilder(new ArrayList<>(cmd))
              .directory(workDir.toFile())
              .redirectInput(in.toFile())
              .redirectOutput(out.toFile())
              .redirectError(err.toFile())
              .start();
      if (!process.waitFor(timeout.toMillis(), TimeUnit.MILLISECONDS)) {
        process.destroyForcibly().waitFor(5, TimeUnit.SECONDS);
        fail("timed out after " + timeout + ": " + new Result(
            cmd, -1, Files.readAllBytes(out), Files.readString(err, StandardCharsets.UTF_8)).describe());
      }
      Result result =
          new Result(
              cmd,
              process.exitValue(),
              Files.readAllBytes(out),
              new String(Files.readAllBytes(err), StandardCharsets.UTF_8));
      Files.deleteIfExists(out);
      Files.deleteIfExists(err);
      Files.deleteIfExists(in);
      return result;
    } catch (IOException e) {
      throw new AssertionError("could not run " + cmd, e);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new AssertionError("interrupted running " + cmd, e);
    }
  }

  /** Runs the command and fails the test, showing both streams, unless it exits 0. */
  Result ok(String... command) {
    Result result = run(command);
    if (result.exitCode() != 0) {
      fail("expected exit 0 but " + result.describe());
    }
    return result;
  }

  /** Runs the command and fails the test unless it exits non-zero. */
  Result fails(String... command) {
    Result result = run(command);
    if (result.exitCode() == 0) {
      fail("expected a non-zero exit but " + result.describe());
    }
    return result;
  }

  static String[] concat(String[] first, String... more) {
    String[] all = Arrays.copyOf(first, first.length + more.length);
    System.arraycopy(more, 0, all, first.length, more.length);
    return all;
  }
}
