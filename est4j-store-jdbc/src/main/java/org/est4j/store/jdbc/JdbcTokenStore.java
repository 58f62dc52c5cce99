package org.est4j.store.jdbc;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import org.est4j.server.store.EnrollmentToken;
import org.est4j.server.store.StoreException;
import org.est4j.server.store.TokenConsumption;
import org.est4j.server.store.TokenStore;

/**
 * {@link TokenStore} on the {@code tokens} table. Consumption is {@link #consume}, called by the
 * certificate writer inside the transaction that inserts the certificate row: a conditional
 * {@code UPDATE ... WHERE used_at IS NULL}, so of two transactions (threads or nodes) presenting
 * the same token, the second finds the row already used (PostgreSQL re-checks the condition after
 * waiting for the first's row lock) and updates nothing.
 */
public final class JdbcTokenStore implements TokenStore {
  private static final String COLUMNS =
      "id, token_sha256, label, subject_pattern, created_at, created_by, expires_at, used_at, used_by_request_id";
  static final String CONSUME =
      "UPDATE tokens SET used_at = ?, used_by_request_id = ? "
          + "WHERE token_sha256 = ? AND used_at IS NULL AND expires_at > ? AND label = ?";

  private final JdbcDatabase db;

  public JdbcTokenStore(JdbcDatabase db) {
    this.db = db;
  }

  @Override
  public EnrollmentToken create(EnrollmentToken t) {
    try (Connection c = db.connection()) {
      try (PreparedStatement p = c.prepareStatement(
          "INSERT INTO tokens (token_sha256, label, subject_pattern, created_at, created_by, expires_at) "
              + "VALUES (?, ?, ?, ?, ?, ?)", Statement.RETURN_GENERATED_KEYS)) {
        p.setString(1, t.sha256());
        p.setString(2, t.label().orElse(""));
        p.setString(3, t.subjectPattern());
        p.setObject(4, utc(t.createdAt()));
        p.setString(5, t.createdBy());
        p.setObject(6, utc(t.expiresAt()));
        p.executeUpdate();
        long id;
        try (ResultSet keys = p.getGeneratedKeys()) {
          keys.next();
          id = keys.getLong(1);
        }
        c.commit();
        return new EnrollmentToken(id, t.sha256(), t.label(), t.subjectPattern(), t.createdAt(), t.createdBy(),
            t.expiresAt(), Optional.empty(), Optional.empty());
      } catch (SQLException e) {
        c.rollback();
        throw e;
      }
    } catch (SQLException e) {
      throw new StoreException("cannot store the token: " + e.getMessage(), e);
    }
  }

  @Override
  public Optional<EnrollmentToken> findBySha256(String sha256) {
    return query("SELECT " + COLUMNS + " FROM tokens WHERE token_sha256 = ?", sha256, 1).stream().findFirst();
  }

  @Override
  public List<EnrollmentToken> list(int limit) {
    return query("SELECT " + COLUMNS + " FROM tokens ORDER BY id DESC", null, limit);
  }

  @Override
  public boolean revoke(long id) {
    try (Connection c = db.connection()) {
      try (PreparedStatement p = c.prepareStatement("DELETE FROM tokens WHERE id = ?")) {
        p.setLong(1, id);
        int n = p.executeUpdate();
        c.commit();
        return n == 1;
      } catch (SQLException e) {
        c.rollback();
        throw e;
      }
    } catch (SQLException e) {
      throw new StoreException("cannot revoke token " + id + ": " + e.getMessage(), e);
    }
  }

  /** The conditional update, on the caller's connection and transaction; true when it consumed. */
  static boolean consume(Connection c, TokenConsumption t) throws SQLException {
    try (PreparedStatement p = c.prepareStatement(CONSUME)) {
      p.setObject(1, utc(t.at()));
      p.setString(2, t.requestId());
      p.setString(3, t.sha256());
      p.setObject(4, utc(t.at()));
      p.setString(5, t.label().orElse(""));
      return p.executeUpdate() == 1;
    }
  }

  private List<EnrollmentToken> query(String sql, String arg, int limit) {
    try (Connection c = db.connection()) {
      try (PreparedStatement p = c.prepareStatement(sql)) {
        p.setMaxRows(limit);
        if (arg != null) {
          p.setString(1, arg);
        }
        List<EnrollmentToken> out = new ArrayList<>();
        try (ResultSet rs = p.executeQuery()) {
          while (rs.next()) {
            String label = rs.getString(3);
            out.add(new EnrollmentToken(
                rs.getLong(1),
                rs.getString(2).trim(),
                label.isEmpty() ? Optional.empty() : Optional.of(label),
                Optional.ofNullable(rs.getString(4)).orElse("*"),
                instant(rs, 5),
                Optional.ofNullable(rs.getString(6)).orElse(""),
                instant(rs, 7),
                Optional.ofNullable(rs.getObject(8, OffsetDateTime.class)).map(OffsetDateTime::toInstant),
                Optional.ofNullable(rs.getString(9))));
          }
        }
        c.commit();
        return out;
      } catch (SQLException e) {
        c.rollback();
        throw e;
      }
    } catch (SQLException e) {
      throw new StoreException("cannot read tokens: " + e.getMessage(), e);
    }
  }

  private static Instant instant(ResultSet rs, int column) throws SQLException {
    return rs.getObject(column, OffsetDateTime.class).toInstant();
  }

  static OffsetDateTime utc(Instant i) {
    return i.atOffset(ZoneOffset.UTC);
  }
}
