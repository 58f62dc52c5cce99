package org.est4j.ca;

import java.io.IOException;
import java.security.GeneralSecurityException;
import java.security.PrivateKey;
import java.security.PublicKey;
import org.bouncycastle.asn1.pkcs.PKCSObjectIdentifiers;
import org.bouncycastle.asn1.x500.X500Name;
import org.bouncycastle.asn1.x509.BasicConstraints;
import org.bouncycastle.asn1.x509.Extension;
import org.bouncycastle.asn1.x509.ExtensionsGenerator;
import org.bouncycastle.asn1.x509.KeyUsage;
import org.bouncycastle.asn1.x509.SubjectPublicKeyInfo;
import org.bouncycastle.pkcs.PKCS10CertificationRequestBuilder;

/**
 * A PKCS#10 request for a CA certificate, for a key pair that may live on a device: another CA
 * (an offline root) signs it, and the result becomes an intermediate CA of est4j. The request
 * asks for basicConstraints cA and keyUsage keyCertSign + cRLSign; the signing CA decides. Signed
 * through {@link CaSigner}, so the key is never extracted. Used by {@code estserver ca csr}.
 */
public final class CaCsr {
  private CaCsr() {}

  /**
   * @param subject an RFC 4514 distinguished name
   * @return the DER request
   * @throws IllegalArgumentException for a bad name or a key pair that does not match
   */
  public static byte[] create(String subject, PublicKey publicKey, PrivateKey privateKey) {
    X500Name name;
    try {
      name = new X500Name(subject);
    } catch (IllegalArgumentException e) {
      throw new IllegalArgumentException("not a distinguished name: " + subject + " (" + e.getMessage() + ")", e);
    }
    CaSigner signer = CaSigner.create(publicKey, privateKey, "(request for " + subject + ")");
    try {
      ExtensionsGenerator ext = new ExtensionsGenerator();
      ext.addExtension(Extension.basicConstraints, true, new BasicConstraints(true));
      ext.addExtension(Extension.keyUsage, true, new KeyUsage(KeyUsage.keyCertSign | KeyUsage.cRLSign));
      return new PKCS10CertificationRequestBuilder(name, SubjectPublicKeyInfo.getInstance(publicKey.getEncoded()))
          .addAttribute(PKCSObjectIdentifiers.pkcs_9_at_extensionRequest, ext.generate())
          .build(signer.contentSigner()).getEncoded();
    } catch (IOException | GeneralSecurityException e) {
      throw new IllegalStateException("cannot create the request for " + subject + ": " + e.getMessage(), e);
    }
  }
}
