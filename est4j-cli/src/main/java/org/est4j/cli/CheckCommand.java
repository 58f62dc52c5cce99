package org.est4j.cli;

import java.nio.file.Path;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/**
 * {@code estserver check -config FILE}: everything the server would check at start (files
 * readable, keys decrypt, CA chains consistent, profiles sane, labels referring to existing CAs
 * and profiles), without listening and without contacting upstream CAs. Exit 0 with a one-line
 * summary, or 2 with the message naming the key.
 */
@Command(name = "check", description = "validate a configuration file without starting the server")
final class CheckCommand implements Callable<Integer> {
  @Spec CommandSpec spec;

  @Option(names = {"-config", "--config"}, required = true, paramLabel = "FILE", description = "configuration file")
  Path config;

  @Override
  public Integer call() {
    try {
      ServerConfig cfg = ServerConfigReader.load(java.util.Optional.of(config));
      ServerAssembly.Assembled a = ServerAssembly.assemble(cfg, false);
      PkiConfig pki = cfg.pki();
      spec.commandLine().getOut().println(config + ": ok: " + plural(Math.max(pki.cas().size(), 1), "CA")
          + (pki.cas().isEmpty() ? " (transient)" : " (" + String.join(", ", pki.cas().keySet()) + ")") + ", "
          + plural(pki.profiles().size(), "profile") + ", " + plural(a.settings().build().labels().size(), "label") + ", "
          + plural(cfg.users().size(), "user") + ", listening on " + cfg.listen().display(cfg.listen().port()));
      spec.commandLine().getOut().flush();
      return EstServerCommand.EXIT_OK;
    } catch (Exception e) { // ConfigException, and anything else a bad configuration provokes
      spec.commandLine().getErr().println("estserver: configuration error: " + e.getMessage());
      spec.commandLine().getErr().flush();
      return EstServerCommand.EXIT_CONFIG;
    }
  }

  private static String plural(int n, String what) {
    return n + " " + what + (n == 1 ? "" : "s");
  }
}
