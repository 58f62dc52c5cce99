package org.est4j.server;

import java.security.GeneralSecurityException;
import java.security.InvalidAlgorithmParameterException;
import java.security.cert.CertPathBuilder;
import java.security.cert.CertStore;
import java.security.cert.CertificateParsingException;
import java.security.cert.CollectionCertStoreParameters;
import java.security.cert.PKIXBuilderParameters;
import java.security.cert.TrustAnchor;
import java.security.cert.X509CertSelector;
import java.security.cert.X509Certificate;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;

/**
 * Verifies a TLS client certificate against a fixed set of CA certificates, never the system
 * trust store (the Go seed fell back to it when its CA had no self-signed certificate). The chain
 * is built from our CA certificates, so a client that sends only its leaf is accepted.
 */
final class ClientCertificateVerifier {
  private static final String CLIENT_AUTH = "1.3.6.1.5.5.7.3.2";
  private static final String ANY_EKU = "2.5.29.37.0";

  private final Set<TrustAnchor> anchors;
  private final List<X509Certificate> intermediates;

  /** Self-signed certificates become anchors; if there are none, the topmost certificate is one. */
  ClientCertificateVerifier(List<X509Certificate> caCertificates) {
    Set<TrustAnchor> a = new HashSet<>();
    List<X509Certificate> rest = new ArrayList<>();
    for (X509Certificate c : caCertificates) {
      if (c.getSubjectX500Principal().equals(c.getIssuerX500Principal())) {
        a.add(new TrustAnchor(c, null));
      } else {
        rest.add(c);
      }
    }
    if (a.isEmpty() && !caCertificates.isEmpty()) {
      X509Certificate top = caCertificates.get(caCertificates.size() - 1);
      a.add(new TrustAnchor(top, null));
      rest.remove(top);
    }
    this.anchors = Set.copyOf(a);
    this.intermediates = List.copyOf(rest);
  }

  /** True when the leaf chains to one of our anchors, is valid now and may be used for client auth. */
  boolean verify(List<X509Certificate> peerChain) {
    if (peerChain.isEmpty() || anchors.isEmpty()) {
      return false;
    }
    X509Certificate leaf = peerChain.get(0);
    try {
      if (!permitsClientAuth(leaf)) {
        return false;
      }
      X509CertSelector target = new X509CertSelector();
      target.setCertificate(leaf);
      PKIXBuilderParameters params = new PKIXBuilderParameters(anchors, target);
      params.setRevocationEnabled(false); // revocation arrives with the store (CRLs of our own CAs)
      List<X509Certificate> pool = new ArrayList<>(intermediates);
      pool.addAll(peerChain); // the client's intermediates still have to chain to our anchors
      params.addCertStore(CertStore.getInstance("Collection", new CollectionCertStoreParameters(pool)));
      CertPathBuilder.getInstance("PKIX").build(params);
      return true;
    } catch (InvalidAlgorithmParameterException e) {
      return false;
    } catch (GeneralSecurityException e) {
      return false;
    }
  }

  private static boolean permitsClientAuth(X509Certificate leaf) throws CertificateParsingException {
    List<String> eku = leaf.getExtendedKeyUsage();
    return eku == null || eku.contains(CLIENT_AUTH) || eku.contains(ANY_EKU);
  }
}
