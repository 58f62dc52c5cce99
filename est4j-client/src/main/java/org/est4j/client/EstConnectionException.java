package org.est4j.client;

/**
 * The connection to the EST server (or to the proxy) could not be made or broke: DNS, TCP, a
 * timeout, the proxy's refusal of CONNECT, or the TLS handshake. The message names the host and
 * port; when the server's certificate failed verification it says that the server's certificate
 * is not trusted by the configured trust anchors.
 */
public class EstConnectionException extends EstException {
  private static final long serialVersionUID = 1L;

  public EstConnectionException(String message, Throwable cause) {
    super(message, cause);
  }
}
