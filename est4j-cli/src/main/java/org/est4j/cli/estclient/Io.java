package org.est4j.cli.estclient;

import java.io.Console;
import java.io.OutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;

/**
 * Where a run of estclient reads and writes: stdout (bytes, so DER can go there), stderr, the
 * directory relative paths on the command line resolve against, the environment and the home
 * directory (config file search, {@code -passphrase-env}) and the terminal to prompt on. Tests
 * pass their own; {@link #system()} is the real process.
 */
public final class Io {
  private final OutputStream out;
  private final PrintStream err;
  private final Path cwd;
  private final Map<String, String> env;
  private final Path home;
  private final Prompter prompter;
  private final java.util.List<AutoCloseable> resources = new java.util.ArrayList<>();

  /** Reads a secret without echo, or reports that there is no terminal. */
  @FunctionalInterface
  public interface Prompter {
    Optional<char[]> readSecret(String prompt);
  }

  public Io(OutputStream out, PrintStream err, Path cwd, Map<String, String> env, Path home, Prompter prompter) {
    this.out = Objects.requireNonNull(out, "out");
    this.err = Objects.requireNonNull(err, "err");
    this.cwd = cwd.toAbsolutePath().normalize();
    this.env = Map.copyOf(env);
    this.home = home;
    this.prompter = Objects.requireNonNull(prompter, "prompter");
  }

  /** The process's streams, working directory, environment and console. */
  public static Io system() {
    return new Io(
        System.out,
        new PrintStream(System.err, true, StandardCharsets.UTF_8),
        Path.of(""),
        System.getenv(),
        Path.of(System.getProperty("user.home", "")),
        prompt -> {
          Console console = System.console();
          return console == null ? Optional.empty() : Optional.ofNullable(console.readPassword("%s", prompt));
        });
  }

  public OutputStream out() {
    return out;
  }

  public PrintStream err() {
    return err;
  }

  public Path cwd() {
    return cwd;
  }

  /** A command-line path, resolved against the working directory. */
  public Path resolve(String path) {
    return cwd.resolve(path).normalize();
  }

  public Optional<String> env(String name) {
    return Optional.ofNullable(env.get(name));
  }

  public Optional<Path> home() {
    return Optional.ofNullable(home);
  }

  public Prompter prompter() {
    return prompter;
  }

  /**
   * Keeps a resource open until the run ends, then closes it: a TPM key loaded for this run must be
   * flushed, and a PKCS#11 key's session kept (PKCS#11 logins are per process: closing the last
   * session logs the token out, so a later command in the same JVM would need its PIN again).
   */
  synchronized void closeAtEnd(AutoCloseable resource) {
    resources.add(Objects.requireNonNull(resource, "resource"));
  }

  /** Closes what {@link #closeAtEnd} collected, last first; failures are reported, not thrown. */
  synchronized void closeResources() {
    while (!resources.isEmpty()) {
      AutoCloseable c = resources.remove(resources.size() - 1);
      try {
        c.close();
      } catch (Exception e) {
        err.println("estclient: warning: cannot release " + c + ": " + e.getMessage());
      }
    }
  }
}
