package org.est4j.client;

import java.security.GeneralSecurityException;

/**
 * A PKCS#11 key could not be opened or used: the module does not load, no token has the label,
 * the PIN is wrong, no key or several keys match. The message names what to fix; it never
 * contains the PIN.
 */
public final class Pkcs11KeyException extends GeneralSecurityException {
  private static final long serialVersionUID = 1L;

  public Pkcs11KeyException(String message) {
    super(message);
  }

  public Pkcs11KeyException(String message, Throwable cause) {
    super(message, cause);
  }
}
