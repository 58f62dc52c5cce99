package org.est4j.server;

import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.TimeUnit;
import org.est4j.server.store.AuditEvent;
import org.est4j.server.store.AuditStore;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The audit trail: each event is one JSON line on the logger {@code org.est4j.audit} (written on
 * the request thread) and one row in the store. With {@code rowsWithCertificates}, the row of a
 * request that issues a certificate is committed by the certificate store in the certificate's
 * transaction, before the response (see {@link AuditSink#rowsWithCertificates()}); every other
 * row (errors, 202, cacerts, csrattrs, certificates delivered after a manual approval) is inserted
 * in batches by one writer thread after the response, so a kill -9 can lose the last of those
 * rows (up to {@value #LINGER_MILLIS} ms of them plus the batch being written). The JSON line is
 * handed to the logging system on the request thread; whether it survives a kill -9 depends on
 * the appender (the CLI's asynchronous one keeps a queue in memory too). A full queue
 * (the database slower than the requests for {@value #CAPACITY} events) makes request threads
 * wait rather than lose events; a failed batch is logged with its events' request ids (they are
 * in the JSON log regardless). {@link #close} writes what is queued.
 */
public final class AuditTrail implements AuditSink, AutoCloseable {
  static final int CAPACITY = 8192;
  static final int MAX_BATCH = 256;
  static final long LINGER_MILLIS = 50;
  static final long LINGER_NANOS = TimeUnit.MILLISECONDS.toNanos(LINGER_MILLIS);
  private static final Logger AUDIT = LoggerFactory.getLogger("org.est4j.audit");
  private static final Logger LOG = LoggerFactory.getLogger(AuditTrail.class);
  private static final AuditEvent STOP = new AuditEvent(java.time.Instant.EPOCH, "", "", "", Optional.empty(), "",
      "", 0, Optional.empty(), Optional.empty());

  private final Optional<AuditStore> store;
  private final boolean rowsWithCertificates;
  private final BlockingQueue<AuditEvent> queue = new ArrayBlockingQueue<>(CAPACITY);
  private final Thread writer;
  private volatile boolean closed;

  /** JSON lines, and rows in {@code store} when present, all written by this trail. */
  public AuditTrail(Optional<AuditStore> store) {
    this(store, false);
  }

  /**
   * @param rowsWithCertificates {@code store} is in the certificate store's database, which then
   *     commits the rows of issued certificates itself (ignored without a store)
   */
  public AuditTrail(Optional<AuditStore> store, boolean rowsWithCertificates) {
    this.store = store;
    this.rowsWithCertificates = rowsWithCertificates && store.isPresent();
    this.writer = new Thread(this::run, "est4j-audit-writer");
    writer.setDaemon(true);
    if (store.isPresent()) {
      writer.start();
    }
  }

  @Override
  public void record(AuditEvent event) {
    if (AUDIT.isInfoEnabled()) {
      AUDIT.info(AuditJson.of(event));
    }
    if (store.isEmpty() || closed) {
      return;
    }
    try {
      queue.put(event);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }

  @Override
  public boolean rowsWithCertificates() {
    return rowsWithCertificates;
  }

  /** The row is committed (with its certificate): the JSON line only. */
  @Override
  public void recordCommitted(AuditEvent event) {
    if (AUDIT.isInfoEnabled()) {
      AUDIT.info(AuditJson.of(event));
    }
  }

  private void run() {
    List<AuditEvent> batch = new ArrayList<>(MAX_BATCH);
    while (true) {
      try {
        AuditEvent first = queue.poll(1, TimeUnit.SECONDS);
        if (first == null) {
          continue;
        }
        batch.add(first);
        // Linger to fill the batch: each commit costs a file write (H2) or a WAL flush
        // (PostgreSQL) whatever its size; measured with H2, one commit per few events cost a
        // fifth of the enrollment rate.
        long deadline = System.nanoTime() + LINGER_NANOS;
        while (batch.size() < MAX_BATCH && !batch.contains(STOP)) {
          long left = deadline - System.nanoTime();
          if (left <= 0) {
            break;
          }
          AuditEvent next = queue.poll(left, TimeUnit.NANOSECONDS);
          if (next == null) {
            break;
          }
          batch.add(next);
          queue.drainTo(batch, MAX_BATCH - batch.size());
        }
        boolean stop = batch.remove(STOP);
        write(batch);
        batch.clear();
        if (stop) {
          return;
        }
      } catch (InterruptedException e) {
        return;
      }
    }
  }

  private void write(List<AuditEvent> batch) {
    if (batch.isEmpty()) {
      return;
    }
    try {
      store.get().append(List.copyOf(batch));
    } catch (RuntimeException e) {
      LOG.error("cannot store {} audit events (request ids {} .. {}); they are in the org.est4j.audit log: {}",
          batch.size(), batch.get(0).requestId(), batch.get(batch.size() - 1).requestId(), e.getMessage());
    }
  }

  /** The JSON line of an event (as logged to org.est4j.audit). */
  public static String json(AuditEvent event) {
    return AuditJson.of(event);
  }

  /** Writes the queued events, then stops the writer. */
  @Override
  public void close() {
    if (closed) {
      return;
    }
    closed = true;
    if (store.isPresent()) {
      try {
        queue.put(STOP);
        writer.join(10_000);
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
      }
    }
  }
}
