package org.est4j.server.jetty;

import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.Timer;
import io.micrometer.core.instrument.binder.jvm.JvmGcMetrics;
import io.micrometer.core.instrument.binder.jvm.JvmMemoryMetrics;
import io.micrometer.core.instrument.binder.jvm.JvmThreadMetrics;
import io.micrometer.core.instrument.binder.system.ProcessorMetrics;
import io.micrometer.core.instrument.binder.system.UptimeMetrics;
import io.micrometer.prometheusmetrics.PrometheusConfig;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import java.time.Duration;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;
import org.est4j.server.RequestListener;

/**
 * The server's Prometheus metrics: requests by operation and status, a latency histogram by
 * operation, certificates issued, and the JVM's own (memory, GC, threads, CPU, uptime). Fed by the
 * engine as a {@link RequestListener}; scraped through {@code GET /metrics}.
 *
 * <p>No metric is tagged with the label or the client: both come from clients (zero-config mode
 * accepts any label), and a tag per value would let a client grow the registry without bound.
 */
public final class EstMetrics implements RequestListener, AutoCloseable {
  /** The Prometheus text exposition format's media type. */
  public static final String CONTENT_TYPE = "text/plain; version=0.0.4; charset=utf-8";

  private static final Duration[] BUCKETS = {
    Duration.ofMillis(1), Duration.ofMillis(2), Duration.ofMillis(5), Duration.ofMillis(10),
    Duration.ofMillis(25), Duration.ofMillis(50), Duration.ofMillis(100), Duration.ofMillis(250),
    Duration.ofMillis(500), Duration.ofSeconds(1), Duration.ofSeconds(2), Duration.ofSeconds(5),
    Duration.ofSeconds(10)
  };

  private final PrometheusMeterRegistry registry = new PrometheusMeterRegistry(PrometheusConfig.DEFAULT);
  private final JvmGcMetrics gc = new JvmGcMetrics();
  // Meters by tag values: a registry look-up per request costs more than this map.
  private final ConcurrentHashMap<String, Counter> requests = new ConcurrentHashMap<>();
  private final ConcurrentHashMap<String, Timer> latency = new ConcurrentHashMap<>();
  private final ConcurrentHashMap<String, Counter> issued = new ConcurrentHashMap<>();
  private final ConcurrentHashMap<String, Timer> storeLatency = new ConcurrentHashMap<>();

  public EstMetrics() {
    new JvmMemoryMetrics().bindTo(registry);
    gc.bindTo(registry);
    new JvmThreadMetrics().bindTo(registry);
    new ProcessorMetrics().bindTo(registry);
    new UptimeMetrics().bindTo(registry);
    storeOperation("certificates.record", 0, false); // present (zero) before the first request
  }

  @Override
  public void completed(RequestOutcome outcome) {
    String op = outcome.operation();
    String status = Integer.toString(outcome.status());
    requests.computeIfAbsent(op + ' ' + status, k -> Counter.builder("est.requests")
        .description("EST requests answered, by operation and HTTP status")
        .tag("operation", op).tag("status", status).register(registry)).increment();
    latency.computeIfAbsent(op, k -> Timer.builder("est.request.duration")
        .description("Time from request to response in the EST engine, by operation")
        .tag("operation", op).serviceLevelObjectives(BUCKETS).register(registry))
        .record(outcome.durationNanos(), TimeUnit.NANOSECONDS);
    if (outcome.issued() && outcome.status() == 200) { // a re-delivered approved certificate is not counted again
      issued.computeIfAbsent(op, k -> Counter.builder("est.certificates.issued")
          .description("Certificates issued, by operation")
          .tag("operation", op).register(registry)).increment();
    }
  }

  /**
   * {@code est_requests_pending}: requests waiting for an operator ({@code approval: manual}),
   * read from the store at each scrape (so every node reports the shared count); NaN when the
   * store cannot be read.
   */
  public void pendingRequests(java.util.function.IntSupplier count) {
    io.micrometer.core.instrument.Gauge.builder("est.requests.pending", () -> {
          try {
            return count.getAsInt();
          } catch (RuntimeException e) {
            return Double.NaN;
          }
        })
        .description("Requests waiting for approval (approval: manual), all nodes").register(registry);
  }

  /** Store latency: {@code est_store_duration_seconds} by operation and result. */
  public void storeOperation(String operation, long nanos, boolean failed) {
    String key = failed ? operation + " failed" : operation;
    storeLatency.computeIfAbsent(key, k -> Timer.builder("est.store.duration")
        .description("Time of certificate store, pending request and audit operations")
        .tag("operation", operation).tag("result", failed ? "failed" : "ok")
        .serviceLevelObjectives(BUCKETS).register(registry))
        .record(nanos, TimeUnit.NANOSECONDS);
  }

  /** The current values in Prometheus text format. */
  public String scrape() {
    return registry.scrape();
  }

  @Override
  public void close() {
    gc.close();
    registry.close();
  }
}
