package org.est4j.server;

import java.io.IOException;
import java.math.BigInteger;
import java.security.PublicKey;
import java.security.cert.CertificateEncodingException;
import java.security.cert.X509Certificate;
import java.security.interfaces.ECPublicKey;
import java.util.Arrays;
import java.util.Set;
import org.bouncycastle.asn1.ASN1ObjectIdentifier;
import org.bouncycastle.asn1.pkcs.PKCSObjectIdentifiers;
import org.bouncycastle.asn1.pkcs.RSAPublicKey;
import org.bouncycastle.asn1.x509.Certificate;
import org.bouncycastle.asn1.x509.SubjectPublicKeyInfo;
import org.est4j.tpm.TpmPublic;

/**
 * Whether an EK certificate certifies the key in an EK public area. RSA keys are compared by
 * modulus and exponent, whatever algorithm identifier the certificate gives them: some TPM
 * vendors' EK certificates label the key id-RSAES-OAEP, which the JDK does not turn into an
 * RSAPublicKey. EC keys are compared as points on the same curve.
 */
final class EkKeys {
  private static final Set<ASN1ObjectIdentifier> RSA_OIDS = Set.of(
      PKCSObjectIdentifiers.rsaEncryption, PKCSObjectIdentifiers.id_RSAES_OAEP, PKCSObjectIdentifiers.id_RSASSA_PSS);

  private EkKeys() {}

  static boolean sameKey(TpmPublic area, PublicKey areaKey, X509Certificate cert) {
    SubjectPublicKeyInfo spki;
    try {
      spki = Certificate.getInstance(cert.getEncoded()).getSubjectPublicKeyInfo();
    } catch (CertificateEncodingException | IllegalArgumentException e) {
      return false;
    }
    if (area.isRsa()) {
      if (!RSA_OIDS.contains(spki.getAlgorithm().getAlgorithm())) {
        return false;
      }
      try {
        RSAPublicKey rsa = RSAPublicKey.getInstance(spki.parsePublicKey());
        return rsa.getModulus().equals(new BigInteger(1, area.modulus()))
            && rsa.getPublicExponent().equals(area.exponent());
      } catch (IOException | IllegalArgumentException e) {
        return false;
      }
    }
    PublicKey certKey = cert.getPublicKey();
    if (certKey instanceof ECPublicKey ec && areaKey instanceof ECPublicKey ours) {
      return ec.getW().equals(ours.getW())
          && ec.getParams().getOrder().equals(ours.getParams().getOrder())
          && ec.getParams().getCurve().equals(ours.getParams().getCurve());
    }
    return Arrays.equals(certKey.getEncoded(), areaKey.getEncoded());
  }
}
