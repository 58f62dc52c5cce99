package org.est4j.server.store;

import java.util.Objects;

/**
 * Where the timed store decorators report how long each store operation took: to the metrics
 * once they exist (the stores are opened before the HTTP server that owns the metrics), to
 * nothing before that.
 */
public final class StoreTimings {
  /** Told about every timed store operation; must be quick and thread-safe. */
  @FunctionalInterface
  public interface Observer {
    void timed(String operation, long nanos, boolean failed);
  }

  private volatile Observer observer = (op, nanos, failed) -> {};

  public void observe(Observer o) {
    this.observer = Objects.requireNonNull(o, "observer");
  }

  void record(String operation, long startNanos, boolean failed) {
    observer.timed(operation, System.nanoTime() - startNanos, failed);
  }

  /** {@code store} with every call timed under "certificates.OPERATION". */
  public CertificateStore timed(CertificateStore store) {
    return new TimedStores.Certificates(store, this);
  }

  /** {@code store} with every call timed under "pending.OPERATION". */
  public PendingRequestStore timed(PendingRequestStore store) {
    return new TimedStores.Pending(store, this);
  }

  /** {@code store} with every call timed under "audit.OPERATION". */
  public AuditStore timed(AuditStore store) {
    return new TimedStores.Audit(store, this);
  }
}
