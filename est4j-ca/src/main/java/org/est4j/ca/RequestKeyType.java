package org.est4j.ca;

import java.util.Set;
import org.bouncycastle.asn1.ASN1Encodable;
import org.bouncycastle.asn1.ASN1ObjectIdentifier;
import org.bouncycastle.asn1.edec.EdECObjectIdentifiers;
import org.bouncycastle.asn1.pkcs.PKCSObjectIdentifiers;
import org.bouncycastle.asn1.pkcs.RSAPublicKey;
import org.bouncycastle.asn1.sec.SECObjectIdentifiers;
import org.bouncycastle.asn1.x509.SubjectPublicKeyInfo;
import org.bouncycastle.asn1.x9.X9ObjectIdentifiers;

/**
 * The kinds of subject public key the CA certifies, found from the SubjectPublicKeyInfo alone.
 *
 * <p>The check runs on every issuance, so it looks only at the algorithm OID, the EC curve OID and,
 * for RSA, the modulus length; it does not validate EC points (the CSR's signature, verified
 * before the CA sees the request, already proves the key works).
 */
enum RequestKeyType {
  RSA,
  EC,
  EDDSA;

  static final int MIN_RSA_BITS = 2048;
  static final int MAX_RSA_BITS = 8192;

  /** P-256, P-384 and P-521: the curves TLS stacks and WebPKI clients accept. */
  static final Set<ASN1ObjectIdentifier> EC_CURVES =
      Set.of(SECObjectIdentifiers.secp256r1, SECObjectIdentifiers.secp384r1,
          SECObjectIdentifiers.secp521r1);

  /**
   * @throws CaException status 400 naming the key when it is not RSA 2048–8192, EC on
   *     P-256/384/521, Ed25519 or Ed448
   */
  static RequestKeyType of(SubjectPublicKeyInfo key) throws CaException {
    ASN1ObjectIdentifier algorithm = key.getAlgorithm().getAlgorithm();
    if (PKCSObjectIdentifiers.rsaEncryption.equals(algorithm)) {
      int bits = rsaModulusBits(key);
      if (bits < MIN_RSA_BITS || bits > MAX_RSA_BITS) {
        throw unsupported("RSA " + bits + " bits (allowed " + MIN_RSA_BITS + " to " + MAX_RSA_BITS
            + ")");
      }
      return RSA;
    }
    if (X9ObjectIdentifiers.id_ecPublicKey.equals(algorithm)) {
      ASN1Encodable parameters = key.getAlgorithm().getParameters();
      if (!(parameters instanceof ASN1ObjectIdentifier)) {
        throw unsupported("EC without a named curve");
      }
      if (!EC_CURVES.contains(parameters)) {
        throw unsupported("EC curve " + parameters + " (allowed P-256, P-384, P-521)");
      }
      return EC;
    }
    if (EdECObjectIdentifiers.id_Ed25519.equals(algorithm)
        || EdECObjectIdentifiers.id_Ed448.equals(algorithm)) {
      return EDDSA;
    }
    throw unsupported("algorithm " + algorithm);
  }

  private static int rsaModulusBits(SubjectPublicKeyInfo key) throws CaException {
    try {
      return RSAPublicKey.getInstance(key.parsePublicKey()).getModulus().bitLength();
    } catch (Exception e) { // IOException or IllegalArgumentException from a malformed key
      throw unsupported("malformed RSA key");
    }
  }

  private static CaException unsupported(String what) {
    return new CaException(400, "unsupported public key: " + what);
  }
}
