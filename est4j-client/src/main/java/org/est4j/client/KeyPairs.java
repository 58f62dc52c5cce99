package org.est4j.client;

import java.security.GeneralSecurityException;
import java.security.KeyPair;
import java.security.KeyPairGenerator;
import java.security.spec.ECGenParameterSpec;
import java.util.Locale;
import org.est4j.protocol.Jca;

/**
 * Key pair generation by a short name, as command lines spell it.
 *
 * <pre>{@code
 * KeyPair key = KeyPairs.generate("ec:P-256");
 * }</pre>
 */
public final class KeyPairs {
  private KeyPairs() {}

  /**
   * @param spec {@code rsa:2048}, {@code rsa:3072}, {@code rsa:4096}, {@code ec:P-256}, {@code
   *     ec:P-384}, {@code ec:P-521} or {@code ed25519} (case-insensitive)
   * @throws IllegalArgumentException for any other spec
   */
  public static KeyPair generate(String spec) throws GeneralSecurityException {
    String s = spec.trim().toLowerCase(Locale.ROOT);
    KeyPairGenerator g;
    switch (s) {
      case "rsa:2048":
      case "rsa:3072":
      case "rsa:4096":
        g = Jca.keyPairGenerator("RSA");
        g.initialize(Integer.parseInt(s.substring(4)));
        break;
      case "ec:p-256":
      case "ec:p-384":
      case "ec:p-521":
        g = Jca.keyPairGenerator("EC");
        g.initialize(new ECGenParameterSpec("secp" + s.substring(5) + "r1"));
        break;
      case "ed25519":
        g = Jca.keyPairGenerator("Ed25519");
        break;
      default:
        throw new IllegalArgumentException(
            "unknown key type \"" + spec + "\": use rsa:2048, rsa:3072, rsa:4096, ec:P-256,"
                + " ec:P-384, ec:P-521 or ed25519");
    }
    return g.generateKeyPair();
  }
}
