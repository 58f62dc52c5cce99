package org.est4j.it.tpm;

import static org.assertj.core.api.Assertions.fail;

import java.io.File;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Assumptions;

/**
 * swtpm, swtpm_setup and tpm2-tools for the TPM suites. CI installs them (.ci/run), so with the
 * environment variable CI set a missing tool fails the test; elsewhere it skips it, naming the
 * Debian package.
 */
final class Tools {
  private Tools() {}

  static Path require(String tool, String debianPackage) {
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
  static String run(Path dir, Map<String, String> env, String... command) throws IOException, InterruptedException {
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

  /** A free port whose successor is free too (tpm2-tools' swtpm TCTI uses port+1 for control). */
  static int freePortPair() throws IOException {
    for (int attempt = 0; attempt < 50; attempt++) {
      try (ServerSocket first = new ServerSocket(0)) {
        int port = first.getLocalPort();
        if (port < 65535) {
          try (ServerSocket second = new ServerSocket(port + 1)) {
            return port;
          } catch (IOException taken) {
            // another pair
          }
        }
      }
    }
    throw new IOException("no two adjacent free TCP ports");
  }

  static void awaitListening(int port, Process process, Path log) throws IOException, InterruptedException {
    for (int i = 0; i < 100; i++) {
      try (Socket s = new Socket()) {
        s.connect(new InetSocketAddress("127.0.0.1", port), 200);
        return;
      } catch (IOException notYet) {
        if (!process.isAlive()) {
          throw new IOException("swtpm exited: " + Files.readString(log));
        }
        Thread.sleep(50);
      }
    }
    throw new IOException("swtpm did not listen on port " + port);
  }
}
