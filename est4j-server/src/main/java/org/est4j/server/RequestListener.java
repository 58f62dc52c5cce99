package org.est4j.server;

/**
 * Told about every request the engine answers, after the access log line: the hook for metrics.
 * Called on the request thread, so it must be quick and thread-safe; an exception it throws is
 * logged and does not change the response.
 */
@FunctionalInterface
public interface RequestListener {

  void completed(RequestOutcome outcome);

  /**
   * One answered request. {@code operation} is the EST operation's path name ("simpleenroll"),
   * "healthcheck", or "-" when the path named none; {@code serial} is the hex serial of a
   * certificate issued by this request, or null.
   */
  record RequestOutcome(String requestId, String label, String operation, int status, long durationNanos,
      String serial) {}
}
