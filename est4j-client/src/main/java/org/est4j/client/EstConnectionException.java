package org.est4j.client;

/**
 * The connection to the EST server (or to the proxy) could not be made or broke: DNS, TCP, a
 * timeout, the proxy's refusal of CONNECT, or the TLS handshake. The message names the host and
 * port; when the server's certificate failed verification it says so in words, e.g. "TLS handshake
 * with est.example:443 failed: the server's certificate for est.example is not trusted by the
 * configured trust anchors (PKIX path building failed)", without the JDK's internal class names.
 * The original exception (e.g. the {@link javax.net.ssl.SSLHandshakeException}) is the cause.
 */
public class EstConnectionException extends EstException {
  private static final long serialVersionUID = 1L;

  public EstConnectionException(String message, Throwable cause) {
    super(message, cause);
  }
}
