package org.est4j.client;

import java.security.cert.Certificate;
import java.security.cert.X509Certificate;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import javax.net.ssl.SSLPeerUnverifiedException;
import javax.net.ssl.SSLSession;

/**
 * The TLS session of the connection an operation is about to send its request on, given to a
 * {@link CsrFactory} after the handshake and before the request is written.
 *
 * @param session the live session; do not invalidate it
 */
public record TlsInfo(SSLSession session) {
  public TlsInfo {
    Objects.requireNonNull(session, "session");
  }

  /** The negotiated protocol, "TLSv1.3" or "TLSv1.2". */
  public String protocol() {
    return session.getProtocol();
  }

  /** The server's certificate chain as it sent it, leaf first. */
  public List<X509Certificate> peerCertificates() {
    try {
      List<X509Certificate> out = new ArrayList<>();
      for (Certificate c : session.getPeerCertificates()) {
        if (c instanceof X509Certificate) {
          out.add((X509Certificate) c);
        }
      }
      return List.copyOf(out);
    } catch (SSLPeerUnverifiedException e) {
      return List.of();
    }
  }
}
