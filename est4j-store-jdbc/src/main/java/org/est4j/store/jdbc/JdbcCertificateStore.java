package org.est4j.store.jdbc;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import org.est4j.server.store.AuditEvent;
import org.est4j.server.store.CertificateQuery;
import org.est4j.server.store.CertificateRecord;
import org.est4j.server.store.CertificateStatus;
import org.est4j.server.store.CertificateStore;
import org.est4j.server.store.DuplicateSerialException;
import org.est4j.server.store.RevokeResult;
import org.est4j.server.store.StoreException;
import org.est4j.server.store.TokenConsumption;
import org.est4j.server.store.TokenNotUsableException;
import org.est4j.server.store.TokenRules;
import org.est4j.server.store.TokenStore;
import org.est4j.server.store.UserDirectory;

/**
 * {@link CertificateStore} in the {@code certificates} table of a {@link JdbcDatabase}. Each call
 * is one transaction on a pooled connection, except {@link #recordIssued}, which goes through a
 * {@link GroupCommitWriter} (rows queued together commit together) and returns after the commit. The
 * database enforces serial uniqueness per CA ({@code certificates_serial_ca_unique}); a violation
 * (SQLSTATE 23505, the same in H2 and PostgreSQL) becomes a {@link DuplicateSerialException}.
 */
public final class JdbcCertificateStore implements CertificateStore {
  static final String UNIQUE_VIOLATION = "23505";
  static final String COLUMNS =
      "serial, ca_name, label, subject, subject_alt_names, public_key_sha256, not_before, not_after, status, "
          + "requester, request_id, pem, issued_at, revoked_at, revocation_reason";
  static final int COLUMN_COUNT = 15;
  static final String INSERT_PREFIX = "INSERT INTO certificates (" + COLUMNS + ") VALUES";

  private final JdbcDatabase db;
  private final boolean ownsDatabase;
  private final GroupCommitWriter writer;
  private final JdbcTokenStore tokens;
  private final JdbcUserDirectory users;

  /** A store on a database another owner closes. */
  public JdbcCertificateStore(JdbcDatabase db) {
    this(db, false);
  }

  private JdbcCertificateStore(JdbcDatabase db, boolean ownsDatabase) {
    this.db = db;
    this.ownsDatabase = ownsDatabase;
    this.writer = new GroupCommitWriter(db, INSERT_PREFIX);
    this.tokens = new JdbcTokenStore(db);
    this.users = new JdbcUserDirectory(db);
  }

  /** Opens (and migrates) the database; closing the store closes it. */
  public static JdbcCertificateStore open(JdbcStoreSettings settings) {
    return new JdbcCertificateStore(JdbcDatabase.open(settings), true);
  }

  public JdbcDatabase database() {
    return db;
  }

  @Override
  public void recordIssued(CertificateRecord r) {
    writer.write(r, Optional.empty(), Optional.empty());
  }

  /** The certificate row and the token's consumption commit in one transaction (see {@link GroupCommitWriter}). */
  @Override
  public void recordIssued(CertificateRecord r, Optional<TokenConsumption> token) {
    write(r, token, Optional.empty());
  }

  /** The certificate row, the token's consumption and the audit row commit in one transaction. */
  @Override
  public boolean recordIssued(CertificateRecord r, Optional<TokenConsumption> token, AuditEvent audit) {
    write(r, token, Optional.of(audit));
    return true;
  }

