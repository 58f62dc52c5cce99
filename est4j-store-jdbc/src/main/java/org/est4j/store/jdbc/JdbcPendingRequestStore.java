package org.est4j.store.jdbc;

import static org.est4j.store.jdbc.JdbcCertificateStore.rollbackQuietly;
import static org.est4j.store.jdbc.JdbcCertificateStore.utc;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import org.est4j.server.store.CertificateRecord;
import org.est4j.server.store.DuplicateSerialException;
import org.est4j.server.store.PendingRequest;
import org.est4j.server.store.PendingRequestStore;
import org.est4j.server.store.PendingStatus;
import org.est4j.server.store.StoreException;
import org.est4j.server.store.TokenConsumption;
import org.est4j.server.store.TokenNotUsableException;
import org.est4j.server.store.TokenRules;

/**
 * {@link PendingRequestStore} in the {@code pending_requests} table. The unique request
 * fingerprint makes {@link #submit} atomic across nodes (the loser of an insert race reads the
 * winner's row); {@link #completeIssuance} inserts the certificate row and links it with a
 * conditional UPDATE in one transaction, so two nodes picking up the same approval at once
 * record one certificate.
 */
public final class JdbcPendingRequestStore implements PendingRequestStore {
  private static final String COLUMNS =
      "id, label, ca_name, operation, request_fingerprint, csr_der, subject, requester, request_id, status, "
          + "created_at, decided_at, decided_by, decision_reason, certificate_serial";

  private final JdbcDatabase db;

  public JdbcPendingRequestStore(JdbcDatabase db) {
    this.db = db;
  }

  /**
   * INSERT first, then the token's conditional UPDATE, in one transaction: of two first
   * submissions of the same request with one token, the second waits on the fingerprint's unique
   * key and then reads the first's row (a 202, not a refused token); of two different requests
   * with one token, the second's UPDATE waits on the token row and then matches nothing, so it
   * rolls back its row and is refused.
   */
  @Override
  public PendingRequest submit(PendingRequest r, Optional<TokenConsumption> token) {
    for (int attempt = 0; attempt < 3; attempt++) {
      insert(r, token);
      Optional<PendingRequest> row = byFingerprint(r.fingerprint());
      if (row.isPresent()) {
        return row.get();
      }
      // the concurrent submission we collided with rolled back (its token was refused): try again
    }
    throw new StoreException("the pending request vanished after it was stored");
  }

  /** Inserts the row and consumes the token in one transaction; nothing when the fingerprint exists. */
  private void insert(PendingRequest r, Optional<TokenConsumption> token) {
    boolean refused = false;
    try (Connection c = db.connection()) {
      try (PreparedStatement p = c.prepareStatement(
          "INSERT INTO pending_requests (label, ca_name, operation, request_fingerprint, csr_sha256, csr_der, subject, "
              + "requester, request_id, status, created_at) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)")) {
        p.setString(1, r.label().orElse(""));
        p.setString(2, r.caName());
        p.setString(3, r.operation());
        p.setString(4, r.fingerprint());
        p.setString(5, sha256Hex(r.csrDer()));
        p.setBytes(6, r.csrDer());
        p.setString(7, r.subject());
        p.setString(8, r.requester());
        p.setString(9, r.requestId());
        p.setString(10, PendingStatus.PENDING.id());
        p.setObject(11, utc(r.createdAt()));
        p.executeUpdate();
        if (token.isPresent() && !JdbcTokenStore.consume(c, token.get())) {
          c.rollback();
          refused = true; // the reason is read after this connection is back in the pool
        } else {
          c.commit();
        }
      } catch (SQLException e) {
        rollbackQuietly(c, e);
        if (!JdbcCertificateStore.UNIQUE_VIOLATION.equals(e.getSQLState())) {
          throw e;
        }
        // retried (or submitted by another node at the same moment): the stored row answers
      }
    } catch (SQLException e) {
      throw new StoreException("cannot store the pending request: " + e.getMessage(), e);
    }
    if (refused) {
      TokenConsumption t = token.orElseThrow();
      throw new TokenNotUsableException(TokenRules.notUsable(new JdbcTokenStore(db).findBySha256(t.sha256()), t));
    }
  }

  /**
   * The row just stored, or stored by a concurrent submission: H2 reports the unique violation
   * against a row whose transaction has not committed yet, so wait briefly for it to show.
   */
  private Optional<PendingRequest> byFingerprint(String fingerprint) {
    for (int attempt = 0; attempt < 50; attempt++) {
      Optional<PendingRequest> row =
          one("SELECT " + COLUMNS + " FROM pending_requests WHERE request_fingerprint = ?", fingerprint);
      if (row.isPresent()) {
        return row;
      }
      try {
        Thread.sleep(20);
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        break;
      }
    }
    return Optional.empty();
  }

  @Override
  public Optional<PendingRequest> find(long id) {
    return one("SELECT " + COLUMNS + " FROM pending_requests WHERE id = ?", id);
  }

  @Override
  public List<PendingRequest> list(Optional<PendingStatus> status, int limit) {
    return status.isPresent()
        ? query("SELECT " + COLUMNS + " FROM pending_requests WHERE status = ? ORDER BY id DESC", limit, status.get().id())
        : query("SELECT " + COLUMNS + " FROM pending_requests ORDER BY id DESC", limit);
  }

