package org.est4j.client;

/**
 * The server answered, but not with something this client can use: a wrong content type, bad
 * base64, a body that is not PKCS#7, a truncated or oversized body, a malformed HTTP message, a
 * cross-origin redirect. The message names the operation and what was wrong.
 */
public class EstResponseException extends EstException {
  private static final long serialVersionUID = 1L;

  public EstResponseException(String message) {
    super(message);
  }

  public EstResponseException(String message, Throwable cause) {
    super(message, cause);
  }
}
