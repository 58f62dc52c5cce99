package org.est4j.protocol;

import java.security.GeneralSecurityException;
import java.security.KeyPair;
import java.security.KeyPairGenerator;
import java.security.spec.ECGenParameterSpec;
import java.util.Locale;
import java.util.Map;
import java.util.Set;

/**
 * Key pairs by the short names configuration files and command lines use ({@code rsa:2048},
 * {@code ec:P-256}, {@code ed25519}), generated through {@link Jca} so the preferred provider makes
 * them. One place for the names, shared by the server's key generation and the client.
 *
 * <pre>{@code
 * KeyPair key = KeySpecs.generate("ec:P-256");
 * }</pre>
 */
public final class KeySpecs {
  /** The RSA sizes est4j generates; smaller is weak, larger is slow for no benefit here. */
  public static final Set<Integer> RSA_SIZES = Set.of(2048, 3072, 4096);

  private static final Map<String, String> CURVES =
      Map.of(
          "p-256", "secp256r1", "secp256r1", "secp256r1", "prime256v1", "secp256r1",
          "p-384", "secp384r1", "secp384r1", "secp384r1",
          "p-521", "secp521r1", "secp521r1", "secp521r1");

  private KeySpecs() {}

  /**
   * @param spec {@code rsa:2048}, {@code rsa:3072}, {@code rsa:4096}, {@code ec:P-256} (also
   *     {@code secp256r1}, {@code prime256v1}), {@code ec:P-384}, {@code ec:P-521}, {@code ed25519}
   *     or {@code ed448}; case-insensitive
   * @throws IllegalArgumentException for any other spec, naming the accepted ones
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
    } else if (s.startsWith("ec:") && CURVES.containsKey(s.substring(3))) {
      return ec(CURVES.get(s.substring(3)));
    }
    throw new IllegalArgumentException("unknown key type '" + spec + "': use rsa:2048, rsa:3072,"
        + " rsa:4096, ec:P-256, ec:P-384, ec:P-521, ed25519 or ed448");
  }

  /** An RSA key pair of {@code bits}. */
  public static KeyPair rsa(int bits) {
    try {
      KeyPairGenerator generator = Jca.keyPairGenerator("RSA");
      generator.initialize(bits);
      return generator.generateKeyPair();
    } catch (GeneralSecurityException e) {
      throw new IllegalStateException("RSA key generation is unavailable", e);
    }
  }

  /** An EC key pair on the named curve ({@code secp256r1}, ...). */
  public static KeyPair ec(String curve) {
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
