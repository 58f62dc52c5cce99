package org.est4j.it.tpm;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.Map;
import java.util.Optional;
import org.est4j.cli.estclient.EstClientCommand;
import org.est4j.cli.estclient.Io;

/** estclient in this JVM with captured streams and a working directory (as org.est4j.it.estclient.Cli). */
final class ClientCli {
  private ClientCli() {}

  record Result(int exit, String stdout, String stderr) {
    String describe() {
      return "exit " + exit + "\n--- stdout ---\n" + stdout + "\n--- stderr ---\n" + stderr;
    }
  }

  static Result run(Path cwd, String... args) {
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    ByteArrayOutputStream err = new ByteArrayOutputStream();
    Io io = new Io(out, new PrintStream(err, true, StandardCharsets.UTF_8), cwd, Map.of(), cwd.resolve("home"),
        prompt -> Optional.empty());
    int exit = EstClientCommand.run(io, args);
    return new Result(exit, out.toString(StandardCharsets.UTF_8), err.toString(StandardCharsets.UTF_8));
  }
}
