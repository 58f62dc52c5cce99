package org.est4j.client;

import java.time.Duration;

/**
 * {@link EstClient#enrollAndWait} gave up: the request is still pending (202, RFC 7030 §4.2.3)
 * and waiting the server's Retry-After again would exceed the caller's bound. Resubmit the same
 * CSR after {@link #retryAfter()}.
 */
public class EstPendingException extends EstException {
  private static final long serialVersionUID = 1L;

  private final Duration retryAfter;

  public EstPendingException(String message, Duration retryAfter) {
    super(message);
    this.retryAfter = retryAfter;
  }

  /** The server's last Retry-After (or the documented default when it sent none). */
  public Duration retryAfter() {
    return retryAfter;
  }
}
