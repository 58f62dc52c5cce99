package org.est4j.ca;

import java.security.KeyPair;
import java.util.Map;
import org.bouncycastle.asn1.ASN1Encodable;
import org.bouncycastle.asn1.ASN1ObjectIdentifier;
import org.bouncycastle.asn1.edec.EdECObjectIdentifiers;
import org.bouncycastle.asn1.pkcs.PKCSObjectIdentifiers;
import org.bouncycastle.asn1.pkcs.RSAPublicKey;
import org.bouncycastle.asn1.sec.SECObjectIdentifiers;
import org.bouncycastle.asn1.x509.SubjectPublicKeyInfo;
import org.bouncycastle.asn1.x9.X9ObjectIdentifiers;
import org.est4j.protocol.KeySpecs;

/**
 * Generates key pairs for /serverkeygen (RFC 7030 §4.4): by default of the same type and size as
 * the key in the client's CSR, since that is the client's stated preference.
 *
 * <p>Keys come from {@link KeySpecs} through the preferred provider (Conscrypt makes RSA and EC keys;
 * Ed25519 falls through to the JDK).
 */
public final class ServerKeyGenerator {

  private static final Map<ASN1ObjectIdentifier, String> CURVES =
      Map.of(
          SECObjectIdentifiers.secp256r1, "secp256r1",
          SECObjectIdentifiers.secp384r1, "secp384r1",
          SECObjectIdentifiers.secp521r1, "secp521r1");

  private ServerKeyGenerator() {}

  /**
   * A new key pair like {@code csrKey}: RSA of the same modulus length (2048, 3072 or 4096), EC on
   * the same named curve (P-256/384/521), Ed25519 or Ed448. Any other key gets EC P-256, a safe
   * choice every TLS stack accepts.
   *
   * @throws CaException status 400 for an RSA size other than 2048, 3072 or 4096
   */
  public static KeyPair generateLike(SubjectPublicKeyInfo csrKey) throws CaException {
    ASN1ObjectIdentifier algorithm = csrKey.getAlgorithm().getAlgorithm();
    if (PKCSObjectIdentifiers.rsaEncryption.equals(algorithm)) {
      int bits = rsaBits(csrKey);
      if (!KeySpecs.RSA_SIZES.contains(bits)) {
        throw new CaException(400, "unsupported key size for server key generation: RSA " + bits);
      }
      return rsa(bits);
    }
    if (X9ObjectIdentifiers.id_ecPublicKey.equals(algorithm)) {
      ASN1Encodable curve = csrKey.getAlgorithm().getParameters();
      return ec(CURVES.getOrDefault(curve, "secp256r1"));
    }
    if (EdECObjectIdentifiers.id_Ed25519.equals(algorithm)) {
      return named("Ed25519");
    }
    if (EdECObjectIdentifiers.id_Ed448.equals(algorithm)) {
      return named("Ed448");
    }
    return ec("secp256r1");
  }

  /**
   * A new key pair from a configuration string: {@code rsa:2048}, {@code rsa:3072},
   * {@code rsa:4096}, {@code ec:P-256} (also {@code secp256r1}, {@code prime256v1}),
   * {@code ec:P-384}, {@code ec:P-521}, {@code ed25519} or {@code ed448}; case-insensitive.
   *
   * @throws IllegalArgumentException for any other string
   */
  public static KeyPair generate(String spec) {
    return KeySpecs.generate(spec);
  }

  private static int rsaBits(SubjectPublicKeyInfo key) throws CaException {
    try {
      return RSAPublicKey.getInstance(key.parsePublicKey()).getModulus().bitLength();
    } catch (Exception e) {
      throw new CaException(400, "unsupported public key: malformed RSA key", e);
    }
  }

  private static KeyPair rsa(int bits) {
    return KeySpecs.rsa(bits);
  }

  private static KeyPair ec(String curve) {
    return KeySpecs.ec(curve);
  }

  private static KeyPair named(String algorithm) {
    return algorithm.equals("Ed448") ? KeySpecs.generate("ed448") : KeySpecs.generate("ed25519");
  }
}
