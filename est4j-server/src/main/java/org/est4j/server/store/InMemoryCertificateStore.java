package org.est4j.server.store;

import java.time.Instant;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Optional;

/**
 * A non-durable store in the heap: the engine's default and the zero-config test server's (whose
 * transient CA dies with the process anyway, so its records would be meaningless after a
 * restart). It keeps at most {@code capacity} rows and forgets the oldest beyond that, so a
 * long-running test server or a benchmark cannot run out of memory; serial uniqueness is
 * checked against the rows it still holds.
 */
public final class InMemoryCertificateStore implements CertificateStore {
  /** About 15 MB of PEM and fields. */
  public static final int DEFAULT_CAPACITY = 10_000;

  private final int capacity;
  private final LinkedHashMap<String, CertificateRecord> rows = new LinkedHashMap<>();
  private final InMemoryTokenStore tokens = new InMemoryTokenStore(this);
  private final InMemoryUserDirectory users = new InMemoryUserDirectory();

  public InMemoryCertificateStore() {
    this(DEFAULT_CAPACITY);
  }

  public InMemoryCertificateStore(int capacity) {
    if (capacity < 1) {
      throw new IllegalArgumentException("capacity must be at least 1");
    }
    this.capacity = capacity;
  }

  /** Consumes the token and records the certificate under this store's lock: both or neither. */
  @Override
  public synchronized void recordIssued(CertificateRecord record, Optional<TokenConsumption> token) {
    if (token.isEmpty()) {
      recordIssued(record);
      return;
    }
    EnrollmentToken before = tokens.consume(token.get()); // throws when not usable
    try {
      recordIssued(record);
    } catch (RuntimeException e) {
      tokens.restore(before);
      throw e;
    }
  }

  @Override
  public Optional<TokenStore> tokens() {
    return Optional.of(tokens);
  }

  @Override
  public Optional<UserDirectory> users() {
    return Optional.of(users);
  }

  @Override
  public synchronized void recordIssued(CertificateRecord record) {
    String key = key(record.caName(), record.serial());
    if (rows.containsKey(key)) {
      throw new DuplicateSerialException(record.caName(), record.serial(), null);
    }
    rows.put(key, record);
    if (rows.size() > capacity) {
      Iterator<String> oldest = rows.keySet().iterator();
      oldest.next();
      oldest.remove();
    }
  }

  @Override
  public synchronized Optional<CertificateRecord> find(String caName, String serial) {
    return Optional.ofNullable(rows.get(key(caName, CertificateRecord.normaliseSerial(serial))));
  }

  @Override
  public synchronized List<CertificateRecord> findBySerial(String serial) {
    String s = CertificateRecord.normaliseSerial(serial);
    List<CertificateRecord> out = new ArrayList<>();
    for (CertificateRecord r : rows.values()) {
      if (r.serial().equals(s)) {
        out.add(r);
      }
    }
    return out;
  }

  @Override
  public synchronized List<CertificateRecord> list(CertificateQuery query) {
    List<CertificateRecord> all = new ArrayList<>(rows.values());
    List<CertificateRecord> out = new ArrayList<>();
    for (int i = all.size() - 1; i >= 0 && out.size() < query.limit(); i--) { // newest first
      if (query.matches(all.get(i))) {
        out.add(all.get(i));
      }
    }
    return out;
  }

  @Override
  public synchronized RevokeResult revoke(String caName, String serial, String reason, Instant at) {
    String key = key(caName, CertificateRecord.normaliseSerial(serial));
    CertificateRecord r = rows.get(key);
    if (r == null) {
      return RevokeResult.NOT_FOUND;
    }
    if (r.status() == CertificateStatus.REVOKED) {
      return RevokeResult.ALREADY_REVOKED;
    }
    rows.replace(key, r.revoked(at, reason)); // replace keeps the insertion order
    return RevokeResult.REVOKED;
  }

  /** How many rows it holds. */
  public synchronized int size() {
    return rows.size();
  }

  @Override
  public String describe() {
    return "in memory (not durable, newest " + capacity + " certificates)";
  }

  private static String key(String caName, String serial) {
    return caName + '\u0000' + serial;
  }

  @Override
  public String toString() {
    return describe();
  }
}
