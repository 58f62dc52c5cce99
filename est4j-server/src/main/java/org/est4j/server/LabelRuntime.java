package org.est4j.server;

import java.security.cert.X509Certificate;
import java.util.ArrayList;
import java.util.List;
import org.est4j.protocol.CertsOnly;
import org.est4j.protocol.EstBase64;

/**
 * A label's settings plus what is derived from them once: the encoded /cacerts body and the
 * client-certificate verifiers. Derived values are computed on first use, so a CA that fails
 * (the {@code triggererrors} test label) fails per request rather than at start.
 */
final class LabelRuntime {
  final LabelSettings settings;
  private final List<X509Certificate> clientCas;
  private volatile byte[] caCertsWrapped;
  private volatile byte[] caCertsOneLine;
  private volatile ClientCertificateVerifier issuedByUs;
  private volatile ClientCertificateVerifier enrollmentTrust;
  private volatile ClientCertificateVerifier labelTrust;
  private volatile EkChainVerifier ekChainVerifier;

  LabelRuntime(LabelSettings settings, List<X509Certificate> clientCas) {
    this.settings = settings;
    this.clientCas = clientCas;
  }

  /** The base64 certs-only body of /cacerts, in the requested line length. */
  byte[] caCertsBody(int lineLength) {
    if (lineLength == 76) {
      byte[] b = caCertsWrapped;
      if (b == null) {
        b = EstBase64.encode(caCertsDer(), 76);
        caCertsWrapped = b;
      }
      return b;
    }
    if (lineLength == 0) {
      byte[] b = caCertsOneLine;
      if (b == null) {
        b = EstBase64.encode(caCertsDer(), 0);
        caCertsOneLine = b;
      }
      return b;
    }
    return EstBase64.encode(caCertsDer(), lineLength);
  }

  private byte[] caCertsDer() {
    return CertsOnly.encode(settings.authority().caCertificates());
  }

  /** Verifies certificates issued by this label's CA (for /simplereenroll). */
  ClientCertificateVerifier issuedByUs() {
    ClientCertificateVerifier v = issuedByUs;
    if (v == null) {
      v = new ClientCertificateVerifier(settings.authority().caCertificates());
      issuedByUs = v;
    }
    return v;
  }

  /**
   * Verifies certificates that may authenticate an enrollment: ours, the server-wide client CAs,
   * or this label's own client CAs.
   */
  ClientCertificateVerifier enrollmentTrust() {
    ClientCertificateVerifier v = enrollmentTrust;
    if (v == null) {
      List<X509Certificate> all = new ArrayList<>(settings.authority().caCertificates());
      all.addAll(clientCas);
      v = new ClientCertificateVerifier(all);
      enrollmentTrust = v;
    }
    return v;
  }

  /**
   * Whether a TLS client chain may authenticate an enrollment here: it chains to our CA or a
   * server-wide client CA, or to one of this label's own client CAs (checked as a set of its own,
   * so that an intermediate listed alone is the anchor of that set).
   */
  boolean trustsForEnrollment(List<X509Certificate> chain) {
    if (enrollmentTrust().verify(chain)) {
      return true;
    }
    if (settings.clientCas().isEmpty()) {
      return false;
    }
    ClientCertificateVerifier v = labelTrust;
    if (v == null) {
      v = new ClientCertificateVerifier(settings.clientCas());
      labelTrust = v;
    }
    return v.verify(chain);
  }

  /** Verifies EK certificate chains against the label's TPM manufacturer roots (/tpmenroll). */
  EkChainVerifier ekChainVerifier() {
    EkChainVerifier v = ekChainVerifier;
    if (v == null) {
      v = new EkChainVerifier(settings.tpmEndorsementRoots());
      ekChainVerifier = v;
    }
    return v;
  }
}
