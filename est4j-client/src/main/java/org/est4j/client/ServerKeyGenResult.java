package org.est4j.client;

import java.security.PrivateKey;
import java.security.cert.X509Certificate;
import java.util.Objects;

/**
 * The certificate and the private key the server generated for it (RFC 7030 §4.4.2).
 *
 * @param certificate the issued certificate
 * @param privateKey its private key, as the server sent it (unencrypted PKCS#8)
 */
public record ServerKeyGenResult(X509Certificate certificate, PrivateKey privateKey) {
  public ServerKeyGenResult {
    Objects.requireNonNull(certificate, "certificate");
    Objects.requireNonNull(privateKey, "privateKey");
  }

  @Override
  public String toString() {
    return "ServerKeyGenResult[certificate=" + certificate.getSubjectX500Principal()
        + ", privateKey=" + privateKey.getAlgorithm() + " (hidden)]";
  }
}
