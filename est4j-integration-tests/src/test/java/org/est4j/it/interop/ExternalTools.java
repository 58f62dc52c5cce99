package org.est4j.it.interop;

import static org.assertj.core.api.Assertions.fail;

import java.io.File;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Optional;
import org.junit.jupiter.api.Assumptions;

/**
 * The rule for external interop peers (curl, openssl, strongSwan pki): CI installs them, so when
 * the environment variable {@code CI} is set a missing tool fails the test; on a developer machine
 * it skips the test with a message naming the Debian package to install.
 */
public final class ExternalTools {
  private ExternalTools() {}

  /** The tool's path, or aborts (locally) / fails (CI) naming the Debian package(s). */
  public static Path require(String tool, String debianPackages) {
    Optional<Path> found = findOnPath(tool);
    if (found.isPresent()) {
      return found.get();
    }
    throw unavailable("'" + tool + "' is not on PATH: install the Debian package(s) " + debianPackages
        + " (apt-get install " + debianPackages + ")");
  }

  /**
   * Skips the test because what {@code message} names is missing, or fails it when CI is set;
   * declared to return an error so callers can {@code throw} it and the compiler sees the end.
   */
  public static AssertionError unavailable(String message) {
    if (System.getenv("CI") != null) {
      fail(message + "; CI is set, so a missing tool is a failure, not a skip");
    }
    Assumptions.abort(message);
    throw new AssertionError("unreachable");
  }

  public static Path curl() {
    return require("curl", "curl");
  }

  public static Path openssl() {
    return require("openssl", "openssl");
  }

  /** strongSwan's pki; its EST client needs the curl/TLS plugins from the extra-plugins package. */
  public static Path pki() {
    return require("pki", "strongswan-pki libstrongswan-extra-plugins");
  }

  public static Optional<Path> findOnPath(String tool) {
    String path = System.getenv("PATH");
    if (path == null) {
      return Optional.empty();
    }
    for (String dir : path.split(File.pathSeparator)) {
      if (dir.isEmpty()) {
        continue;
      }
      Path candidate = Path.of(dir, tool);
      if (Files.isRegularFile(candidate) && Files.isExecutable(candidate)) {
        return Optional.of(candidate);
      }
    }
    return Optional.empty();
  }
}
