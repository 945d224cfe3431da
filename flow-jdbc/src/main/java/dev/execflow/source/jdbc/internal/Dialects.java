package dev.execflow.source.jdbc.internal;

import dev.execflow.source.jdbc.SqlDialect;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.Locale;

/**
 * The presets behind {@link SqlDialect}'s constants. The constants are created by the interface
 * itself (so that initialising this class first cannot leave them null); {@link #detect} returns
 * them.
 */
public final class Dialects {
  private Dialects() {}

  /** The preset for a database product name as {@code DatabaseMetaData} reports it. */
  public static SqlDialect detect(String productName) {
    String p = productName == null ? "" : productName.toLowerCase(Locale.ROOT);
    if (p.contains("duckdb")) {
      return SqlDialect.DUCKDB;
    }
    if (p.contains("sqlite")) {
      return SqlDialect.SQLITE;
    }
    if (p.contains("clickhouse")) {
      return SqlDialect.CLICKHOUSE;
    }
    return SqlDialect.ANSI;
  }

  /** Standard SQL. */
  public static class Ansi implements SqlDialect {
    @Override
    public String name() {
      return "ansi";
    }

    @Override
    public String toString() {
      return name();
    }
  }

  /** DuckDB. */
  public static final class DuckDb extends Ansi {
    @Override
    public String name() {
      return "duckdb";
    }

    @Override
    public String epochSeconds(String expr, String typeName) {
      // epoch_us is exact (an integer); one division is correctly rounded, as in the other sources
      return "(CAST(epoch_us(" + expr + ") AS DOUBLE) / 1000000)";
    }

    /**
     * Numbers as they are, date-time text through DuckDB's own timestamp cast; a JSON value (what
     * {@code read_ndjson} infers for a field written both ways) is first taken as its text.
     */
    @Override
    public String textEpochSeconds(String expr, String typeName) {
      String text = "JSON".equalsIgnoreCase(typeName) ? "json_extract_string(" + expr + ", '$')" : expr;
      return "COALESCE(TRY_CAST(" + text + " AS DOUBLE), CAST(epoch_us(TRY_CAST(" + text
          + " AS TIMESTAMP)) AS DOUBLE) / 1000000)";
    }

    /**
     * DuckDB's JDBC driver materialises a whole result in native memory unless {@code
     * jdbc_stream_results} is on; it is a setting of the connection that {@code SET} changes, so
     * it works on a connection from any pool. Put back afterwards: with it on, running a second
     * query on the connection closes the first one's result, which a host may not expect.
     */
    @Override
    public Undo streamResults(Connection connection, Statement statement, int fetchSize) throws SQLException {
      String before = null;
      try (Statement s = connection.createStatement();
          ResultSet rs = s.executeQuery("SELECT current_setting('jdbc_stream_results')")) {
        if (rs.next()) {
          before = rs.getString(1);
        }
      } catch (SQLException e) {
        // never set on this connection: "unrecognized configuration parameter"
      }
      boolean wasOn = "true".equalsIgnoreCase(before);
      if (!wasOn) {
        try (Statement s = connection.createStatement()) {
          s.execute("SET jdbc_stream_results = true");
        }
      }
      statement.setFetchSize(fetchSize);
      return wasOn ? Undo.NOTHING : () -> {
        try (Statement s = connection.createStatement()) {
          s.execute("SET jdbc_stream_results = false");
        }
      };
    }
  }

  /** SQLite: values are typed per row, not per column. */
  public static final class Sqlite extends Ansi {
    @Override
    public String name() {
      return "sqlite";
    }

    @Override
    public String toText(String expr) {
      return "CAST(" + expr + " AS TEXT)";
    }

    @Override
    public boolean typedColumns() {
      return false;
    }

    /** SQLite has FLOOR only with its math functions compiled in; CAST truncates, which is floor here. */
    @Override
    public String picos(String dollars) {
      return "CAST(" + dollars + " * 1e12 + 0.5 AS INTEGER)";
    }

    /** A column declared DATETIME may hold numbers (epoch seconds) or ISO text. */
    @Override
    public String epochSeconds(String expr, String typeName) {
      return "(CASE WHEN typeof(" + expr + ") IN ('integer', 'real') THEN CAST(" + expr + " AS REAL)"
          + " ELSE (julianday(" + expr + ") - 2440587.5) * 86400.0 END)";
    }
  }

  /** ClickHouse through clickhouse-jdbc (v1 or v2 driver). */
  public static final class ClickHouse extends Ansi {
    private static final char[] HEX = "0123456789ABCDEF".toCharArray();

    @Override
    public String picos(String dollars) {
      return "toInt64(floor(" + dollars + " * 1e12 + 0.5))";
    }

    @Override
    public String name() {
      return "clickhouse";
    }

    @Override
    public String quote(String name) {
      StringBuilder out = new StringBuilder(name.length() + 2).append('`');
      for (int i = 0; i < name.length(); i++) {
        char c = name.charAt(i);
        if (c == '`' || c == '\\') {
          out.append('\\').append(c);
        } else if (c < 0x20 || c == 0x7F) {
          out.append("\\x").append(HEX[c >>> 4]).append(HEX[c & 0xF]);
        } else {
          out.append(c);
        }
      }
      return out.append('`').toString();
    }

    /** Backslash is an escape in ClickHouse string literals, so it is escaped too. */
    @Override
    public String literal(String value) {
      return "'" + value.replace("\\", "\\\\").replace("'", "\\'") + "'";
    }

    @Override
    public String toText(String expr) {
      return "toString(" + expr + ")";
    }

    @Override
    public String epochSeconds(String expr, String typeName) {
      if (typeName != null && typeName.contains("DateTime64")) {
        return "(toUnixTimestamp64Micro(" + expr + ") / 1000000)";
      }
      return "toFloat64(toUInt32(" + expr + "))";
    }

    /**
     * The v1 driver sends the URL's database in a way 18.16 ignores (it then reads {@code
     * default}), so a bare table name is qualified with the connection's database.
     */
    @Override
    public String table(Connection connection, String name) throws SQLException {
      String catalog = connection.getCatalog();
      if (name.contains(".") || catalog == null || catalog.isEmpty()) {
        return super.table(connection, name);
      }
      return quote(catalog) + "." + quote(name);
    }
  }
}
