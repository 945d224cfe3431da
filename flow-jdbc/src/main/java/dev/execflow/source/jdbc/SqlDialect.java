package dev.execflow.source.jdbc;

import dev.execflow.source.jdbc.internal.Dialects;
import java.sql.Connection;
import java.sql.DatabaseMetaData;
import java.sql.SQLException;
import java.sql.Statement;

/**
 * The few places where databases differ in the SQL {@link JdbcLogSource} sends: identifier quoting,
 * string literals, a cast to text, a timestamp as epoch seconds, {@code LIMIT}, and the switch
 * that makes a driver stream a result instead of holding it. Everything else is plain SQL that
 * DuckDB, SQLite and ClickHouse (even 18.16) all take, as do most other databases. Session ids and every other
 * value from a caller are bound parameters, never written into the SQL by a dialect.
 *
 * <pre>{@code
 * JdbcLogSource source = JdbcLogSource.builder(dataSource)
 *     .dialect(SqlDialect.DUCKDB)      // default: chosen from DatabaseMetaData
 *     .build();
 *
 * SqlDialect mine = new SqlDialect() {  // a database the presets do not know
 *   public String name() { return "mydb"; }
 *   public String limit(long rows) { return " FETCH FIRST " + rows + " ROWS ONLY"; }
 * };
 * }</pre>
 */
public interface SqlDialect {
  /** Standard SQL: double-quoted identifiers, {@code CAST(x AS VARCHAR)}, {@code EXTRACT(EPOCH ...)}. */
  SqlDialect ANSI = new Dialects.Ansi();

  /** DuckDB (also over Parquet and JSON files): streams once {@code jdbc_stream_results} is set. */
  SqlDialect DUCKDB = new Dialects.DuckDb();

  /** SQLite (xerial sqlite-jdbc): typeless columns; results are stepped, so they stream as is. */
  SqlDialect SQLITE = new Dialects.Sqlite();

  /**
   * ClickHouse through clickhouse-jdbc: back-quoted identifiers, {@code toString}, a table
   * without a database is qualified with the connection's database (the v1 driver does not pass
   * the URL's database to an 18.16 server).
   */
  SqlDialect CLICKHOUSE = new Dialects.ClickHouse();

  /**
   * The preset for the database behind {@code metadata} (by product name), else {@link #ANSI}.
   *
   * @throws SQLException when the driver cannot say
   */
  static SqlDialect detect(DatabaseMetaData metadata) throws SQLException {
    return Dialects.detect(metadata.getDatabaseProductName());
  }

  /** A short name for messages, e.g. {@code duckdb}. */
  String name();

  /** {@code name} as a quoted identifier, whatever characters it holds. */
  default String quote(String name) {
    return '"' + name.replace("\"", "\"\"") + '"';
  }

  /**
   * {@code value} as a string literal: for the constants of the generated SQL (node types, file
   * paths the host named), never for values from a request, which are bound parameters.
   */
  default String literal(String value) {
    return "'" + value.replace("'", "''") + "'";
  }

  /** The SQL expression {@code expr} converted to text (for an id stored as a UUID, say). */
  default String toText(String expr) {
    return "CAST(" + expr + " AS VARCHAR)";
  }

  /**
   * A date-time column {@code expr} of type {@code typeName} (as the driver names it, e.g. {@code
   * TIMESTAMP WITH TIME ZONE} or {@code DateTime64(6)}) as epoch seconds with fraction (a double),
   * exact to the microsecond; null when this database cannot say (time ranges are then applied
   * only as rows are read, and listing is unsupported). Numeric timestamps are used as they are.
   */
  default String epochSeconds(String expr, String typeName) {
    return "CAST(EXTRACT(EPOCH FROM " + expr + ") AS DOUBLE PRECISION)";
  }

  /**
   * A text column {@code expr} holding timestamps (epoch seconds as text, or date-time text such
   * as {@code 2025-01-05 10:00:00.123456}; {@code typeName} as the driver names it, e.g. {@code
   * VARCHAR} or DuckDB's {@code JSON} for a JSON Lines field that mixes both) as epoch seconds, for
   * time ranges and listing; null (the default) when this database cannot say. Rows are still
   * read and their text parsed as they arrive; only the SQL side needs this.
   */
  default String textEpochSeconds(String expr, String typeName) {
    return null;
  }

  /**
   * Whether every value of a column has the column's declared type. SQLite's do not (a value's
   * type belongs to the value: a {@code REAL} column can hold the text {@code "abc"}), so there
   * each value is read as an object and checked, never coerced by the driver (which would turn
   * that text into 0.0 silently).
   */
  default boolean typedColumns() {
    return true;
  }

  /**
   * A non-negative cost in dollars as whole pico-dollars ({@code BIGINT}), rounded half up as
   * {@code Math.round} does: listings sum integers, as the fold does, so that their totals agree
   * exactly. The default suits engines whose {@code FLOOR} returns an exact integral value.
   */
  default String picos(String dollars) {
    return "CAST(FLOOR(" + dollars + " * 1e12 + 0.5) AS BIGINT)";
  }

  /** The clause that ends a query after {@code rows} rows, with its leading space. */
  default String limit(long rows) {
    return " LIMIT " + rows;
  }

  /**
   * The relation for a table named {@code name} (as given to {@link JdbcLogSource.Builder#table},
   * dots separating schema and table), quoted. A dialect may qualify it from the connection.
   *
   * @throws SQLException when asking the connection fails
   */
  default String table(Connection connection, String name) throws SQLException {
    StringBuilder out = new StringBuilder();
    for (String part : name.split("\\.", -1)) {
      if (out.length() > 0) {
        out.append('.');
      }
      out.append(quote(part));
    }
    return out.toString();
  }

  /**
   * Makes {@code statement}, about to run a query of many rows on {@code connection}, stream its
   * result rather than hold it: the driver-specific switch (a fetch size, a setting, a
   * transaction). Called once per read, before the query runs.
   *
   * @param fetchSize the rows per round trip the source was configured with
   * @return what puts the connection back as it was (run when the read ends, before the
   *     connection goes back to its pool)
   * @throws SQLException when the driver refuses
   */
  default Undo streamResults(Connection connection, Statement statement, int fetchSize) throws SQLException {
    statement.setFetchSize(fetchSize);
    return Undo.NOTHING;
  }

  /** Puts back a connection setting that {@link #streamResults} changed. */
  @FunctionalInterface
  interface Undo {
    /** Nothing to put back. */
    Undo NOTHING = () -> {};

    void undo() throws SQLException;
  }
}
