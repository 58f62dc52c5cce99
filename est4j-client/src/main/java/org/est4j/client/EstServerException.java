package org.est4j.client;

import java.time.Duration;
import java.util.Optional;

/**
 * The server refused the request with a non-2xx status. The message reads like {@code server
 * refused /simpleenroll: 403 triggered forbidden response}.
 */
public class EstServerException extends EstException {
  private static final long serialVersionUID = 1L;

  private final int status;
  private final Duration retryAfter;
  private final String serverMessage;

  public EstServerException(
      String message, int status, Optional<Duration> retryAfter, String serverMessage) {
    super(message);
    this.status = status;
    this.retryAfter = retryAfter.orElse(null);
    this.serverMessage = serverMessage == null ? "" : serverMessage;
  }

  /** The HTTP status code, e.g. 401, 403, 500. */
  public int status() {
    return status;
  }

  /** The server's Retry-After (e.g. with 429 or 503), if it sent a valid one. */
  public Optional<Duration> retryAfter() {
    return Optional.ofNullable(retryAfter);
  }

  /**
   * The server's explanation: a {@code text/plain} or JSON body, at most 4 KiB, control
   * characters removed; empty when the server sent none (or sent another media type).
   */
  public String serverMessage() {
    return serverMessage;
  }
}
