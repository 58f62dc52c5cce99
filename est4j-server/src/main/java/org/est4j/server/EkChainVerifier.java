package org.est4j.server;

import java.security.GeneralSecurityException;
import java.security.cert.CertPathBuilder;
import java.security.cert.CertPathBuilderException;
import java.security.cert.CertStore;
import java.security.cert.CollectionCertStoreParameters;
import java.security.cert.PKIXBuilderParameters;
import java.security.cert.TrustAnchor;
import java.security.cert.X509CertSelector;
import java.security.cert.X509Certificate;
import java.util.HashSet;
import java.util.List;
import java.util.Set;

/**
 * Verifies an EK certificate (with the intermediates the client sent, in any order) against the
 * TPM manufacturer certificates a label trusts, by PKIX path building. Every configured
 * certificate is a trust anchor, so an intermediate CA may be trusted directly. EK certificates
 * commonly have an empty subject with a critical subjectAltName (the TPM's manufacturer, model,
 * version), which PKIX accepts; revocation is not checked (manufacturers rarely publish CRLs for
 * EK CAs, and an enrollment must not hang on one).
 */
final class EkChainVerifier {
  private final Set<TrustAnchor> anchors = new HashSet<>();

  EkChainVerifier(List<X509Certificate> roots) {
    for (X509Certificate root : roots) {
      anchors.add(new TrustAnchor(root, null));
    }
  }

  /** Null when the chain verifies, else the reason, for the client. */
  String verify(List<X509Certificate> chain) {
    try {
      X509CertSelector target = new X509CertSelector();
      target.setCertificate(chain.get(0));
      PKIXBuilderParameters params = new PKIXBuilderParameters(anchors, target);
      params.setRevocationEnabled(false);
      params.addCertStore(CertStore.getInstance("Collection", new CollectionCertStoreParameters(chain)));
      CertPathBuilder.getInstance("PKIX").build(params);
      return null;
    } catch (CertPathBuilderException e) {
      return "EK certificate does not chain to a trusted TPM manufacturer certificate";
    } catch (GeneralSecurityException e) {
      throw new IllegalStateException("PKIX is mandatory in every JRE", e);
    }
  }
}
