package org.est4j.client;

import java.io.IOException;

/**
 * Base of every failure of an EST operation. Subclasses say whose fault it was: the connection
 * ({@link EstConnectionException}), the server's decision ({@link EstServerException}), a
 * malformed answer ({@link EstResponseException}) or a request still pending ({@link
 * EstPendingException}).
 */
public class EstException extends IOException {
  private static final long serialVersionUID = 1L;

  public EstException(String message) {
    super(message);
  }

  public EstException(String message, Throwable cause) {
    super(message, cause);
  }
}
