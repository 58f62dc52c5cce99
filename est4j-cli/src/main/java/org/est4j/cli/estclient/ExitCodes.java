package org.est4j.cli.estclient;

import java.io.IOException;
import java.io.InterruptedIOException;
import org.est4j.client.EstConnectionException;
import org.est4j.client.EstPendingException;
import org.est4j.client.EstServerException;

/** estclient's exit codes: scripts can tell "fix the command" from "retry later". */
final class ExitCodes {
  static final int OK = 0;
  /** Anything else: unreadable files, malformed server answers, I/O errors. */
  static final int FAILURE = 1;
  /** Unknown command or flag, bad flag value, missing required flag. */
  static final int USAGE = 2;
  /** DNS, TCP, proxy, timeout or TLS handshake failure (including an untrusted server certificate). */
  static final int CONNECTION = 3;
  /** The server answered with an error status (4xx, 5xx). */
  static final int REJECTED = 4;
  /** The server accepted the request for later processing (202): retry after the given delay. */
  static final int PENDING = 5;

  /** The lines of the usage text's "Exit codes" section. */
  static final String[] HELP = {
    "0:ok",
    "1:other failure (unreadable file, malformed server response)",
    "2:usage error (unknown command or flag, bad or missing flag value)",
    "3:connection or TLS failure (includes an untrusted server certificate)",
    "4:the server refused the request (HTTP 4xx/5xx)",
    "5:pending: the server accepted the request for later processing (HTTP 202); retry after the"
        + " printed delay, or use -wait",
  };

  private ExitCodes() {}

  /** The exit code for an exception of an EST operation. */
  static int of(IOException e) {
    if (e instanceof EstConnectionException) {
      return CONNECTION;
    }
    if (e instanceof EstServerException) {
      return REJECTED;
    }
    if (e instanceof EstPendingException) {
      return PENDING;
    }
    if (e instanceof InterruptedIOException) {
      return CONNECTION; // a socket timeout
    }
    return FAILURE;
  }
}
