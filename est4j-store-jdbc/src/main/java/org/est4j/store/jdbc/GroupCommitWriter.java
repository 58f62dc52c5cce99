package org.est4j.store.jdbc;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.SQLException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.Comparator;
import java.util.IdentityHashMap;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import org.est4j.server.store.AuditEvent;
import org.est4j.server.store.CertificateRecord;
import org.est4j.server.store.DuplicateSerialException;
import org.est4j.server.store.StoreException;
import org.est4j.server.store.TokenConsumption;
import org.est4j.server.store.TokenNotUsableException;

/**
 * Group commit for {@code recordIssued}: request threads queue their row and wait; one writer
 * thread inserts whatever has queued up (up to {@value #MAX_BATCH} rows) in one transaction and
 * wakes each thread when that transaction has committed, or with its own error. Under load a
 * commit (an H2 chunk write, a PostgreSQL WAL fsync and round trip) serves many enrollments
 * instead of one; with a single request in flight it is one insert and one commit, as before.
 * A batch that fails is retried row by row, so a duplicate serial fails only its own request.
 *
 * <p>A row may carry a {@link TokenConsumption}: the token's conditional UPDATE runs in the
 * batch's transaction before the INSERT. When it updates nothing (the token was consumed by an
 * earlier row of the same batch, by another transaction or node, or expired), only that row is
 * left out of the INSERT and fails with {@link TokenNotUsableException}; the transaction still
 * commits the other rows and the consumptions that succeeded. A 0-row UPDATE is not an SQL error,
 * so one refused token never rolls back anyone else's certificate. Updates run in token-hash
 * order so that two nodes' batches lock token rows in the same order and cannot deadlock.
 *
 * <p>A row may also carry the audit event of the request that issued it: the events of the rows
 * inserted go into {@code audit_events} with one more multi-row INSERT in the same transaction,
 * so a certificate committed always has its audit row (a refused row has neither).
 */
final class GroupCommitWriter implements AutoCloseable {
  static final int MAX_BATCH = 128;

  private record Pending(CertificateRecord record, Optional<TokenConsumption> token, Optional<AuditEvent> audit,
      CompletableFuture<Void> done) {}

  private static final Pending STOP = new Pending(null, Optional.empty(), Optional.empty(), null);

  private final JdbcDatabase db;
  private final String insertPrefix;
  private final Duration maxWait;
  private final LinkedBlockingQueue<Pending> queue = new LinkedBlockingQueue<>();
  private final Thread writer;
  private volatile boolean closed;

  /** {@code insertPrefix}: "INSERT INTO t (columns) VALUES", completed with one tuple per row. */
  GroupCommitWriter(JdbcDatabase db, String insertPrefix) {
    this.db = db;
    this.insertPrefix = insertPrefix;
    // a connection wait, then the statement itself: a caller never waits forever
    this.maxWait = db.settings().connectionTimeout().plusSeconds(60);
    this.writer = new Thread(this::run, "est4j-store-writer");
    this.writer.setDaemon(true);
    this.writer.start();
  }

  /**
   * Queues the row (with its token consumption and its audit row, if any) and returns once it is
   * committed; throws the row's own failure.
   */
  void write(CertificateRecord record, Optional<TokenConsumption> token, Optional<AuditEvent> audit) {
    if (closed) {
      throw new StoreException("the certificate store is closed");
    }
    CompletableFuture<Void> done = new CompletableFuture<>();
    queue.add(new Pending(record, token, audit, done));
    try {
      done.get(maxWait.toMillis(), TimeUnit.MILLISECONDS);
    } catch (ExecutionException e) {
      if (e.getCause() instanceof StoreException s) {
        throw s;
      }
      throw new StoreException("cannot record certificate " + record.serial() + ": " + e.getCause(), e.getCause());
    } catch (TimeoutException e) {
      throw new StoreException("recording certificate " + record.serial() + " took longer than " + maxWait.toSeconds()
          + " s; it may or may not be committed", e);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new StoreException("interrupted while recording certificate " + record.serial(), e);
    }
  }

  private void run() {
    List<Pending> batch = new ArrayList<>(MAX_BATCH);
    while (true) {
      try {
        batch.add(queue.take());
        queue.drainTo(batch, MAX_BATCH - 1);
      } catch (InterruptedException e) {
        return; // nobody interrupts this thread but the JVM at exit; close() fails what is left
      }
      boolean stop = batch.removeIf(p -> p == STOP);
      if (!batch.isEmpty()) {
        commit(batch);
      }
      batch.clear();
      if (stop) {
        return;
      }
    }
  }

