package org.est4j.server;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.est4j.protocol.ErrorBody;

/**
 * A rejection the client can act on: an HTTP status and a message written for a person, sent as
 * {@code text/plain} {@code "<status> <message>"} (the body format the Go seed's clients parse).
 * Anything that is not an EstError becomes a 500 whose details stay in the server log.
 */
public final class EstError extends Exception {
  private static final long serialVersionUID = 1L;

  private final int status;
  private final Duration retryAfter;
  private final List<Map.Entry<String, String>> headers;
  private final boolean bodyless;

  private EstError(
      int status, String message, Duration retryAfter, List<Map.Entry<String, String>> headers, boolean bodyless) {
    super(message, null, false, false); // expected outcomes: no stack trace to fill
    this.status = status;
    this.retryAfter = retryAfter;
    this.headers = List.copyOf(headers);
    this.bodyless = bodyless;
  }

  public static EstError of(int status, String message) {
    return new EstError(status, message, null, List.of(), false);
  }

  public static EstError retryLater(int status, String message, Duration retryAfter) {
    return new EstError(status, message, retryAfter, List.of(), false);
  }

  public EstError withHeader(String name, String value) {
    List<Map.Entry<String, String>> more = new ArrayList<>(headers);
    more.add(Map.entry(name, value));
    return new EstError(status, getMessage(), retryAfter, more, bodyless);
  }

  /** The same error with an empty body (for a 401 challenge; see {@code Authenticator}). */
  public EstError withoutBody() {
    return new EstError(status, getMessage(), retryAfter, headers, true);
  }

  public int status() {
    return status;
  }

  public Optional<Duration> retryAfter() {
    return Optional.ofNullable(retryAfter);
  }

  /** The response for this error. */
  public EstResponse toResponse() {
    EstResponse response =
        bodyless
            ? EstResponse.empty(status)
            : EstResponse.of(status, ErrorBody.CONTENT_TYPE, ErrorBody.of(status, getMessage()));
    if (retryAfter != null) {
      long seconds = Math.max(1, (retryAfter.toMillis() + 999) / 1000);
      response = response.withHeader("Retry-After", Long.toString(seconds));
    }
    for (Map.Entry<String, String> h : headers) {
      response = response.withHeader(h.getKey(), h.getValue());
    }
    return response;
  }
}
