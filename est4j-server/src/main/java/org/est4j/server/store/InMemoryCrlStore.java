package org.est4j.server.store;

import java.time.Instant;
import java.util.HashMap;
import java.util.Map;
import java.util.Optional;

/** {@link CrlStore} in the heap, for a server without a database. */
public final class InMemoryCrlStore implements CrlStore {
  private final Map<String, Published> rows = new HashMap<>(); // guarded by this

  @Override
  public synchronized Optional<Published> current(String caName) {
    return Optional.ofNullable(rows.get(caName));
  }

  @Override
  public synchronized Published publish(String caName, Instant thisUpdate, Instant nextUpdate, Signer signer) {
    long number = Optional.ofNullable(rows.get(caName)).map(Published::number).orElse(0L) + 1;
    try {
      Published p = new Published(caName, number, thisUpdate, nextUpdate, signer.sign(number));
      rows.put(caName, p);
      return p;
    } catch (Exception e) {
      throw new StoreException("cannot sign the CRL of CA " + caName + ": " + e.getMessage(), e);
    }
  }
}