  private void commit(List<Pending> batch) {
    try {
      complete(batch, insert(batch));
    } catch (SQLException e) {
      if (batch.size() == 1 || !isRowSpecific(e)) { // e.g. the database is down: all fail alike
        batch.forEach(p -> p.done().completeExceptionally(translate(p.record(), e)));
        return;
      }
      for (Pending p : batch) { // find the row(s) at fault; the others still commit
        try {
          complete(List.of(p), insert(List.of(p)));
        } catch (SQLException one) {
          p.done().completeExceptionally(translate(p.record(), one));
        } catch (RuntimeException one) {
          p.done().completeExceptionally(one);
        }
      }
    } catch (RuntimeException e) {
      batch.forEach(p -> p.done().completeExceptionally(e));
    }
  }

  /**
   * One multi-row INSERT per batch, not JDBC addBatch: H2 with WRITE_DELAY=0 writes its file per
   * statement (measured: addBatch cost as much per row as single inserts), and PostgreSQL gets
   * one round trip either way.
   */
  private static void complete(List<Pending> batch, Set<Pending> refused) {
    for (Pending p : batch) {
      if (refused.contains(p)) {
        p.done().completeExceptionally(new TokenNotUsableException("the enrollment token has already been used"));
      } else {
        p.done().complete(null);
      }
    }
  }

  /**
   * Consumes the batch's tokens, inserts the rows whose token was consumed (or that had none) and
   * their audit rows, commits.
   */
  private Set<Pending> insert(List<Pending> rows) throws SQLException {
    try (Connection c = db.connection()) {
      try {
        Set<Pending> refused = Collections.newSetFromMap(new IdentityHashMap<>());
        List<Pending> withToken = new ArrayList<>();
        for (Pending row : rows) {
          row.token().ifPresent(t -> withToken.add(row));
        }
        withToken.sort(Comparator.comparing(row -> row.token().get().sha256()));
        for (Pending row : withToken) {
          if (!JdbcTokenStore.consume(c, row.token().get())) {
            refused.add(row);
          }
        }
        List<Pending> accepted = new ArrayList<>(rows);
        accepted.removeIf(refused::contains);
        if (!accepted.isEmpty()) {
          try (PreparedStatement p = c.prepareStatement(insertSql(accepted.size()))) {
            int offset = 0;
            for (Pending row : accepted) {
              JdbcCertificateStore.bind(p, offset, row.record());
              offset += JdbcCertificateStore.COLUMN_COUNT;
            }
            p.executeUpdate();
          }
          List<AuditEvent> events = new ArrayList<>();
          accepted.forEach(row -> row.audit().ifPresent(events::add));
          if (!events.isEmpty()) {
            JdbcAuditStore.insert(c, events);
          }
        }
        c.commit();
        return refused;
      } catch (SQLException e) {
        try {
          c.rollback();
        } catch (SQLException r) {
          e.addSuppressed(r);
        }
        throw e;
      }
    }
  }

  private String insertSql(int rows) {
    String tuple = "(" + "?, ".repeat(JdbcCertificateStore.COLUMN_COUNT - 1) + "?)";
    StringBuilder sql = new StringBuilder(insertPrefix.length() + rows * (tuple.length() + 2)).append(insertPrefix);
    for (int i = 0; i < rows; i++) {
      sql.append(i == 0 ? " " : ", ").append(tuple);
    }
    return sql.toString();
  }

  /**
   * SQLSTATE class 23: integrity constraint violation (unique, check, not null), caused by one row;
   * class 40: serialization failure or deadlock (two nodes' batches on the same token rows), which
   * a retry in smaller transactions resolves.
   */
  private static boolean isRowSpecific(SQLException e) {
    for (SQLException x = e; x != null; x = x.getNextException()) {
      if (x.getSQLState() != null && (x.getSQLState().startsWith("23") || x.getSQLState().startsWith("40"))) {
        return true;
      }
    }
    return false;
  }

  static StoreException translate(CertificateRecord r, SQLException e) {
    if (JdbcCertificateStore.UNIQUE_VIOLATION.equals(e.getSQLState())) {
      return new DuplicateSerialException(r.caName(), r.serial(), e);
    }
    return new StoreException("cannot record certificate " + r.serial() + ": " + e.getMessage(), e);
  }

  /** Fails what is still queued and stops the writer (after the batch it is committing). */
  @Override
  public void close() {
    closed = true;
    queue.add(STOP);
    try {
      writer.join(maxWait.toMillis());
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
    Pending p;
    while ((p = queue.poll()) != null) {
      if (p != STOP) {
        p.done().completeExceptionally(new StoreException("the certificate store is closed"));
      }
    }
  }
}
