package org.est4j.server;

import java.io.IOException;
import java.security.KeyPair;
import java.util.Map;
import org.bouncycastle.asn1.pkcs.PKCSObjectIdentifiers;
import org.bouncycastle.asn1.x509.Extension;
import org.bouncycastle.asn1.x509.ExtensionsGenerator;
import org.bouncycastle.operator.OperatorCreationException;
import org.bouncycastle.operator.jcajce.JcaContentSignerBuilder;
import org.bouncycastle.pkcs.PKCS10CertificationRequestBuilder;
import org.bouncycastle.pkcs.jcajce.JcaPKCS10CertificationRequestBuilder;
import org.est4j.protocol.Csr;

/**
 * A CSR for a server-generated key (/serverkeygen), signed with that key, carrying the client's
 * subject and subjectAltName: what an upstream EST server needs when est4j acts as an RA.
 */
final class ServerKeyCsr {
  private static final Map<String, String> SIGNATURES = Map.of(
      "RSA", "SHA256withRSA", "EC", "SHA256withECDSA", "Ed25519", "Ed25519", "Ed448", "Ed448",
      "EdDSA", "Ed25519");

  private ServerKeyCsr() {}

  static byte[] sign(Csr clientCsr, KeyPair keyPair) throws EstError {
    try {
      PKCS10CertificationRequestBuilder builder =
          new JcaPKCS10CertificationRequestBuilder(clientCsr.subject(), keyPair.getPublic());
      if (clientCsr.subjectAltNames().isPresent()) {
        ExtensionsGenerator extensions = new ExtensionsGenerator();
        extensions.addExtension(Extension.subjectAlternativeName, false, clientCsr.subjectAltNames().get());
        builder.addAttribute(PKCSObjectIdentifiers.pkcs_9_at_extensionRequest, extensions.generate());
      }
      String algorithm = SIGNATURES.getOrDefault(keyPair.getPrivate().getAlgorithm(), "SHA256withECDSA");
      return builder.build(new JcaContentSignerBuilder(algorithm).build(keyPair.getPrivate())).getEncoded();
    } catch (IOException | OperatorCreationException e) {
      throw new IllegalStateException("cannot sign a CSR with the generated key: " + e.getMessage(), e);
    }
  }
}
