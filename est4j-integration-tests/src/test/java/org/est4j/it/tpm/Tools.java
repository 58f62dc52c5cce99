package org.est4j.it.tpm;

import static org.assertj.core.api.Assertions.fail;

import java.io.File;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.TimeUnit;
import org.est4j.testing.Swtpm;
import org.junit.jupiter.api.Assumptions;

/**
 * swtpm, swtpm_setup and tpm2-tools for the TPM suites. CI installs them (.ci/run), so with the
 * environment variable CI set a missing tool fails the test; elsewhere it skips it, naming the
 * Debian package.
 */
public final class Tools {
  private Tools() {}

  /** Starts est4j-testing's {@link Swtpm}; skipped when swtpm is not installed, failed instead under CI. */
  public static Swtpm swtpm(Path dir, Swtpm.Transport transport, boolean provision)
      throws IOException, InterruptedException {
    Optional<String> missing = Swtpm.unavailable(provision);
    if (missing.isPresent()) {
      if (System.getenv("CI") != null) {
        fail(missing.get() + "; CI is set, so a missing swtpm is a failure, not a skip");
      }
      Assumptions.abort(missing.get());
    }
    return Swtpm.start(dir, transport, provision);
  }

  /** Runs a tpm2-tools command in {@code dir} against {@code tpm} (TCP transport); fails the test when it fails. */
  public static String tpm2(Swtpm tpm, Path dir, String... command) throws IOException, InterruptedException {
    require(command[0], "tpm2-tools");
    return run(dir, Map.of("TPM2TOOLS_TCTI", tpm.tcti()), command);
  }

  public static Path require(String tool, String debianPackage) {
    String path = System.getenv("PATH");
    for (String d : (path == null ? "/usr/bin" : path).split(File.pathSeparator)) {
      Path candidate = Path.of(d.isEmpty() ? "." : d, tool);
      if (Files.isRegularFile(candidate) && Files.isExecutable(candidate)) {
        return candidate;
      }
    }
    String message = "'" + tool + "' is not on PATH: apt-get install " + debianPackage;
    if (System.getenv("CI") != null) {
      fail(message + " (CI is set, so a missing tool is a failure, not a skip)");
    }
    Assumptions.abort(message);
    throw new AssertionError("unreachable");
  }

  /** Runs a command in {@code dir}; fails the test with its output when it exits non-zero. */
  public static String run(Path dir, Map<String, String> env, String... command) throws IOException, InterruptedException {
    ProcessBuilder pb = new ProcessBuilder(List.of(command)).directory(dir.toFile()).redirectErrorStream(true);
    pb.environment().putAll(env);
    Process p = pb.start();
    p.getOutputStream().close();
    byte[] out = p.getInputStream().readAllBytes();
    if (!p.waitFor(120, TimeUnit.SECONDS)) {
      p.destroyForcibly();
      fail(command[0] + " timed out");
    }
    String text = new String(out, StandardCharsets.UTF_8);
    if (p.exitValue() != 0) {
      fail(String.join(" ", command) + " exited " + p.exitValue() + ":\n" + text);
    }
    return text;
  }
}
