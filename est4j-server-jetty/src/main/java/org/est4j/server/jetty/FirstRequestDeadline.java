package org.est4j.server.jetty;

import java.time.Duration;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;
import org.eclipse.jetty.io.Connection;
import org.eclipse.jetty.server.AbstractMetaDataConnection;
import org.eclipse.jetty.util.thread.Scheduler;

/**
 * Closes an HTTP connection whose first request has not arrived within the deadline. The idle
 * timeout alone lets a client that sends one header byte every few seconds hold a connection
 * forever (slowloris); Jetty 12 has no header timeout of its own.
 *
 * <p>The timer is cancelled when the connection closes: a pending timer keeps the connection
 * reachable, and with it Conscrypt's native engine and its file descriptors, which at a thousand
 * new connections a second exhausted the process's descriptors within the deadline.
 */
final class FirstRequestDeadline implements Connection.Listener {
  private final Scheduler scheduler;
  private final long millis;
  private final Map<Connection, Scheduler.Task> pending = new ConcurrentHashMap<>();

  FirstRequestDeadline(Scheduler scheduler, Duration deadline) {
    this.scheduler = scheduler;
    this.millis = deadline.toMillis();
  }

  @Override
  public void onOpened(Connection connection) {
    if (connection instanceof AbstractMetaDataConnection http) {
      pending.put(http, scheduler.schedule(() -> expire(http), millis, TimeUnit.MILLISECONDS));
    }
  }

  @Override
  public void onClosed(Connection connection) {
    Scheduler.Task task = pending.remove(connection);
    if (task != null) {
      task.cancel();
    }
  }

  private void expire(AbstractMetaDataConnection http) {
    pending.remove(http);
    if (http.getMessagesIn() == 0 && http.getEndPoint().isOpen()) {
      http.getEndPoint().close();
    }
  }

  /** Connections still waiting for their first request or their close (for tests). */
  int pendingCount() {
    return pending.size();
  }
}
