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
   * "healthcheck", or "-" when the path named none; {@code serial} is the hex serial of the
   * certificate this request delivered, or null; {@code issued} is true when this request also
   * signed and recorded it (false when it delivered again one issued earlier: a retry of an
   * approved request).
   */
  record RequestOutcome(String requestId, String label, String operation, int status, long durationNanos,
      String serial, boolean issued) {
    /** A delivered certificate counts as issued by this request. */
    public RequestOutcome(String requestId, String label, String operation, int status, long durationNanos,
        String serial) {
      this(requestId, label, operation, status, durationNanos, serial, serial != null);
    }
  }
}
