package org.est4j.cli.estclient;

import java.time.Duration;
import picocli.CommandLine.Option;

/** {@code -wait}: the one flag shared by the commands that may be answered 202 (pending). */
final class WaitOptions {
  @Option(names = {"-wait", "--wait"}, paramLabel = "<duration>",
      description = "when the server answers 202 (pending), resubmit after its Retry-After for up to this long")
  String wait;

  /** The bound, or null when the command should report 202 and exit instead of waiting. */
  Duration bound() throws CliException {
    return EnrollSupport.parseWait(wait);
  }
}
