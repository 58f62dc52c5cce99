package org.est4j.cli.estclient;

import java.util.concurrent.Callable;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParentCommand;

/** A subcommand of estclient: reaches the run's {@link Io} through the parent; -help on each. */
abstract class BaseCommand implements Callable<Integer> {
  @ParentCommand EstClientCommand root;

  @Option(names = {"-help", "--help", "-h"}, usageHelp = true, description = "show this command's usage")
  boolean help;

  Io io() {
    return root.io();
  }

  @Override
  public final Integer call() throws Exception {
    run();
    return ExitCodes.OK;
  }

  abstract void run() throws Exception;
}
