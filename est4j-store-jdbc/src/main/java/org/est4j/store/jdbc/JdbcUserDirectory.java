package org.est4j.store.jdbc;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.TreeSet;
import org.est4j.server.store.StoreException;
import org.est4j.server.store.StoredUser;
import org.est4j.server.store.UserDirectory;

/**
 * {@link UserDirectory} on the {@code users} table (hashes only; {@code disabled} rows are not
 * found). A user's labels are one space-separated column (NULL: every label).
 */
public final class JdbcUserDirectory implements UserDirectory {
  private final JdbcDatabase db;

  public JdbcUserDirectory(JdbcDatabase db) {
    this.db = db;
  }

  @Override
  public Optional<StoredUser> find(String username) {
    return select("SELECT username, password_hash, created_at, updated_at, labels FROM users WHERE username = ? AND NOT disabled",
        username).stream().findFirst();
  }

  @Override
  public List<StoredUser> list() {
    return select("SELECT username, password_hash, created_at, updated_at, labels FROM users WHERE NOT disabled ORDER BY username",
        null);
  }

  @Override
  public boolean add(String username, String passwordHash, Set<String> labels, Instant at) {
    if (find(username).isPresent()) {
      return false;
    }
    try {
      return update("INSERT INTO users (username, password_hash, created_at, updated_at, labels) VALUES (?, ?, ?, ?, ?)",
          username, passwordHash, JdbcTokenStore.utc(at), JdbcTokenStore.utc(at),
          labels.isEmpty() ? null : String.join(" ", new TreeSet<>(labels))) == 1;
    } catch (StoreException e) {
      if (e.getCause() instanceof SQLException s && JdbcCertificateStore.UNIQUE_VIOLATION.equals(s.getSQLState())) {
        return false; // added by someone else in between
      }
      throw e;
    }
  }

  @Override
  public boolean changePassword(String username, String passwordHash, Instant at) {
    return update("UPDATE users SET password_hash = ?, updated_at = ? WHERE username = ?",
        passwordHash, JdbcTokenStore.utc(at), username) == 1;
  }

  @Override
  public boolean remove(String username) {
    return update("DELETE FROM users WHERE username = ?", username) == 1;
  }

  private int update(String sql, Object... args) {
    try (Connection c = db.connection()) {
      try (PreparedStatement p = c.prepareStatement(sql)) {
        for (int i = 0; i < args.length; i++) {
          if (args[i] == null) {
            p.setNull(i + 1, java.sql.Types.VARCHAR);
          } else {
            p.setObject(i + 1, args[i]);
          }
        }
        int n = p.executeUpdate();
        c.commit();
        return n;
      } catch (SQLException e) {
        c.rollback();
        throw e;
      }
    } catch (SQLException e) {
      throw new StoreException("cannot update users: " + e.getMessage(), e);
    }
  }

  private List<StoredUser> select(String sql, String arg) {
    try (Connection c = db.connection()) {
      try (PreparedStatement p = c.prepareStatement(sql)) {
        if (arg != null) {
          p.setString(1, arg);
        }
        List<StoredUser> out = new ArrayList<>();
        try (ResultSet rs = p.executeQuery()) {
          while (rs.next()) {
            String labels = rs.getString(5);
            out.add(new StoredUser(rs.getString(1), rs.getString(2),
                labels == null || labels.isBlank() ? Set.of() : Set.of(labels.trim().split(" +")),
                rs.getObject(3, OffsetDateTime.class).toInstant(), rs.getObject(4, OffsetDateTime.class).toInstant()));
          }
        }
        c.commit();
        return out;
      } catch (SQLException e) {
        c.rollback();
        throw e;
      }
    } catch (SQLException e) {
      throw new StoreException("cannot read users: " + e.getMessage(), e);
    }
  }
}
