package org.est4j.it.tpm;

import static org.assertj.core.api.Assertions.fail;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.TimeUnit;
import org.est4j.it.interop.ExternalTools;
import org.est4j.testing.Swtpm;

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
      throw ExternalTools.unavailable(missing.get());
    }
    return Swtpm.start(dir, transport, provision);
  }

  /** Runs a tpm2-tools command in {@code dir} against {@code tpm} (TCP transport); fails the test when it fails. */
  public static String tpm2(Swtpm tpm, Path dir, String... command) throws IOException, InterruptedException {
    ExternalTools.require(command[0], "tpm2-tools");
    return run(dir, Map.of("TPM2TOOLS_TCTI", tpm.tcti()), command);
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
