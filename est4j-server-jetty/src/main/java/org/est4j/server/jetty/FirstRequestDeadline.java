package org.est4j.server.jetty;

import java.time.Duration;
import java.util.concurrent.TimeUnit;
import org.eclipse.jetty.io.Connection;
import org.eclipse.jetty.server.AbstractMetaDataConnection;
import org.eclipse.jetty.util.thread.Scheduler;

/**
 * Closes an HTTP connection whose first request has not arrived within the deadline. The idle
 * timeout alone lets a client that sends one header byte every few seconds hold a connection
 * forever (slowloris); Jetty 12 has no header timeout of its own.
 */
final class FirstRequestDeadline implements Connection.Listener {
  private final Scheduler scheduler;
  private final long millis;

  FirstRequestDeadline(Scheduler scheduler, Duration deadline) {
    this.scheduler = scheduler;
    this.millis = deadline.toMillis();
  }

  @Override
  public void onOpened(Connection connection) {
    if (connection instanceof AbstractMetaDataConnection http) {
      scheduler.schedule(() -> closeIfSilent(http), millis, TimeUnit.MILLISECONDS);
    }
  }

  private static void closeIfSilent(AbstractMetaDataConnection http) {
    if (http.getMessagesIn() == 0 && http.getEndPoint().isOpen()) {
      http.getEndPoint().close();
    }
  }
}