  private void write(CertificateRecord r, Optional<TokenConsumption> token, Optional<AuditEvent> audit) {
    try {
      writer.write(r, token, audit);
    } catch (TokenNotUsableException e) {
      TokenConsumption t = token.orElseThrow();
      throw new TokenNotUsableException(TokenRules.notUsable(tokens.findBySha256(t.sha256()), t));
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

  /** Binds a row to the {@link #COLUMN_COUNT} parameters after {@code offset} of a multi-row INSERT. */
  static void bind(PreparedStatement p, int offset, CertificateRecord r) throws SQLException {
    p.setString(offset + 1, r.serial());
    p.setString(offset + 2, r.caName());
    p.setString(offset + 3, r.label().orElse(""));
    p.setString(offset + 4, r.subject());
    p.setString(offset + 5, String.join("\n", r.subjectAltNames()));
    p.setString(offset + 6, r.publicKeySha256());
    p.setObject(offset + 7, utc(r.notBefore()));
    p.setObject(offset + 8, utc(r.notAfter()));
    p.setString(offset + 9, r.status().id());
    p.setString(offset + 10, r.requester());
    p.setString(offset + 11, r.requestId());
    p.setString(offset + 12, r.pem());
    p.setObject(offset + 13, utc(r.issuedAt()));
    p.setObject(offset + 14, r.revokedAt().map(JdbcCertificateStore::utc).orElse(null));
    p.setString(offset + 15, r.revocationReason().orElse(null));
  }

  @Override
  public Optional<CertificateRecord> find(String caName, String serial) {
    List<CertificateRecord> rows =
        query("SELECT " + COLUMNS + " FROM certificates WHERE ca_name = ? AND serial = ?",
            List.of(caName, CertificateRecord.normaliseSerial(serial)), 1);
    return rows.stream().findFirst();
  }

  @Override
  public List<CertificateRecord> findBySerial(String serial) {
    return query("SELECT " + COLUMNS + " FROM certificates WHERE serial = ? ORDER BY ca_name",
        List.of(CertificateRecord.normaliseSerial(serial)), 1000);
  }

  @Override
  public List<CertificateRecord> list(CertificateQuery q) {
    StringBuilder sql = new StringBuilder("SELECT " + COLUMNS + " FROM certificates WHERE 1 = 1");
    List<Object> args = new ArrayList<>();
    OffsetDateTime now = utc(q.now());
    q.caName().ifPresent(n -> {
      sql.append(" AND ca_name = ?");
      args.add(n);
    });
    q.label().ifPresent(l -> {
      sql.append(" AND label = ?");
      args.add(l);
    });
    q.subjectContains().ifPresent(s -> {
      sql.append(" AND LOWER(subject) LIKE ? ESCAPE '!'");
      args.add("%" + likeEscape(s.toLowerCase(Locale.ROOT)) + "%");
    });
    q.status().ifPresent(s -> {
      switch (s) {
        case REVOKED -> sql.append(" AND status = 'revoked'");
        case ISSUED -> {
          sql.append(" AND status = 'issued' AND not_after >= ?");
          args.add(now);
        }
        case EXPIRED -> {
          sql.append(" AND status = 'issued' AND not_after < ?");
          args.add(now);
        }
      }
    });
    q.expiringWithin().ifPresent(d -> {
      sql.append(" AND status = 'issued' AND not_after >= ? AND not_after <= ?");
      args.add(now);
      args.add(utc(q.now().plus(d)));
    });
    sql.append(" ORDER BY issued_at DESC, id DESC");
    return query(sql.toString(), args, q.limit());
  }

  @Override
  public RevokeResult revoke(String caName, String serial, String reason, Instant at) {
    String s = CertificateRecord.normaliseSerial(serial);
    try (Connection c = db.connection()) {
      try (PreparedStatement p = c.prepareStatement(
          "UPDATE certificates SET status = 'revoked', revoked_at = ?, revocation_reason = ? "
              + "WHERE ca_name = ? AND serial = ? AND status = 'issued'")) {
        p.setObject(1, utc(at));
        p.setString(2, reason);
        p.setString(3, caName);
        p.setString(4, s);
        int updated = p.executeUpdate();
        c.commit();
        if (updated == 1) {
          return RevokeResult.REVOKED;
        }
      } catch (SQLException e) {
        rollbackQuietly(c, e);
        throw e;
      }
    } catch (SQLException e) {
      throw new StoreException("cannot revoke " + s + ": " + e.getMessage(), e);
    }
    return find(caName, s).isPresent() ? RevokeResult.ALREADY_REVOKED : RevokeResult.NOT_FOUND;
  }

  @Override
  public String describe() {
    return db.settings().redactedUrl() + " (schema version " + db.schemaVersion() + ")";
  }

  /** A pooled connection that answers within 2 s (the pool waits up to its connection_timeout for one). */
  @Override
  public void checkReady() {
    try (Connection c = db.connection()) {
      if (!c.isValid(2)) {
        throw new StoreException("the database did not answer within 2 s");
      }
    } catch (SQLException e) {
      throw new StoreException(e.getMessage(), e);
    }
  }

  @Override
  public void close() {
    writer.close();
    if (ownsDatabase) {
      db.close();
    }
  }

  private List<CertificateRecord> query(String sql, List<Object> args, int limit) {
    try (Connection c = db.connection()) {
      try (PreparedStatement p = c.prepareStatement(sql)) {
        p.setMaxRows(limit);
        for (int i = 0; i < args.size(); i++) {
          p.setObject(i + 1, args.get(i));
        }
        List<CertificateRecord> out = new ArrayList<>();
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
      throw new StoreException("cannot read certificates: " + e.getMessage(), e);
    }
  }

  private static CertificateRecord row(ResultSet rs) throws SQLException {
    String label = rs.getString(3);
    String sans = rs.getString(5);
    String reason = rs.getString(15);
    return new CertificateRecord(
        rs.getString(1),
        rs.getString(2),
        label.isEmpty() ? Optional.empty() : Optional.of(label),
        rs.getString(4),
        sans.isEmpty() ? List.of() : List.of(sans.split("\n")),
        rs.getString(6).trim(),
        instant(rs, 7),
        instant(rs, 8),
        CertificateStatus.parse(rs.getString(9)),
        rs.getString(10),
        rs.getString(11),
        rs.getString(12),
        instant(rs, 13),
        Optional.ofNullable(rs.getObject(14, OffsetDateTime.class)).map(OffsetDateTime::toInstant),
        Optional.ofNullable(reason));
  }

  private static Instant instant(ResultSet rs, int column) throws SQLException {
    return rs.getObject(column, OffsetDateTime.class).toInstant();
  }

  static OffsetDateTime utc(Instant i) {
    return i.atOffset(ZoneOffset.UTC);
  }

  private static String likeEscape(String s) {
    return s.replace("!", "!!").replace("%", "!%").replace("_", "!_");
  }

  static void rollbackQuietly(Connection c, SQLException cause) {
    try {
      c.rollback();
    } catch (SQLException e) {
      cause.addSuppressed(e);
    }
  }
}
