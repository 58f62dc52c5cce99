package org.est4j.client.internal;

import static org.assertj.core.api.Assertions.assertThat;

import java.security.cert.CertPathValidatorException;
import java.security.cert.CertificateException;
import java.security.cert.CertificateExpiredException;
import javax.net.ssl.SSLHandshakeException;
import org.junit.jupiter.api.Test;

class ConnectionMessagesTest {
  @Test
  void jdkClassNamesAreDropped() {
    assertThat(Connection.withoutClassNames("PKIX path building failed: sun.security.provider.certpath."
        + "SunCertPathBuilderException: unable to find valid certification path to requested target"))
        .isEqualTo("PKIX path building failed: unable to find valid certification path to requested target");
    assertThat(Connection.withoutClassNames("javax.net.ssl.SSLHandshakeException: Received fatal alert: bad_certificate"))
        .isEqualTo("Received fatal alert: bad_certificate");
  }

  @Test
  void expiryValidationAndHostNameInWords() {
    Exception expired = handshake(new CertificateException(new CertPathValidatorException(
        "validity check failed", new CertificateExpiredException("NotAfter: ..."))));
    assertThat(Connection.untrusted("est.example", expired, expired.getCause()))
        .isEqualTo("the server's certificate for est.example (or one of its CA certificates) has expired");
    Exception revoked = handshake(new CertificateException(new CertPathValidatorException(
        "x", null, null, -1, CertPathValidatorException.BasicReason.REVOKED)));
    assertThat(Connection.untrusted("est.example", revoked, revoked.getCause())).isEqualTo("the server's certificate for"
        + " est.example is not trusted by the configured trust anchors (PKIX path validation failed: revoked)");
    CertificateException name = new CertificateException("No subject alternative DNS name matching est.example found.");
    assertThat(Connection.untrusted("est.example", handshake(name), name))
        .isEqualTo("the server's certificate does not name est.example (No subject alternative DNS name matching est.example found.)");
  }

  private static Exception handshake(Throwable cause) {
    SSLHandshakeException e = new SSLHandshakeException("handshake failed");
    e.initCause(cause);
    return e;
  }
}
