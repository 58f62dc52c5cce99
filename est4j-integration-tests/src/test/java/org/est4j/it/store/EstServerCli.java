package org.est4j.it.store;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.est4j.cli.EstServerCommand;

/** estserver's operator commands, in this JVM or as a separate process on the same database. */
final class EstServerCli {
  record Result(int exit, String out, String err) {}

  private EstServerCli() {}

  /** {@code estserver ARGS} in this JVM (picocli's output captured). */
  static Result run(String... args) {
    StringWriter out = new StringWriter();
    StringWriter err = new StringWriter();
    picocli.CommandLine cl = EstServerCommand.commandLine();
    cl.setOut(new PrintWriter(out, true));
    cl.setErr(new PrintWriter(err, true));
    int exit = cl.execute(args);
    return new Result(exit, out.toString(), err.toString());
  }

  /** {@code estserver ARGS} as a new JVM on this test's class path: another process, as an operator's shell would be. */
  static Result process(Path dir, String... args) throws Exception {
    List<String> cmd = new ArrayList<>(List.of(Path.of(System.getProperty("java.home"), "bin", "java").toString(),
        "-Xmx128m", "-cp", System.getProperty("java.class.path"), EstServerCommand.class.getName()));
    cmd.addAll(List.of(args));
    Path out = Files.createTempFile(dir, "cli", ".out");
    Path err = Files.createTempFile(dir, "cli", ".err");
    Process p = new ProcessBuilder(cmd).redirectOutput(out.toFile()).redirectError(err.toFile()).start();
    assertThat(p.waitFor(60, TimeUnit.SECONDS)).as("estserver " + String.join(" ", args) + " finished").isTrue();
    return new Result(p.exitValue(), Files.readString(out, StandardCharsets.UTF_8), Files.readString(err, StandardCharsets.UTF_8));
  }
}
