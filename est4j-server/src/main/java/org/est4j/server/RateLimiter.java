package org.est4j.server;

import java.net.InetAddress;
import java.util.concurrent.ConcurrentHashMap;

/**
 * Token buckets: one for the whole server and one per client address, each refilling at its rate
 * with a burst of twice the rate (as the Go seed's global limiter). State is per process: several
 * nodes each enforce their own limits.
 */
final class RateLimiter {
  private static final int MAX_TRACKED_CLIENTS = 100_000;

  private final Bucket global;
  private final double clientRate;
  private final ConcurrentHashMap<InetAddress, Bucket> clients = new ConcurrentHashMap<>();

  RateLimiter(double globalRate, double clientRate) {
    this.global = globalRate > 0 ? new Bucket(globalRate) : null;
    this.clientRate = clientRate;
  }

  /** 0 when the request may proceed, else the seconds after which a retry may succeed. */
  long acquire(InetAddress client) {
    long now = System.nanoTime();
    if (clientRate > 0) {
      if (clients.size() > MAX_TRACKED_CLIENTS) {
        clients.clear(); // bounded memory under address spraying; forgets debts, never grants more than a burst
      }
      long wait = clients.computeIfAbsent(client, c -> new Bucket(clientRate)).take(now);
      if (wait > 0) {
        return wait;
      }
    }
    return global == null ? 0 : global.take(now);
  }

  private static final class Bucket {
    private final double ratePerNano;
    private final double capacity;
    private double tokens;
    private long last;

    Bucket(double perSecond) {
      this.ratePerNano = perSecond / 1e9;
      this.capacity = Math.max(1, 2 * perSecond);
      this.tokens = capacity;
      this.last = System.nanoTime();
    }

    synchronized long take(long now) {
      tokens = Math.min(capacity, tokens + (now - last) * ratePerNano);
      last = now;
      if (tokens >= 1) {
        tokens -= 1;
        return 0;
      }
      return Math.max(1, (long) Math.ceil((1 - tokens) / ratePerNano / 1e9));
    }
  }
}
