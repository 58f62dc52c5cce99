package org.est4j.cli;

import java.util.function.Consumer;
import sun.misc.Signal;

/**
 * SIGTERM, SIGINT and SIGHUP stop the server gracefully and the process exits 0, as the Go
 * estserver does; left to the JVM, a SIGTERM ends the process with status 143 (which service
 * managers count as a failure) and races the last log lines. {@code sun.misc.Signal} is the only
 * way to handle a signal in Java; it lives in the supported {@code jdk.unsupported} module.
 */
final class Signals {
  private Signals() {}

  static void onTermination(Consumer<String> handler) {
    for (String name : new String[] {"TERM", "INT", "HUP"}) {
      try {
        Signal.handle(new Signal(name), s -> handler.accept(s.getName()));
      } catch (IllegalArgumentException e) {
        // the signal does not exist on this platform (HUP on Windows) or the JVM reserves it
      }
    }
  }
}
