package org.est4j.client;

import java.io.IOException;
import java.io.InterruptedIOException;
import java.time.Duration;
import java.util.Objects;
import java.util.Optional;
import org.est4j.client.internal.HttpResponse;
import org.est4j.client.internal.Responses;

/**
 * The 202 handling of {@link EstClient}'s {@code ...AndWait} methods (RFC 7030 §4.2.3): repeat the
 * same request after each Retry-After until the answer comes, or give up before the deadline.
 */
final class Polling {
  /** Never poll in a tight loop, whatever the server says. */
  static final Duration MIN_POLL = Duration.ofSeconds(1);

  private Polling() {}

  /** One attempt of a pollable request. */
  interface Attempt {
    /** The result, or an {@link EnrollResult.Pending} for a 202. */
    Object send() throws IOException;
  }

  /**
   * Repeats {@code attempt} after each 202's Retry-After until a {@code type} comes back.
   *
   * @throws EstPendingException when the next wait would pass {@code maxWait}
   * @throws InterruptedIOException when interrupted while waiting (the interrupt flag is kept)
   */
  static <T> T poll(String operation, Duration maxWait, Attempt attempt, Class<T> type) throws IOException {
    Objects.requireNonNull(maxWait, "maxWait");
    long deadline = System.nanoTime() + maxWait.toNanos();
    while (true) {
      Object r = attempt.send();
      if (type.isInstance(r)) {
        return type.cast(r);
      }
      EnrollResult.Pending pending = (EnrollResult.Pending) r;
      Duration wait = pending.retryAfter();
      if (wait.compareTo(MIN_POLL) < 0) {
        wait = MIN_POLL;
      }
      long remaining = deadline - System.nanoTime();
      if (wait.toNanos() > remaining) {
        throw new EstPendingException(
            "/" + operation + ": still pending after waiting up to " + maxWait.toSeconds()
                + (pending.retryAfterGiven()
                    ? " s; the server asks to retry after " + wait.toSeconds() + " s"
                    : " s; the server gave no Retry-After, the next try would be in "
                        + wait.toSeconds() + " s"),
            pending.retryAfter());
      }
      try {
        Thread.sleep(wait.toMillis());
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        InterruptedIOException ie = new InterruptedIOException("/" + operation + ": interrupted while waiting");
        ie.initCause(e);
        throw ie;
      }
    }
  }

  /** A 202's answer: its Retry-After, or the default when it gave none. */
  static EnrollResult.Pending pending(HttpResponse r) {
    Optional<Duration> retryAfter = Responses.retryAfter(r);
    return new EnrollResult.Pending(retryAfter.orElse(EnrollResult.DEFAULT_RETRY_AFTER), retryAfter.isPresent());
  }
}
