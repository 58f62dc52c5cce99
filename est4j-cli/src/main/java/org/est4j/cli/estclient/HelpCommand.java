package org.est4j.cli.estclient;

import java.nio.charset.StandardCharsets;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/** {@code help [-common] [command]}. */
@Command(name = "help", sortOptions = false, description = "show this usage information")
final class HelpCommand extends BaseCommand {
  @Option(names = {"-common", "--common"}, description = "also explain the configuration file and the options most commands share")
  boolean common;

  @Parameters(arity = "0..1", paramLabel = "<command>", description = "the command to explain")
  String command;

  @Override
  void run() throws Exception {
    CommandLine rootLine = root.spec.commandLine();
    String text;
    if (command != null) {
      CommandLine sub = rootLine.getSubcommands().get(command);
      if (sub == null) {
        throw CliException.usage("unknown command \"" + command + "\"; use \"estclient help\" for a list of commands");
      }
      text = sub.getUsageMessage();
    } else {
      text = rootLine.getUsageMessage();
    }
    if (common) {
      text += "\n" + new String(SampleConfigCommand.resource("common-help.txt"), StandardCharsets.UTF_8);
    }
    Output.write(io(), null, "", text.getBytes(StandardCharsets.UTF_8));
  }
}
