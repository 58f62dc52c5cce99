package org.est4j.server.store;

import java.time.Instant;
import java.util.List;
import java.util.Optional;
import java.util.function.Supplier;

/** The decorators of {@link StoreTimings}: each call timed, failures counted as such. */
final class TimedStores {
  private TimedStores() {}

  static <T> T time(StoreTimings t, String op, Supplier<T> call) {
    long start = System.nanoTime();
    boolean failed = true;
    try {
      T result = call.get();
      failed = false;
      return result;
    } finally {
      t.record(op, start, failed);
    }
  }

  record Certificates(CertificateStore store, StoreTimings t) implements CertificateStore {
    @Override
    public void recordIssued(CertificateRecord record) {
      time(t, "certificates.record", () -> {
        store.recordIssued(record);
        return null;
      });
    }

    @Override
    public void recordIssued(CertificateRecord record, Optional<TokenConsumption> token) {
      time(t, "certificates.record", () -> {
        store.recordIssued(record, token);
        return null;
      });
    }

    @Override
    public boolean recordIssued(CertificateRecord record, Optional<TokenConsumption> token, AuditEvent audit) {
      return time(t, "certificates.record", () -> store.recordIssued(record, token, audit));
    }

    @Override
    public Optional<TokenStore> tokens() {
      return store.tokens(); // the same database: tokens are consumed with certificate rows
    }

    @Override
    public Optional<UserDirectory> users() {
      return store.users();
    }

    @Override
    public Optional<CertificateRecord> find(String caName, String serial) {
      return time(t, "certificates.find", () -> store.find(caName, serial));
    }

    @Override
    public List<CertificateRecord> findBySerial(String serial) {
      return time(t, "certificates.find", () -> store.findBySerial(serial));
    }

    @Override
    public List<CertificateRecord> list(CertificateQuery query) {
      return time(t, "certificates.list", () -> store.list(query));
    }

    @Override
    public RevokeResult revoke(String caName, String serial, String reason, Instant at) {
      return time(t, "certificates.revoke", () -> store.revoke(caName, serial, reason, at));
    }

    @Override
    public String describe() {
      return store.describe();
    }

    @Override
    public void checkReady() {
      store.checkReady();
    }

    @Override
    public void close() {
      store.close();
    }
  }

  record Pending(PendingRequestStore store, StoreTimings t) implements PendingRequestStore {
    @Override
    public PendingRequest submit(PendingRequest request, Optional<TokenConsumption> token) {
      return time(t, "pending.submit", () -> store.submit(request, token));
    }

    @Override
    public Optional<PendingRequest> find(long id) {
      return time(t, "pending.find", () -> store.find(id));
    }

    @Override
    public List<PendingRequest> list(Optional<PendingStatus> status, int limit) {
      return time(t, "pending.list", () -> store.list(status, limit));
    }

    @Override
    public Decision decide(long id, PendingStatus to, String by, String reason, Instant at) {
      return time(t, "pending.decide", () -> store.decide(id, to, by, reason, at));
    }

    @Override
    public String completeIssuance(long id, CertificateRecord certificate) {
      return time(t, "pending.complete", () -> store.completeIssuance(id, certificate));
    }

    @Override
    public int countPending() {
      return time(t, "pending.count", store::countPending);
    }
  }

  record Audit(AuditStore store, StoreTimings t) implements AuditStore {
    @Override
    public void append(List<AuditEvent> events) {
      time(t, "audit.append", () -> {
        store.append(events);
        return null;
      });
    }

    @Override
    public List<AuditEvent> query(AuditQuery query) {
      return time(t, "audit.query", () -> store.query(query));
    }
  }
}
