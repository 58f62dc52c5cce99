package org.est4j.it.client;

import static org.assertj.core.api.Assertions.assertThat;

import java.security.KeyPair;
import java.security.PrivateKey;
import java.security.PublicKey;
import java.security.Signature;
import java.security.cert.CertPathValidator;
import java.security.cert.CertificateFactory;
import java.security.cert.PKIXParameters;
import java.security.cert.TrustAnchor;
import java.security.cert.X509Certificate;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;

/** Assertions shared by the client suites. */
final class Chains {
  private Chains() {}

  /** PKIX-validates {@code leaf} up to the last certificate of {@code caCerts} (the root). */
  static void assertChains(X509Certificate leaf, List<X509Certificate> caCerts) throws Exception {
    X509Certificate root = caCerts.get(caCerts.size() - 1);
    List<X509Certificate> path = new ArrayList<>();
    path.add(leaf);
    path.addAll(caCerts.subList(0, caCerts.size() - 1));
    PKIXParameters params = new PKIXParameters(Set.of(new TrustAnchor(root, null)));
    params.setRevocationEnabled(false);
    CertPathValidator.getInstance("PKIX")
        .validate(CertificateFactory.getInstance("X.509").generateCertPath(path), params);
  }

  /** The private key signs what the public key verifies. */
  static void assertKeyMatches(PrivateKey key, PublicKey pub) throws Exception {
    String alg = key.getAlgorithm().equals("RSA") ? "SHA256withRSA"
        : key.getAlgorithm().startsWith("E") && !key.getAlgorithm().startsWith("Ed") ? "SHA256withECDSA" : "Ed25519";
    Signature s = Signature.getInstance(alg);
    s.initSign(key);
    s.update(new byte[] {1, 2, 3});
    byte[] sig = s.sign();
    Signature v = Signature.getInstance(alg);
    v.initVerify(pub);
    v.update(new byte[] {1, 2, 3});
    assertThat(v.verify(sig)).as("private key matches the certificate").isTrue();
  }

  static void assertKeyMatches(KeyPair keys, X509Certificate cert) {
    assertThat(cert.getPublicKey().getEncoded()).isEqualTo(keys.getPublic().getEncoded());
  }
}
