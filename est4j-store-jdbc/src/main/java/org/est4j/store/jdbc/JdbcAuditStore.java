package org.est4j.store.jdbc;

import static org.est4j.store.jdbc.JdbcCertificateStore.rollbackQuietly;
import static org.est4j.store.jdbc.JdbcCertificateStore.utc;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.OffsetDateTime;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import org.est4j.server.store.AuditEvent;
import org.est4j.server.store.AuditQuery;
import org.est4j.server.store.AuditStore;
import org.est4j.server.store.StoreException;

/**
 * {@link AuditStore} in the {@code audit_events} table: a batch is one multi-row INSERT in one
 * transaction (the same reasoning as {@link GroupCommitWriter}: with H2 each statement writes the
 * file, so rows per statement is what makes it cheap). The rows of issued certificates are
 * inserted by the {@link GroupCommitWriter} in the certificates' transaction, through
 * {@link #insert}.
 */
public final class JdbcAuditStore implements AuditStore {
  private static final String COLUMNS =
      "event_time, request_id, client_address, identity, label, operation, outcome, http_status, serial, reason";
  private static final int COLUMN_COUNT = 10;
  private static final String TUPLE = "(" + "?, ".repeat(COLUMN_COUNT - 1) + "?)";
  private static final String INSERT_PREFIX = "INSERT INTO audit_events (" + COLUMNS + ") VALUES ";

  private final JdbcDatabase db;

  public JdbcAuditStore(JdbcDatabase db) {
    this.db = db;
  }

  @Override
  public void append(List<AuditEvent> events) {
    if (events.isEmpty()) {
      return;
    }
    try (Connection c = db.connection()) {
      try {
        insert(c, events);
        c.commit();
      } catch (SQLException e) {
        rollbackQuietly(c, e);
        throw e;
      }
    } catch (SQLException e) {
      throw new StoreException("cannot store audit events: " + e.getMessage(), e);
    }
  }

  /** One multi-row INSERT of {@code events} on {@code c}, in the caller's transaction. */
  static void insert(Connection c, List<AuditEvent> events) throws SQLException {
    StringBuilder sql = new StringBuilder(INSERT_PREFIX.length() + events.size() * (TUPLE.length() + 2))
        .append(INSERT_PREFIX);
    for (int i = 0; i < events.size(); i++) {
      sql.append(i == 0 ? "" : ", ").append(TUPLE);
    }
    try (PreparedStatement p = c.prepareStatement(sql.toString())) {
      int o = 0;
      for (AuditEvent e : events) {
        p.setObject(o + 1, utc(e.time()));
        p.setString(o + 2, cut(e.requestId(), 64));
        p.setString(o + 3, cut(e.clientAddress(), 64));
        p.setString(o + 4, cut(e.identity(), 4096));
        p.setString(o + 5, cut(e.label().orElse(""), 255));
        p.setString(o + 6, cut(e.operation(), 32));
        p.setString(o + 7, e.outcome());
        p.setInt(o + 8, e.httpStatus());
        p.setString(o + 9, e.serial().orElse(null));
        p.setString(o + 10, e.reason().map(r -> cut(r, 4096)).orElse(null));
        o += COLUMN_COUNT;
      }
      p.executeUpdate();
    }
  }

  /** Values come from requests (a label in a path, a DN in a certificate): never fail on length. */
  private static String cut(String s, int max) {
    return s.length() <= max ? s : s.substring(0, max);
  }

  @Override
  public List<AuditEvent> query(AuditQuery q) {
    StringBuilder sql = new StringBuilder("SELECT " + COLUMNS + " FROM audit_events WHERE 1 = 1");
    List<Object> args = new ArrayList<>();
    q.since().ifPresent(t -> {
      sql.append(" AND event_time >= ?");
      args.add(utc(t));
    });
    q.until().ifPresent(t -> {
      sql.append(" AND event_time < ?");
      args.add(utc(t));
    });
    q.label().ifPresent(l -> {
      sql.append(" AND label = ?");
      args.add(l);
    });
    q.identity().ifPresent(i -> {
      sql.append(" AND identity = ?");
      args.add(i);
    });
    q.outcome().ifPresent(o -> {
      sql.append(" AND outcome = ?");
      args.add(o);
    });
    sql.append(" ORDER BY event_time DESC, id DESC");
    try (Connection c = db.connection()) {
      try (PreparedStatement p = c.prepareStatement(sql.toString())) {
        p.setMaxRows(q.limit());
        for (int i = 0; i < args.size(); i++) {
          p.setObject(i + 1, args.get(i));
        }
        List<AuditEvent> out = new ArrayList<>();
        try (ResultSet rs = p.executeQuery()) {
          while (rs.next()) {
            String label = rs.getString(5);
            int status = rs.getInt(8);
            out.add(new AuditEvent(rs.getObject(1, OffsetDateTime.class).toInstant(), rs.getString(2),
                rs.getString(3), rs.getString(4), label.isEmpty() ? Optional.empty() : Optional.of(label),
                rs.getString(6), rs.getString(7), status, Optional.ofNullable(rs.getString(9)),
                Optional.ofNullable(rs.getString(10))));
          }
        }
        c.commit();
        return out;
      } catch (SQLException e) {
        rollbackQuietly(c, e);
        throw e;
      }
    } catch (SQLException e) {
      throw new StoreException("cannot read audit events: " + e.getMessage(), e);
    }
  }
}
