package org.est4j.testing;

import static org.junit.jupiter.api.Assertions.fail;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * Runs curl or openssl from /usr/bin. Missing tools skip the test on a developer machine but fail
 * it under CI (environment variable CI set), where they are installed on purpose.
 */
final class ExternalTool {
  record Result(int exitCode, String output) {}

  private ExternalTool() {}

  static String require(String name) {
    Path path = Path.of("/usr/bin", name);
    if (!Files.isExecutable(path)) {
      if (System.getenv("CI") != null) {
        fail(path + " is required under CI");
      }
      assumeTrue(false, path + " is not installed");
    }
    return path.toString();
  }

  static Result run(Path dir, String tool, String... args) throws IOException, InterruptedException {
    List<String> command = new ArrayList<>();
    command.add(require(tool));
    command.addAll(List.of(args));
    Process process =
        new ProcessBuilder(command).directory(dir.toFile()).redirectErrorStream(true).start();
    process.getOutputStream().close();
    byte[] output = process.getInputStream().readAllBytes();
    if (!process.waitFor(60, TimeUnit.SECONDS)) {
      process.destroyForcibly();
      fail(tool + " timed out: " + command);
    }
    return new Result(process.exitValue(), new String(output, StandardCharsets.UTF_8));
  }
}
