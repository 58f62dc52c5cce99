package org.est4j.ca;

import java.time.Duration;
import java.util.Objects;

/**
 * The request is accepted but not yet decided (RFC 7030 §4.2.3): the front end answers 202 with
 * a Retry-After header, and the client resubmits the same CSR after that delay.
 */
public class RetryLaterException extends CaException {
  private static final long serialVersionUID = 1L;
  private final Duration retryAfter;

  public RetryLaterException(String message, Duration retryAfter) {
    super(202, message);
    this.retryAfter = Objects.requireNonNull(retryAfter, "retryAfter");
  }

  public Duration retryAfter() {
    return retryAfter;
  }
}
