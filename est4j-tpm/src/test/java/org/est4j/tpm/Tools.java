package org.est4j.tpm;

import static org.junit.jupiter.api.Assertions.fail;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.io.File;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.TimeUnit;
import org.est4j.testing.Swtpm;

/**
 * Runs external tools (openssl, swtpm, tpm2-tools). A missing tool skips the test on a developer
 * machine but fails it under CI (environment variable CI set), where .ci/run installs it.
 */
public final class Tools {
  public record Result(int exitCode, String output) {}

  private Tools() {}

  /** Starts est4j-testing's {@link Swtpm}; skipped when swtpm is not installed, failed instead under CI. */
  public static Swtpm swtpm(Path dir, Swtpm.Transport transport, boolean provision)
      throws IOException, InterruptedException {
    Optional<String> missing = Swtpm.unavailable(provision);
    if (missing.isPresent()) {
      if (System.getenv("CI") != null) {
        fail(missing.get() + "; CI is set, so a missing swtpm is a failure, not a skip");
      }
      assumeTrue(false, missing.get());
    }
    return Swtpm.start(dir, transport, provision);
  }

  /** Runs a tpm2-tools command in {@code dir} against {@code tpm} (TCP transport); fails the test when it fails. */
  public static String tpm2(Swtpm tpm, Path dir, String... command) throws IOException, InterruptedException {
    require(command[0], "tpm2-tools");
    return check(dir, Map.of("TPM2TOOLS_TCTI", tpm.tcti()), command);
  }

  public static Path require(String tool, String debianPackage) {
    String path = System.getenv("PATH");
    for (String dir : (path == null ? "/usr/bin" : path).split(File.pathSeparator)) {
      Path candidate = Path.of(dir.isEmpty() ? "." : dir, tool);
      if (Files.isRegularFile(candidate) && Files.isExecutable(candidate)) {
        return candidate;
      }
    }
    String message = "'" + tool + "' is not on PATH: apt-get install " + debianPackage;
    if (System.getenv("CI") != null) {
      fail(message + " (CI is set, so a missing tool is a failure)");
    }
    assumeTrue(false, message);
    throw new AssertionError("unreachable");
  }

  public static Result run(Path dir, Map<String, String> env, String... command)
      throws IOException, InterruptedException {
    List<String> cmd = new ArrayList<>(List.of(command));
    ProcessBuilder pb = new ProcessBuilder(cmd).directory(dir.toFile()).redirectErrorStream(true);
    pb.environment().putAll(env);
    Process process = pb.start();
    process.getOutputStream().close();
    byte[] output = process.getInputStream().readAllBytes();
    if (!process.waitFor(60, TimeUnit.SECONDS)) {
      process.destroyForcibly();
      fail(command[0] + " timed out");
    }
    return new Result(process.exitValue(), new String(output, StandardCharsets.UTF_8));
  }

  /** Runs the command and fails the test, with the tool's output, when it exits non-zero. */
  public static String check(Path dir, Map<String, String> env, String... command)
      throws IOException, InterruptedException {
    Result r = run(dir, env, command);
    if (r.exitCode() != 0) {
      fail(String.join(" ", command) + " exited " + r.exitCode() + ":\n" + r.output());
    }
    return r.output();
  }
}
