package dev.execflow.source.jdbc.internal;

import dev.execflow.source.jdbc.SqlDialect;
import dev.execflow.spi.Column;
import dev.execflow.spi.ColumnMapping;
import dev.execflow.spi.LogSourceException;
import dev.execflow.spi.LogSourceException.Reason;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import java.util.HashMap;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.Supplier;
import javax.sql.DataSource;

/**
 * A JDBC source's link to its database: connects once (dialect, relation, columns, mapping, query
 * plan), lends a connection and a statement per query and takes them back, and cancels the
 * statements in flight when closed.
 */
public final class Connector {
  /** What connecting found out. */
  public record Connected(SqlDialect dialect, String relation, QueryPlan plan, String description) {}

  private final DataSource dataSource;
  private final AutoCloseable owned;
  private final String table;
  private final Supplier<String> relation;
  private final ColumnMapping configuredMapping;
  private final SqlDialect configuredDialect;
  private final Duration queryTimeout;
  private final String name;

  private final Set<Statement> active = ConcurrentHashMap.newKeySet();
  private volatile boolean closed;
  private volatile Connected connected;

  /**
   * @param owned closed with this connector (a pool made for the source only), or null
   * @param relation the relation as SQL, or null to read {@code table}
   * @param mapping the configured mapping, or null to detect it
   * @param dialect the configured dialect, or null to detect it
   * @param queryTimeout a limit on each query, or null
   * @param name how messages name the database, or null for its URL
   */
  public Connector(DataSource dataSource, AutoCloseable owned, String table, Supplier<String> relation,
      ColumnMapping mapping, SqlDialect dialect, Duration queryTimeout, String name) {
    this.dataSource = dataSource;
    this.owned = owned;
    this.table = table;
    this.relation = relation;
    this.configuredMapping = mapping;
    this.configuredDialect = dialect;
    this.queryTimeout = queryTimeout;
    this.name = name;
  }

  public boolean isClosed() {
    return closed;
  }

  /** What the connection is to, for messages: the relation and database once connected. */
  public String description() {
    Connected c = connected;
    return c != null ? c.description() : name != null ? name : table;
  }

  /** Connects on first use; a failed attempt is retried by the next call. */
  public Connected connection() {
    Connected c = connected;
    if (c != null && !closed) {
      return c;
    }
    synchronized (this) {
      if (closed) {
        throw new LogSourceException(Reason.UNAVAILABLE, "JdbcLogSource[" + description() + "] is closed");
      }
      if (connected == null) {
        connected = establish();
      }
      return connected;
    }
  }

  /** The relation a query reads now (a file list is listed again for each query). */
  public String relation(Connected c) {
    return relation == null ? c.relation() : relation.get();
  }

  public Connection borrow(String what) {
    if (closed) {
      throw new LogSourceException(Reason.UNAVAILABLE, "JdbcLogSource[" + description() + "] is closed");
    }
    try {
      return dataSource.getConnection();
    } catch (SQLException e) {
      throw Errors.translate(e, "connecting for " + what);
    }
  }

  /** A forward-only statement, cancelled by {@link #close}, limited by the query timeout. */
  public PreparedStatement prepare(Connection connection, String sql, String what) throws SQLException {
    PreparedStatement ps = connection.prepareStatement(sql, ResultSet.TYPE_FORWARD_ONLY, ResultSet.CONCUR_READ_ONLY);
    active.add(ps);
    if (queryTimeout != null) {
      ps.setQueryTimeout((int) Math.max(1, queryTimeout.toSeconds()));
    }
    if (closed) {
      throw new LogSourceException(Reason.INTERRUPTED, "cancelled while " + what + ": the source was closed");
    }
    return ps;
  }

  /** Gives back what {@link #borrow} and {@link #prepare} lent, settings undone. */
  public void release(Connection connection, Statement statement, SqlDialect.Undo undo) {
    if (statement != null) {
      active.remove(statement);
      try {
        statement.close();
      } catch (SQLException ignored) {
        // the connection is closed below either way
      }
    }
    try {
      if (!connection.isClosed()) {
        undo.undo();
      }
    } catch (SQLException ignored) {
      // a setting that could not be put back goes away with the connection
    }
    try {
      connection.close();
    } catch (SQLException ignored) {
      // nothing more to release
    }
  }

