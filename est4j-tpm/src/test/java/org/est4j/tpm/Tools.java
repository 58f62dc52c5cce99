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
import java.util.concurrent.TimeUnit;

/**
 * Runs external tools (openssl, swtpm, tpm2-tools). A missing tool skips the test on a developer
 * machine but fails it under CI (environment variable CI set), where .ci/run installs it.
 */
final class Tools {
  record Result(int exitCode, String output) {}

  private Tools() {}

  static Path require(String tool, String debianPackage) {
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

  static Result run(Path dir, Map<String, String> env, String... command)
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
  static String check(Path dir, Map<String, String> env, String... command)
      throws IOException, InterruptedException {
    Result r = run(dir, env, command);
    if (r.exitCode() != 0) {
      fail(String.join(" ", command) + " exited " + r.exitCode() + ":\n" + r.output());
    }
    return r.output();
  }
}
