package org.est4j.server.store;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * The tokens of an {@link InMemoryCertificateStore}, guarded by that store's lock so that a
 * consumption and the certificate it authorises happen together.
 */
final class InMemoryTokenStore implements TokenStore {
  private final Object lock;
  private final Map<String, EnrollmentToken> bySha256 = new LinkedHashMap<>();
  private long nextId = 1;

  InMemoryTokenStore(Object lock) {
    this.lock = lock;
  }

  @Override
  public EnrollmentToken create(EnrollmentToken token) {
    synchronized (lock) {
      if (bySha256.containsKey(token.sha256())) {
        throw new StoreException("a token with this hash already exists");
      }
      EnrollmentToken stored = token.withId(nextId++);
      bySha256.put(stored.sha256(), stored);
      return stored;
    }
  }

  @Override
  public Optional<EnrollmentToken> findBySha256(String sha256) {
    synchronized (lock) {
      return Optional.ofNullable(bySha256.get(sha256));
    }
  }

  @Override
  public List<EnrollmentToken> list(int limit) {
    synchronized (lock) {
      List<EnrollmentToken> all = new ArrayList<>(bySha256.values());
      List<EnrollmentToken> out = new ArrayList<>();
      for (int i = all.size() - 1; i >= 0 && out.size() < limit; i--) {
        out.add(all.get(i));
      }
      return out;
    }
  }

  @Override
  public boolean revoke(long id) {
    synchronized (lock) {
      return bySha256.values().removeIf(t -> t.id() == id);
    }
  }

  /** Marks the token used; returns it as it was. Call with the lock held. */
  EnrollmentToken consume(TokenConsumption c) {
    EnrollmentToken t = bySha256.get(c.sha256());
    if (t == null || t.isUsed() || t.isExpired(c.at()) || !t.label().equals(c.label())) {
      throw new TokenNotUsableException(TokenRules.notUsable(t, c));
    }
    bySha256.put(t.sha256(), t.consumed(c.at(), c.requestId()));
    return t;
  }

  /** {@link #consume} taking the lock (a pending request's token, consumed without a certificate). */
  void consumeLocked(TokenConsumption c) {
    synchronized (lock) {
      consume(c);
    }
  }

  /** Undoes {@link #consume} when the certificate could not be recorded. Call with the lock held. */
  void restore(EnrollmentToken before) {
    bySha256.put(before.sha256(), before);
  }
}
