package org.est4j.ca;

import org.est4j.protocol.Jca;
import java.security.GeneralSecurityException;
import java.security.KeyPair;
import java.security.KeyPairGenerator;
import java.security.spec.ECGenParameterSpec;
import java.util.Locale;
import java.util.Map;
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
 * Generates key pairs for /serverkeygen (RFC 7030 §4.4): by default of the same type and size as
 * the key in the client's CSR, since that is the client's stated preference.
 *
 * <p>Uses the default JCA providers: Conscrypt, when installed first, generates RSA and EC keys;
 * Ed25519 falls through to the JDK.
 */
public final class ServerKeyGenerator {

  private static final Set<Integer> RSA_SIZES = Set.of(2048, 3072, 4096);
  private static final Map<ASN1ObjectIdentifier, String> CURVES =
      Map.of(
          SECObjectIdentifiers.secp256r1, "secp256r1",
          SECObjectIdentifiers.secp384r1, "secp384r1",
          SECObjectIdentifiers.secp521r1, "secp521r1");
  private static final Map<String, String> CURVE_ALIASES =
      Map.of(
          "p-256", "secp256r1", "secp256r1", "secp256r1", "prime256v1", "secp256r1",
          "p-384", "secp384r1", "secp384r1", "secp384r1",
          "p-521", "secp521r1", "secp521r1", "secp521r1");

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
      if (!RSA_SIZES.contains(bits)) {
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
    String s = spec.trim().toLowerCase(Locale.ROOT);
    if (s.equals("ed25519")) {
      return named("Ed25519");
    }
    if (s.equals("ed448")) {
      return named("Ed448");
    }
    if (s.startsWith("rsa:")) {
      try {
        int bits = Integer.parseInt(s.substring(4));
        if (RSA_SIZES.contains(bits)) {
          return rsa(bits);
        }
      } catch (NumberFormatException e) {
        // reported below with the accepted forms
      }
    } else if (s.startsWith("ec:") && CURVE_ALIASES.containsKey(s.substring(3))) {
      return ec(CURVE_ALIASES.get(s.substring(3)));
    }
    throw new IllegalArgumentException("unknown key type '" + spec + "': use rsa:2048, rsa:3072,"
        + " rsa:4096, ec:P-256, ec:P-384, ec:P-521, ed25519 or ed448");
  }

  private static int rsaBits(SubjectPublicKeyInfo key) throws CaException {
    try {
      return RSAPublicKey.getInstance(key.parsePublicKey()).getModulus().bitLength();
    } catch (Exception e) {
      throw new CaException(400, "unsupported public key: malformed RSA key", e);
    }
  }

  private static KeyPair rsa(int bits) {
    try {
      KeyPairGenerator generator = Jca.keyPairGenerator("RSA");
      generator.initialize(bits);
      return generator.generateKeyPair();
    } catch (GeneralSecurityException e) {
      throw new IllegalStateException("RSA key generation is unavailable", e);
    }
  }

  private static KeyPair ec(String curve) {
    try {
      KeyPairGenerator generator = Jca.keyPairGenerator("EC");
      generator.initialize(new ECGenParameterSpec(curve));
      return generator.generateKeyPair();
    } catch (GeneralSecurityException e) {
      throw new IllegalStateException("EC key generation on " + curve + " is unavailable", e);
    }
  }

  private static KeyPair named(String algorithm) {
    try {
      return Jca.keyPairGenerator(algorithm).generateKeyPair();
    } catch (GeneralSecurityException e) {
      throw new IllegalStateException(algorithm + " key generation is unavailable", e);
    }
  }
}
