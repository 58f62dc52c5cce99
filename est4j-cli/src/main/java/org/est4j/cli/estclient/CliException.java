package org.est4j.cli.estclient;

/** A failure estclient reports as {@code estclient: <message>} and exits with {@link #exitCode()}. */
final class CliException extends Exception {
  private static final long serialVersionUID = 1L;

  private final int exitCode;

  CliException(int exitCode, String message) {
    super(message);
    this.exitCode = exitCode;
  }

  CliException(int exitCode, String message, Throwable cause) {
    super(message, cause);
    this.exitCode = exitCode;
  }

  static CliException usage(String message) {
    return new CliException(ExitCodes.USAGE, message);
  }

  static CliException failure(String message, Throwable cause) {
    return new CliException(ExitCodes.FAILURE, message, cause);
  }

  int exitCode() {
    return exitCode;
  }
}
