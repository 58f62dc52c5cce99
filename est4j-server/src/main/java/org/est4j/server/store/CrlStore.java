package org.est4j.server.store;

import java.time.Instant;
import java.util.Objects;
import java.util.Optional;

/**
 * The CRL each CA last published, shared by all nodes: the CRL number is allocated here, in the
 * same transaction that stores the CRL, so numbers only grow however many nodes sign.
 */
public interface CrlStore {

  /** A signed CRL as published. */
  record Published(String caName, long number, Instant thisUpdate, Instant nextUpdate, byte[] der) {
    public Published {
      Objects.requireNonNull(caName, "caName");
      der = der.clone();
    }

    @Override
    public byte[] der() {
      return der.clone();
    }
  }

  /** Signs a CRL with the number it is given. */
  @FunctionalInterface
  interface Signer {
    byte[] sign(long number) throws Exception;
  }

  Optional<Published> current(String caName);

  /**
   * Allocates the CA's next CRL number (1 for the first), signs with it and stores the result, all
   * while holding the CA's row, so two nodes publishing at once get different numbers.
   */
  Published publish(String caName, Instant thisUpdate, Instant nextUpdate, Signer signer);
}
