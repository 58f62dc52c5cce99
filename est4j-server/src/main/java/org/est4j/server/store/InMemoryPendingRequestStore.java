package org.est4j.server.store;

import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * {@link PendingRequestStore} in the heap, beside an {@link InMemoryCertificateStore}: for a
 * server without a database (its pending requests end with the process).
 */
public final class InMemoryPendingRequestStore implements PendingRequestStore {
  private final CertificateStore certificates;
  private final Map<Long, PendingRequest> rows = new HashMap<>();
  private final Map<String, Long> byFingerprint = new HashMap<>();
  private long nextId = 1;

  public InMemoryPendingRequestStore(CertificateStore certificates) {
    this.certificates = certificates;
  }

  /** Under this store's lock, then the token store's (the order {@link #completeIssuance} takes too). */
  @Override
  public synchronized PendingRequest submit(PendingRequest request, Optional<TokenConsumption> token) {
    Long existing = byFingerprint.get(request.fingerprint());
    if (existing != null) {
      return rows.get(existing);
    }
    if (token.isPresent()) {
      if (!(certificates.tokens().orElse(null) instanceof InMemoryTokenStore tokens)) {
        throw new StoreException(certificates.describe() + " cannot consume enrollment tokens with pending requests");
      }
      tokens.consumeLocked(token.get()); // throws when not usable: nothing stored
    }
    PendingRequest stored = request.withId(nextId++);
    rows.put(stored.id(), stored);
    byFingerprint.put(stored.fingerprint(), stored.id());
    return stored;
  }

  @Override
  public synchronized Optional<PendingRequest> find(long id) {
    return Optional.ofNullable(rows.get(id));
  }

  @Override
  public synchronized List<PendingRequest> list(Optional<PendingStatus> status, int limit) {
    List<PendingRequest> out = new ArrayList<>();
    for (PendingRequest r : rows.values()) {
      if (status.isEmpty() || r.status() == status.get()) {
        out.add(r);
      }
    }
    out.sort(Comparator.comparingLong(PendingRequest::id).reversed());
    return out.subList(0, Math.min(limit, out.size()));
  }

  @Override
  public synchronized Decision decide(long id, PendingStatus to, String by, String reason, Instant at) {
    PendingRequest r = rows.get(id);
    if (r == null) {
      return Decision.NOT_FOUND;
    }
    if (r.status() != PendingStatus.PENDING) {
      return Decision.ALREADY_DECIDED;
    }
    rows.put(id, r.decided(to, by, reason, at));
    return Decision.DECIDED;
  }

  @Override
  public synchronized String completeIssuance(long id, CertificateRecord certificate) {
    PendingRequest r = rows.get(id);
    if (r == null || r.status() != PendingStatus.APPROVED) {
      throw new StoreException("request " + id + " is not approved", null);
    }
    if (r.certificateSerial().isPresent()) {
      return r.certificateSerial().get();
    }
    certificates.recordIssued(certificate);
    rows.put(id, r.withSerial(certificate.serial()));
    return certificate.serial();
  }

  @Override
  public synchronized int countPending() {
    return (int) rows.values().stream().filter(r -> r.status() == PendingStatus.PENDING).count();
  }
}
