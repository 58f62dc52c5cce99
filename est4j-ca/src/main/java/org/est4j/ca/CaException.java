package org.est4j.ca;

/**
 * The CA refused or failed a request. {@link #status()} is the HTTP status the EST front end
 * answers with: 4xx for a refusal the client can act on (the message is then shown to it), 500 for
 * the CA's own failure (the message is logged, never shown).
 */
public class CaException extends Exception {
  private static final long serialVersionUID = 1L;
  private final int status;

  public CaException(int status, String message) {
    super(message);
    this.status = status;
  }

  public CaException(int status, String message, Throwable cause) {
    super(message, cause);
    this.status = status;
  }

  public int status() {
    return status;
  }
}
