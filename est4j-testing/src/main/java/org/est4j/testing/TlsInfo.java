package org.est4j.testing;

import java.security.cert.Certificate;
import java.security.cert.X509Certificate;
import java.util.ArrayList;
import java.util.List;
import javax.net.ssl.ExtendedSSLSession;
import javax.net.ssl.SNIHostName;
import javax.net.ssl.SNIServerName;
import javax.net.ssl.SSLPeerUnverifiedException;
import javax.net.ssl.SSLSession;

/** What a connection's TLS handshake established; all null/empty for plain HTTP. */
record TlsInfo(String protocol, List<X509Certificate> peerCertificates, String serverName) {
  static final TlsInfo NONE = new TlsInfo(null, List.of(), null);

  static TlsInfo of(SSLSession session) {
    List<X509Certificate> peer = new ArrayList<>();
    try {
      for (Certificate c : session.getPeerCertificates()) {
        peer.add((X509Certificate) c);
      }
    } catch (SSLPeerUnverifiedException e) {
      // the client sent no certificate, which "want" client authentication allows
    }
    String sni = null;
    if (session instanceof ExtendedSSLSession) {
      for (SNIServerName name : ((ExtendedSSLSession) session).getRequestedServerNames()) {
        if (name instanceof SNIHostName) {
          sni = ((SNIHostName) name).getAsciiName();
        }
      }
    }
    return new TlsInfo(session.getProtocol(), List.copyOf(peer), sni);
  }
}
