package org.est4j.protocol;

/**
 * A message on the wire could not be decoded or verified. The message is written for the peer
 * ("malformed PKCS10 certificate signing request"), never with internal details, so a server may
 * return it in an error body as it is.
 */
public class EstProtocolException extends Exception {
  private static final long serialVersionUID = 1L;

  public EstProtocolException(String publicMessage) {
    super(publicMessage);
  }

  public EstProtocolException(String publicMessage, Throwable cause) {
    super(publicMessage, cause);
  }
}
