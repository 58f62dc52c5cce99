package org.est4j.server.store;

/**
 * The store could not do what was asked (database unreachable, constraint violated, ...). Unchecked:
 * for the EST engine it is "our fault", a 500 with a request id and no certificate.
 */
public class StoreException extends RuntimeException {
  private static final long serialVersionUID = 1L;

  public StoreException(String message, Throwable cause) {
    super(message, cause);
  }

  public StoreException(String message) {
    super(message);
  }
}
