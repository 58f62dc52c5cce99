package org.est4j.store.jdbc;

import static org.est4j.store.jdbc.JdbcCertificateStore.utc;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.util.Optional;
import org.est4j.server.store.CrlStore;
import org.est4j.server.store.StoreException;

/**
 * {@link CrlStore} in the {@code crl_state} table: {@code SELECT ... FOR UPDATE} on the CA's row
 * serialises publishers on every node (H2 and PostgreSQL both lock the row); the first CRL of a
 * CA inserts the row, and a node losing that insert race retries once against the winner's row.
 */
public final class JdbcCrlStore implements CrlStore {
  private final JdbcDatabase db;

  public JdbcCrlStore(JdbcDatabase db) {
    this.db = db;
  }

  @Override
  public Optional<Published> current(String caName) {
    try (Connection c = db.connection();
        PreparedStatement p = c.prepareStatement(
            "SELECT crl_number, this_update, next_update, crl_der FROM crl_state WHERE ca_name = ?")) {
      p.setString(1, caName);
      try (ResultSet rs = p.executeQuery()) {
        Optional<Published> out = rs.next() ? Optional.of(row(caName, rs)) : Optional.empty();
        c.commit();
        return out;
      }
    } catch (SQLException e) {
      throw new StoreException("cannot read the CRL of CA " + caName + ": " + e.getMessage(), e);
    }
  }

  @Override
  public Published publish(String caName, Instant thisUpdate, Instant nextUpdate, Signer signer) {
    try {
      return tryPublish(caName, thisUpdate, nextUpdate, signer);
    } catch (SQLException e) {
      if (JdbcCertificateStore.UNIQUE_VIOLATION.equals(e.getSQLState())) {
        try {
          return tryPublish(caName, thisUpdate, nextUpdate, signer); // another node inserted the first row
        } catch (SQLException again) {
          e = again;
        }
      }
      throw new StoreException("cannot publish the CRL of CA " + caName + ": " + e.getMessage(), e);
    }
  }

  private Published tryPublish(String caName, Instant thisUpdate, Instant nextUpdate, Signer signer)
      throws SQLException {
    try (Connection c = db.connection()) {
      try {
        long previous = 0;
        boolean exists;
        try (PreparedStatement p = c.prepareStatement("SELECT crl_number FROM crl_state WHERE ca_name = ? FOR UPDATE")) {
          p.setString(1, caName);
          try (ResultSet rs = p.executeQuery()) {
            exists = rs.next();
            if (exists) {
              previous = rs.getLong(1);
            }
          }
        }
        long number = previous + 1;
        byte[] der;
        try {
          der = signer.sign(number);
        } catch (Exception e) {
          throw new StoreException("cannot sign the CRL of CA " + caName + ": " + e.getMessage(), e);
        }
        String sql = exists
            ? "UPDATE crl_state SET crl_number = ?, this_update = ?, next_update = ?, crl_der = ? WHERE ca_name = ?"
            : "INSERT INTO crl_state (crl_number, this_update, next_update, crl_der, ca_name) VALUES (?, ?, ?, ?, ?)";
        try (PreparedStatement p = c.prepareStatement(sql)) {
          p.setLong(1, number);
          p.setObject(2, utc(thisUpdate));
          p.setObject(3, utc(nextUpdate));
          p.setBytes(4, der);
          p.setString(5, caName);
          p.executeUpdate();
        }
        c.commit();
        return new Published(caName, number, thisUpdate, nextUpdate, der);
      } catch (SQLException | RuntimeException e) {
        try {
          c.rollback();
        } catch (SQLException r) {
          e.addSuppressed(r);
        }
        throw e;
      }
    }
  }

  private static Published row(String caName, ResultSet rs) throws SQLException {
    return new Published(caName, rs.getLong(1), rs.getObject(2, OffsetDateTime.class).toInstant(),
        rs.getObject(3, OffsetDateTime.class).toInstant(), rs.getBytes(4));
  }
}
