package org.est4j.it.estclient;

import static org.assertj.core.api.Assertions.fail;

import java.io.ByteArrayOutputStream;
import java.io.File;
import java.io.IOException;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.TimeUnit;
import org.est4j.cli.estclient.EstClientCommand;
import org.est4j.cli.estclient.Io;
import org.est4j.it.interop.ExternalTools;

/** Runs estclient in-process (captured streams, a working directory) or as a process. */
final class Cli {
  private final Path cwd;
  private final Map<String, String> env = new HashMap<>();
  private char[] promptAnswer;

  Cli(Path cwd) {
    this.cwd = cwd;
  }

  Cli env(String name, String value) {
    env.put(name, value);
    return this;
  }

  /** What the terminal prompt answers (null: there is no terminal). */
  Cli promptAnswer(String answer) {
    promptAnswer = answer == null ? null : answer.toCharArray();
    return this;
  }

  /** The outcome of one command line. */
  record Result(int exit, byte[] stdoutBytes, String stderr) {
    String stdout() {
      return new String(stdoutBytes, StandardCharsets.UTF_8);
    }

    /** Number of PEM blocks on stdout. */
    int pemBlocks() {
      return stdout().split("-----BEGIN ", -1).length - 1;
    }

    String describe() {
      return "exit " + exit + "\n--- stdout ---\n" + stdout() + "\n--- stderr ---\n" + stderr;
    }
  }

  /** estclient in this JVM. */
  Result run(String... args) {
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    ByteArrayOutputStream err = new ByteArrayOutputStream();
    Io io = new Io(out, new PrintStream(err, true, StandardCharsets.UTF_8), cwd, env, cwd.resolve("home"),
        prompt -> Optional.ofNullable(promptAnswer).map(char[]::clone));
    int exit = EstClientCommand.run(io, args);
    return new Result(exit, out.toByteArray(), err.toString(StandardCharsets.UTF_8));
  }

  /** The repository root: the first directory up from user.dir holding mvnw. */
  static Path repoRoot() {
    for (Path p = Path.of(System.getProperty("user.dir")).toAbsolutePath(); p != null; p = p.getParent()) {
      if (Files.isRegularFile(p.resolve("mvnw"))) {
        return p;
      }
    }
    throw new IllegalStateException("no mvnw above " + System.getProperty("user.dir"));
  }

  /** A shell command line run by /bin/sh in {@code cwd}, with {@code estclient} on the PATH. */
  static Result sh(Path cwd, Path binDir, String commandLine) throws IOException, InterruptedException {
    Path out = Files.createTempFile(cwd.getParent(), "sh-", ".out");
    Path err = Files.createTempFile(cwd.getParent(), "sh-", ".err");
    ProcessBuilder pb = new ProcessBuilder(List.of("/bin/sh", "-c", commandLine))
        .directory(cwd.toFile()).redirectOutput(out.toFile()).redirectError(err.toFile())
        .redirectInput(ProcessBuilder.Redirect.from(new File("/dev/null")));
    pb.environment().put("PATH", binDir + File.pathSeparator + System.getenv("PATH"));
    Process p = pb.start();
    if (!p.waitFor(120, TimeUnit.SECONDS)) {
      p.destroyForcibly();
      fail("timed out: " + commandLine);
    }
    return new Result(p.exitValue(), Files.readAllBytes(out), Files.readString(err, StandardCharsets.UTF_8));
  }

  /** openssl: skipped when missing, unless CI is set (then a failure). */
  static Path openssl() {
    return ExternalTools.openssl();
  }

  /** Runs a program (no shell) and returns its result. */
  static Result exec(Path cwd, String... command) throws IOException, InterruptedException {
    return sh(cwd, cwd, String.join(" ", quoteAll(command)));
  }

  private static List<String> quoteAll(String... args) {
    List<String> out = new ArrayList<>();
    for (String a : args) {
      out.add("'" + a.replace("'", "'\\''") + "'");
    }
    return out;
  }
}