  public static LogSourceException cancelled(String what, long delivered) {
    return new LogSourceException(Reason.INTERRUPTED, "cancelled after " + delivered + " rows while "
        + what + ": the source was closed or the thread interrupted");
  }

  /** Cancels the statements in flight, refuses new ones, closes what it owns. */
  public void close() {
    closed = true;
    for (Statement s : active) {
      try {
        s.cancel();
      } catch (SQLException | RuntimeException ignored) {
        // the read fails on its own when its statement is closed
      }
    }
    if (owned != null) {
      try {
        owned.close();
      } catch (Exception ignored) {
        // nothing more to release
      }
    }
  }

  private Connected establish() {
    String what = "connecting to " + (name != null ? name : "the data source");
    try (Connection connection = dataSource.getConnection()) {
      SqlDialect dialect = configuredDialect != null ? configuredDialect : SqlDialect.detect(connection.getMetaData());
      String rel = relation != null ? relation.get() : dialect.table(connection, table);
      String where = name != null ? name : describe(connection);
      String description = (relation != null ? rel.length() > 120 ? rel.substring(0, 120) + "...)" : rel
          : "table " + table) + " on " + where;
      Map<String, SqlColumn> layout;
      try (Statement s = connection.createStatement();
          ResultSet rs = s.executeQuery("SELECT * FROM " + rel + " WHERE 1 = 0")) {
        layout = SqlColumn.of(rs.getMetaData());
      } catch (SQLException e) {
        throw Errors.translate(e, "reading the columns of " + description);
      }
      if (layout.isEmpty()) {
        throw new LogSourceException(Reason.SCHEMA, description + " has no columns");
      }
      ColumnMapping mapping = resolve(configuredMapping, layout);
      // detected: where the relation has both schemas' names (exports from before and after the
      // rename read together), the other schema's column fills in for rows that lack the first
      ColumnMapping other = configuredMapping != null ? null
          : resolve(isRvbbit(mapping) ? ColumnMapping.WINDLASS : ColumnMapping.RVBBIT, layout);
      QueryPlan plan = QueryPlan.of(dialect, description, mapping, other, layout);
      return new Connected(dialect, rel, plan, description);
    } catch (SQLException e) {
      throw Errors.translate(e, what);
    }
  }

  private static String describe(Connection connection) {
    try {
      String url = connection.getMetaData().getURL();
      if (url != null) {
        int q = url.indexOf('?');
        return q < 0 ? url : url.substring(0, q);
      }
      return connection.getMetaData().getDatabaseProductName();
    } catch (SQLException e) {
      return "the data source";
    }
  }

  /**
   * The configured mapping, or the detected one ({@link ColumnMapping#detect}), with each name
   * spelled as the relation spells it: databases that fold unquoted names to upper case (H2,
   * Snowflake) report {@code SESSION_ID} for {@code session_id}.
   */
  static ColumnMapping resolve(ColumnMapping configured, Map<String, SqlColumn> layout) {
    Map<String, String> byLower = new HashMap<>();
    for (String name : layout.keySet()) {
      String lower = name.toLowerCase(Locale.ROOT);
      byLower.merge(lower, name, (a, b) -> a.equals(lower) ? a : b.equals(lower) ? b : a);
    }
    ColumnMapping mapping = configured != null ? configured : ColumnMapping.detect(byLower.keySet());
    for (Column column : Column.values()) {
      String name = mapping.name(column);
      if (name != null && !layout.containsKey(name)) {
        String actual = byLower.get(name.toLowerCase(Locale.ROOT));
        if (actual != null) {
          mapping = mapping.with(column, actual);
        }
      }
    }
    return mapping;
  }

  /** Whether a detected mapping is the RVBBIT preset (it names the phase {@code cell_name}). */
  private static boolean isRvbbit(ColumnMapping detected) {
    for (Column c : new Column[] {Column.PHASE_NAME, Column.SOUNDING_INDEX}) {
      String name = detected.name(c);
      if (name != null && name.equalsIgnoreCase(ColumnMapping.RVBBIT.name(c))) {
        return true;
      }
    }
    return false;
  }
}
