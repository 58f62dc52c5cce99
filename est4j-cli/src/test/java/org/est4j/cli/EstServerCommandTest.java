package org.est4j.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class EstServerCommandTest {
  @TempDir Path dir;

  private static ServerRun run(String... args) {
    return ServerRun.of(args);
  }

  @Test
  void aBadConfigurationExits2AndNamesTheKey() throws Exception {
    Path cfg = Files.writeString(dir.resolve("bad.json"), "{\"tls\": {\"listen_address\": \"localhost:0\"}, \"rate_limt\": 3}");
    ServerRun r = run("-config", cfg.toString());
    assertThat(r.exit()).isEqualTo(2);
    assertThat(r.err()).contains("rate_limt: unknown key");
  }

  /** execute(out, err, ...) callers get the messages on their writers, not on the process's System.err. */
  @Test
  void errorsAndOutputGoToPicocliStreams() throws Exception {
    Path cfg = Files.writeString(dir.resolve("bad.yaml"), "tls: {listen_address: 'localhost:0'}\nrate_limt: 3\n");
    java.io.StringWriter out = new java.io.StringWriter();
    java.io.StringWriter err = new java.io.StringWriter();
    PrintStream oldErr = System.err;
    ByteArrayOutputStream processErr = new ByteArrayOutputStream();
    System.setErr(new PrintStream(processErr, true, StandardCharsets.UTF_8));
    try {
      assertThat(EstServerCommand.execute(new java.io.PrintWriter(out), new java.io.PrintWriter(err), "-config", cfg.toString()))
          .isEqualTo(2);
      assertThat(EstServerCommand.execute(new java.io.PrintWriter(out), new java.io.PrintWriter(err), "check", "-config",
          cfg.toString())).isEqualTo(2);
      assertThat(EstServerCommand.execute(new java.io.PrintWriter(out), new java.io.PrintWriter(err), "version")).isZero();
    } finally {
      System.setErr(oldErr);
    }
    assertThat(err.toString()).contains("estserver: configuration error: rate_limt: unknown key")
        .containsPattern("(?s)rate_limt.*rate_limt");
    assertThat(out.toString()).startsWith("est4j estserver ");
    assertThat(processErr.toString(StandardCharsets.UTF_8)).doesNotContain("rate_limt");
  }

  @Test
  void aMissingConfigurationFileExits2() {
    ServerRun r = run("-config", dir.resolve("nope.yaml").toString());
    assertThat(r.exit()).isEqualTo(2);
    assertThat(r.err()).contains("nope.yaml");
  }

  @Test
  void sampleconfigPrintsTheSampleInBothSpellings() {
    ServerRun flag = run("-sampleconfig");
    ServerRun sub = run("sampleconfig");
    assertThat(flag.exit()).isZero();
    assertThat(flag.out()).contains("mock_ca:").contains("listen_address").contains("cas:").contains("profiles:");
    assertThat(sub.out()).isEqualTo(flag.out());
  }

  @Test
  void versionAndHelp() {
    assertThat(run("-version").out()).startsWith("est4j estserver ");
    assertThat(run("--version").out()).startsWith("est4j estserver ");
    ServerRun help = run("-help");
    assertThat(help.exit()).isZero();
    assertThat(help.out()).contains("-config").contains("-sampleconfig");
  }

  @Test
  void anUnknownFlagIsAUsageError() {
    ServerRun r = run("-frobnicate");
    assertThat(r.exit()).isEqualTo(2);
    assertThat(r.err()).contains("-frobnicate");
  }
}