  @Override
  public Decision decide(long id, PendingStatus to, String by, String reason, Instant at) {
    if (to == PendingStatus.PENDING) {
      throw new IllegalArgumentException("a decision is approved or rejected");
    }
    int updated = update("UPDATE pending_requests SET status = ?, decided_by = ?, decided_at = ?, decision_reason = ? "
        + "WHERE id = ? AND status = 'pending'", to.id(), by, utc(at), reason, id);
    if (updated == 1) {
      return Decision.DECIDED;
    }
    return find(id).isPresent() ? Decision.ALREADY_DECIDED : Decision.NOT_FOUND;
  }

  @Override
  public String completeIssuance(long id, CertificateRecord cert) {
    try (Connection c = db.connection()) {
      try {
        try (PreparedStatement p = c.prepareStatement(
            "UPDATE pending_requests SET certificate_serial = ? WHERE id = ? AND status = 'approved' "
                + "AND certificate_serial IS NULL")) {
          p.setString(1, cert.serial());
          p.setLong(2, id);
          if (p.executeUpdate() == 0) {
            c.rollback(); // another node linked its certificate first (or the request is not approved)
            return find(id).flatMap(PendingRequest::certificateSerial)
                .orElseThrow(() -> new StoreException("request " + id + " is not approved"));
          }
        }
        try (PreparedStatement p = c.prepareStatement(JdbcCertificateStore.INSERT_PREFIX + " ("
            + "?, ".repeat(JdbcCertificateStore.COLUMN_COUNT - 1) + "?)")) {
          JdbcCertificateStore.bind(p, 0, cert);
          p.executeUpdate();
        }
        c.commit();
        return cert.serial();
      } catch (SQLException e) {
        rollbackQuietly(c, e);
        if (JdbcCertificateStore.UNIQUE_VIOLATION.equals(e.getSQLState())) {
          throw new DuplicateSerialException(cert.caName(), cert.serial(), e);
        }
        throw e;
      }
    } catch (SQLException e) {
      throw new StoreException("cannot record the certificate of request " + id + ": " + e.getMessage(), e);
    }
  }

  @Override
  public int countPending() {
    try (Connection c = db.connection();
        PreparedStatement p = c.prepareStatement("SELECT COUNT(*) FROM pending_requests WHERE status = 'pending'")) {
      try (ResultSet rs = p.executeQuery()) {
        rs.next();
        int n = rs.getInt(1);
        c.commit();
        return n;
      }
    } catch (SQLException e) {
      throw new StoreException("cannot count pending requests: " + e.getMessage(), e);
    }
  }

  private int update(String sql, Object... args) {
    try (Connection c = db.connection()) {
      try (PreparedStatement p = c.prepareStatement(sql)) {
        for (int i = 0; i < args.length; i++) {
          p.setObject(i + 1, args[i]);
        }
        int n = p.executeUpdate();
        c.commit();
        return n;
      } catch (SQLException e) {
        rollbackQuietly(c, e);
        throw e;
      }
    } catch (SQLException e) {
      throw new StoreException("cannot update pending requests: " + e.getMessage(), e);
    }
  }

  private Optional<PendingRequest> one(String sql, Object arg) {
    return query(sql, 1, arg).stream().findFirst();
  }

  private List<PendingRequest> query(String sql, int limit, Object... args) {
    try (Connection c = db.connection()) {
      try (PreparedStatement p = c.prepareStatement(sql)) {
        p.setMaxRows(limit);
        for (int i = 0; i < args.length; i++) {
          p.setObject(i + 1, args[i]);
        }
        List<PendingRequest> out = new ArrayList<>();
        try (ResultSet rs = p.executeQuery()) {
          while (rs.next()) {
            out.add(row(rs));
          }
        }
        c.commit();
        return out;
      } catch (SQLException e) {
        rollbackQuietly(c, e);
        throw e;
      }
    } catch (SQLException e) {
      throw new StoreException("cannot read pending requests: " + e.getMessage(), e);
    }
  }

  private static String sha256Hex(byte[] data) {
    try {
      return java.util.HexFormat.of().formatHex(java.security.MessageDigest.getInstance("SHA-256").digest(data));
    } catch (java.security.NoSuchAlgorithmException e) {
      throw new IllegalStateException("SHA-256 is not available", e);
    }
  }

  private static PendingRequest row(ResultSet rs) throws SQLException {
    String label = rs.getString(2);
    return new PendingRequest(
        rs.getLong(1),
        label.isEmpty() ? Optional.empty() : Optional.of(label),
        rs.getString(3),
        rs.getString(4),
        rs.getString(5).trim(),
        rs.getBytes(6),
        rs.getString(7),
        rs.getString(8),
        rs.getString(9),
        PendingStatus.parse(rs.getString(10)),
        rs.getObject(11, OffsetDateTime.class).toInstant(),
        Optional.ofNullable(rs.getObject(12, OffsetDateTime.class)).map(OffsetDateTime::toInstant),
        Optional.ofNullable(rs.getString(13)),
        Optional.ofNullable(rs.getString(14)),
        Optional.ofNullable(rs.getString(15)));
  }
}
