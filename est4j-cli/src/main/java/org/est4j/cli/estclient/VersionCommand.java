package org.est4j.cli.estclient;

import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.util.Locale;
import java.util.Properties;
import picocli.CommandLine.Command;

/** {@code version}. */
@Command(name = "version", description = "show version information")
final class VersionCommand extends BaseCommand {
  @Override
  void run() throws Exception {
    String line = "est4j estclient " + version() + " (Java " + System.getProperty("java.version") + ", "
        + System.getProperty("os.name").toLowerCase(Locale.ROOT) + ")\n";
    Output.write(io(), null, "", line.getBytes(StandardCharsets.UTF_8));
  }

  static String version() {
    try (InputStream in = VersionCommand.class.getResourceAsStream("/org/est4j/cli/version.properties")) {
      Properties p = new Properties();
      if (in != null) {
        p.load(in);
      }
      return p.getProperty("version", "dev");
    } catch (IOException e) {
      return "dev";
    }
  }
}
