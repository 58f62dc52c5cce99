package org.est4j.client;

import java.security.GeneralSecurityException;
import java.security.KeyPair;
import org.est4j.protocol.KeySpecs;

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
   *     ec:P-384}, {@code ec:P-521}, {@code ed25519} or {@code ed448} (case-insensitive)
   * @throws IllegalArgumentException for any other spec
   */
  public static KeyPair generate(String spec) throws GeneralSecurityException {
    return KeySpecs.generate(spec); // one list of names for client and server
  }
}
