package dev.execflow.source.jdbc.internal;

import dev.execflow.assemble.Pricing;
import dev.execflow.model.Status;
import dev.execflow.source.jdbc.SqlDialect;
import dev.execflow.spi.LogSourceException;
import dev.execflow.spi.LogSourceException.Reason;
import dev.execflow.spi.SessionListQuery;
import dev.execflow.spi.SessionPage;
import dev.execflow.spi.SessionSummary;
import java.nio.charset.StandardCharsets;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.Locale;

/** A page of a JDBC source's sessions: one aggregating query with a keyed cursor. */
public final class SessionListing {
  private static final String CURSOR_VERSION = "jdbc1";

  private SessionListing() {}

  /**
   * @throws LogSourceException {@code UNSUPPORTED} when the timestamp column is text; {@code
   *     BAD_INPUT} for a cursor this source did not issue
   */
  public static SessionPage page(Connector connector, SessionListQuery query) {
    Connector.Connected c = connector.connection();
    String problem = c.plan().listingProblem();
    if (problem != null) {
      throw new LogSourceException(Reason.UNSUPPORTED, "cannot list " + c.description() + ": " + problem);
    }
    if (query.status() == Status.PENDING) {
      // a session with rows has started: none is pending
      return new SessionPage(List.of(), null);
    }
    Cursor after = query.after() == null ? null : Cursor.decode(query.after());
    String sql = c.plan().listSelect(connector.relation(c), query.cascadeId() != null, query.status() != null,
        after != null, query.limit());
    String what = "listing sessions of " + c.description();
    List<SessionSummary> sessions = new ArrayList<>();
    boolean more = false;
    Connection connection = connector.borrow(what);
    PreparedStatement ps = null;
    try {
      ps = connector.prepare(connection, sql, what);
      int p = 1;
      if (query.cascadeId() != null) {
        SessionIds.requireWellFormed(query.cascadeId(), what);
        ps.setString(p++, query.cascadeId());
      }
      if (query.status() != null) {
        ps.setString(p++, query.status().name().toLowerCase(Locale.ROOT));
      }
      if (after != null) {
        ps.setDouble(p++, after.first());
        ps.setDouble(p++, after.first());
        ps.setString(p, after.sessionId());
      }
      try (ResultSet rs = ps.executeQuery()) {
        while (rs.next()) {
          if (sessions.size() == query.limit()) {
            more = true;
            break;
          }
          sessions.add(summary(rs));
        }
      }
      if (connector.isClosed()) {
        throw Connector.cancelled(what, sessions.size());
      }
    } catch (SQLException e) {
      throw connector.isClosed() ? Connector.cancelled(what, sessions.size()) : Errors.translate(e, what);
    } finally {
      connector.release(connection, ps, SqlDialect.Undo.NOTHING);
    }
    String next = null;
    if (more) {
      SessionSummary last = sessions.get(sessions.size() - 1);
      next = new Cursor(last.firstTimestamp(), last.sessionId()).encode();
    }
    return new SessionPage(sessions, next);
  }

  private static SessionSummary summary(ResultSet rs) throws SQLException {
    String sid = rs.getString(1);
    String cascade = rs.getString(2);
    double first = rs.getDouble(3);
    first = rs.wasNull() ? Double.NaN : first;
    double last = rs.getDouble(4);
    last = rs.wasNull() ? Double.NaN : last;
    Status status = Status.valueOf(rs.getString(5).toUpperCase(Locale.ROOT));
    double cost = Pricing.dollars(rs.getLong(6));
    long rows = rs.getLong(7);
    return new SessionSummary(sid, cascade == null || cascade.isEmpty() ? null : cascade, first, last, status,
        cost, rows);
  }

  /** The keyed cursor of a listing: the last listed session's first timestamp (exact bits) and id. */
  private record Cursor(double first, String sessionId) {
    String encode() {
      String plain = CURSOR_VERSION + "\n" + Long.toHexString(Double.doubleToRawLongBits(first)) + "\n" + sessionId;
      return Base64.getUrlEncoder().withoutPadding().encodeToString(plain.getBytes(StandardCharsets.UTF_8));
    }

    static Cursor decode(String cursor) {
      try {
        String plain = new String(Base64.getUrlDecoder().decode(cursor), StandardCharsets.UTF_8);
        String[] parts = plain.split("\n", 3);
        if (parts.length == 3 && parts[0].equals(CURSOR_VERSION)) {
          return new Cursor(Double.longBitsToDouble(Long.parseUnsignedLong(parts[1], 16)), parts[2]);
        }
      } catch (IllegalArgumentException e) {
        // reported below
      }
      throw new LogSourceException(Reason.BAD_INPUT, "not a session list cursor of this source: " + cursor);
    }
  }
}
