package org.est4j.ca;

import java.util.Locale;
import java.util.Map;
import org.bouncycastle.asn1.ASN1Encodable;
import org.bouncycastle.asn1.ASN1ObjectIdentifier;
import org.bouncycastle.asn1.edec.EdECObjectIdentifiers;
import org.bouncycastle.asn1.pkcs.PKCSObjectIdentifiers;
import org.bouncycastle.asn1.pkcs.RSAPublicKey;
import org.bouncycastle.asn1.sec.SECObjectIdentifiers;
import org.bouncycastle.asn1.x509.SubjectPublicKeyInfo;
import org.bouncycastle.asn1.x9.X9ObjectIdentifiers;

/**
 * One allowed key type of a {@link Profile}: {@code ec:P-256}, {@code ec:P-384}, {@code ec:P-521},
 * {@code rsa:3072} (exactly), {@code rsa:3072+} (at least), {@code rsa} (any size the CA accepts),
 * {@code ed25519}, {@code ed448}. Case-insensitive.
 */
public record KeyRule(String text, Kind kind, int minBits, int maxBits, ASN1ObjectIdentifier curve) {

  /** The key families a rule may name. */
  public enum Kind { RSA, EC, ED25519, ED448 }

  private static final Map<String, ASN1ObjectIdentifier> CURVES = Map.of(
      "p-256", SECObjectIdentifiers.secp256r1, "secp256r1", SECObjectIdentifiers.secp256r1,
      "prime256v1", SECObjectIdentifiers.secp256r1,
      "p-384", SECObjectIdentifiers.secp384r1, "secp384r1", SECObjectIdentifiers.secp384r1,
      "p-521", SECObjectIdentifiers.secp521r1, "secp521r1", SECObjectIdentifiers.secp521r1);
  private static final Map<ASN1ObjectIdentifier, String> CURVE_NAMES = Map.of(
      SECObjectIdentifiers.secp256r1, "P-256", SECObjectIdentifiers.secp384r1, "P-384",
      SECObjectIdentifiers.secp521r1, "P-521");

  /**
   * @throws IllegalArgumentException naming the accepted forms
   */
  public static KeyRule parse(String text) {
    String s = text.trim().toLowerCase(Locale.ROOT);
    if (s.equals("ed25519")) {
      return new KeyRule(text.trim(), Kind.ED25519, 0, 0, null);
    }
    if (s.equals("ed448")) {
      return new KeyRule(text.trim(), Kind.ED448, 0, 0, null);
    }
    if (s.equals("rsa")) {
      return new KeyRule(text.trim(), Kind.RSA, RequestKeyType.MIN_RSA_BITS, RequestKeyType.MAX_RSA_BITS, null);
    }
    if (s.startsWith("rsa:")) {
      String size = s.substring(4);
      boolean atLeast = size.endsWith("+");
      try {
        int bits = Integer.parseInt(atLeast ? size.substring(0, size.length() - 1) : size);
        if (bits >= RequestKeyType.MIN_RSA_BITS && bits <= RequestKeyType.MAX_RSA_BITS) {
          return new KeyRule(text.trim(), Kind.RSA, bits, atLeast ? RequestKeyType.MAX_RSA_BITS : bits, null);
        }
      } catch (NumberFormatException e) {
        // reported below
      }
    }
    if (s.startsWith("ec:") && CURVES.containsKey(s.substring(3))) {
      return new KeyRule(text.trim(), Kind.EC, 0, 0, CURVES.get(s.substring(3)));
    }
    throw new IllegalArgumentException("'" + text + "' is not a key type: use ec:P-256, ec:P-384, ec:P-521,"
        + " rsa:BITS (exactly), rsa:BITS+ (at least; BITS from 2048 to 8192), rsa, ed25519 or ed448");
  }

  /** Whether {@code key} is of this type and size. */
  public boolean matches(SubjectPublicKeyInfo key) {
    ASN1ObjectIdentifier algorithm = key.getAlgorithm().getAlgorithm();
    switch (kind) {
      case RSA:
        if (!PKCSObjectIdentifiers.rsaEncryption.equals(algorithm)) {
          return false;
        }
        int bits = rsaBits(key);
        return bits >= minBits && bits <= maxBits;
      case EC:
        return X9ObjectIdentifiers.id_ecPublicKey.equals(algorithm)
            && curve.equals(key.getAlgorithm().getParameters());
      case ED25519:
        return EdECObjectIdentifiers.id_Ed25519.equals(algorithm);
      default:
        return EdECObjectIdentifiers.id_Ed448.equals(algorithm);
    }
  }

  /** A short description of a key for refusal messages: "rsa:2048", "ec:P-256", "ed25519". */
  public static String describe(SubjectPublicKeyInfo key) {
    ASN1ObjectIdentifier algorithm = key.getAlgorithm().getAlgorithm();
    if (PKCSObjectIdentifiers.rsaEncryption.equals(algorithm)) {
      return "rsa:" + rsaBits(key);
    }
    if (X9ObjectIdentifiers.id_ecPublicKey.equals(algorithm)) {
      ASN1Encodable p = key.getAlgorithm().getParameters();
      return "ec:" + (p instanceof ASN1ObjectIdentifier oid ? CURVE_NAMES.getOrDefault(oid, oid.getId()) : "?");
    }
    if (EdECObjectIdentifiers.id_Ed25519.equals(algorithm)) {
      return "ed25519";
    }
    if (EdECObjectIdentifiers.id_Ed448.equals(algorithm)) {
      return "ed448";
    }
    return algorithm.getId();
  }

  private static int rsaBits(SubjectPublicKeyInfo key) {
    try {
      return RSAPublicKey.getInstance(key.parsePublicKey()).getModulus().bitLength();
    } catch (Exception e) { // malformed: matches no rule
      return -1;
    }
  }

  @Override
  public String toString() {
    return text;
  }
}
