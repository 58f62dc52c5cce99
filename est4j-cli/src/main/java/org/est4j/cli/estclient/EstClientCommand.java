package org.est4j.cli.estclient;

import java.io.IOException;
import java.io.OutputStreamWriter;
import java.io.PrintWriter;
import java.nio.charset.StandardCharsets;
import java.util.Collection;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Callable;
import java.util.function.Supplier;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Spec;

/**
 * {@code estclient}: est4j's EST (RFC 7030) client, accepting the command lines of the Go
 * {@code globalsign/est} estclient: single-dash long options as it writes them, double-dash too.
 */
@Command(
    name = "estclient",
    synopsisSubcommandLabel = "<command>",
    description = {"An EST (RFC 7030) client: certificate enrollment over HTTPS.", ""},
    footer = {"", "Use \"estclient <command> -help\" for a command's options, and",
      "\"estclient help -common\" for the configuration file and the shared options."},
    exitCodeListHeading = "%nExit codes:%n",
    exitCodeList = {})
public final class EstClientCommand implements Callable<Integer> {
  private final Io io;

  @Spec CommandSpec spec;

  EstClientCommand(Io io) {
    this.io = io;
  }

  Io io() {
    return io;
  }

  public static void main(String[] args) {
    System.exit(run(Io.system(), args));
  }

  /** Runs one command line and returns its exit code; everything goes through {@code io}. */
  public static int run(Io io, String... args) {
    try {
      return commandLine(io, args).execute(args);
    } finally {
      io.closeResources();
    }
  }

  /** Every command, in the order of the usage text. */
  private static final Map<String, Supplier<Object>> COMMANDS = new LinkedHashMap<>();

  static {
    COMMANDS.put("cacerts", CaCertsCommand::new);
    COMMANDS.put("csrattrs", CsrAttrsCommand::new);
    COMMANDS.put("csr", CsrCommand::new);
    COMMANDS.put("enroll", EnrollCommand::new);
    COMMANDS.put("reenroll", ReenrollCommand::new);
    COMMANDS.put("serverkeygen", ServerKeyGenCommand::new);
    COMMANDS.put("tpmenroll", TpmEnrollCommand::new);
    COMMANDS.put("sampleconfig", SampleConfigCommand::new);
    COMMANDS.put("help", HelpCommand::new);
    COMMANDS.put("version", VersionCommand::new);
  }

  /** The command line with every command (for help and tests). */
  static CommandLine commandLine(Io io) {
    return commandLine(io, COMMANDS.keySet());
  }

  /**
   * Picocli builds a command's model by reflection, which costs start-up time: when the first
   * argument names a command (other than help), only that command is registered.
   */
  static CommandLine commandLine(Io io, String... args) {
    if (args.length > 0 && COMMANDS.containsKey(args[0]) && !args[0].equals("help")) {
      return commandLine(io, List.of(args[0]));
    }
    return commandLine(io);
  }

  private static CommandLine commandLine(Io io, Collection<String> commands) {
    CommandLine cl = new CommandLine(new EstClientCommand(io));
    for (String name : commands) {
      cl.addSubcommand(name, COMMANDS.get(name).get());
    }
    cl.getCommandSpec().usageMessage().exitCodeList(exitCodes());
    cl.setPosixClusteredShortOptionsAllowed(false);
    cl.setOut(new PrintWriter(new OutputStreamWriter(io.out(), StandardCharsets.UTF_8), true));
    cl.setErr(new PrintWriter(new OutputStreamWriter(io.err(), StandardCharsets.UTF_8), true));
    cl.setExecutionExceptionHandler((e, cmd, parsed) -> report(io, e));
    cl.setParameterExceptionHandler(
        (e, args) -> {
          CommandLine cmd = e.getCommandLine();
          String name = cmd.getCommandName();
          if (cmd == cl && e instanceof CommandLine.UnmatchedArgumentException u && !u.getUnmatched().isEmpty()) {
            io.err().println("estclient: unknown command \"" + u.getUnmatched().get(0) + "\"");
            io.err().println("Use \"estclient help\" for a list of commands.");
          } else {
            io.err().println("estclient: " + (cmd == cl ? "" : name + ": ") + e.getMessage());
            io.err().println("Use \"estclient " + (cmd == cl ? "help" : name + " -help") + "\" for usage.");
          }
          return ExitCodes.USAGE;
        });
    return cl;
  }

  private static java.util.Map<String, String> exitCodes() {
    java.util.Map<String, String> m = new java.util.LinkedHashMap<>();
    for (String line : ExitCodes.HELP) {
      int colon = line.indexOf(':');
      m.put(line.substring(0, colon), line.substring(colon + 1));
    }
    return m;
  }

  static int report(Io io, Exception e) {
    int code;
    String message;
    if (e instanceof CliException c) {
      code = c.exitCode();
      message = c.getMessage();
    } else if (e instanceof IOException io2) {
      code = ExitCodes.of(io2);
      message = e.getMessage() == null ? e.toString() : e.getMessage();
    } else if (e instanceof IllegalStateException || e instanceof IllegalArgumentException) {
      code = ExitCodes.USAGE;
      message = e.getMessage();
    } else {
      code = ExitCodes.FAILURE;
      message = e.toString();
    }
    io.err().println("estclient: " + message);
    return code;
  }

  /** No command: the usage, and exit 2. */
  @Override
  public Integer call() {
    io.err().print(spec.commandLine().getUsageMessage());
    io.err().flush();
    return ExitCodes.USAGE;
  }
}
