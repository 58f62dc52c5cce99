package org.est4j.protocol.pem;

/**
 * A PEM file could not be read. The message names the file and the problem in words an operator
 * can act on ("wrong passphrase for key.pem"); it never contains key material.
 */
public class PemException extends Exception {
  private static final long serialVersionUID = 1L;

  public PemException(String message) {
    super(message);
  }

  public PemException(String message, Throwable cause) {
    super(message, cause);
  }
}
