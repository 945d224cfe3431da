package dev.execflow.testing;

import dev.execflow.spi.Column;
import dev.execflow.spi.LogRow;
import dev.execflow.spi.LogSource;
import dev.execflow.spi.MutableLogRow;
import dev.execflow.spi.SessionQuery;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.StringJoiner;
import java.util.function.Function;

/**
 * {@code unified_logs}-like tables in any SQL database, created and loaded with plain JDBC batches
 * (not through a source under test): every logical column under its windlass name, typed as the
 * database names its types. Uses only {@code java.sql}; the test brings the driver.
 *
 * <pre>{@code
 * try (Connection c = DriverManager.getConnection("jdbc:sqlite:" + file)) {
 *   SqlTables.create(c, "unified_logs", SqlTables.Types.SQLITE);
 *   SqlTables.insert(c, "unified_logs", SqlTables.Types.SQLITE, SqlTables.sampleRows());
 * }
 * }</pre>
 */
public final class SqlTables {
  private SqlTables() {}

  /**
   * Column types of a database.
   *
   * @param text text columns
   * @param int32 the six small integer columns
   * @param int64 the token counts
   * @param float64 cost and duration
   * @param flag {@code is_winner} ({@code BOOLEAN} is written with setBoolean, anything else 0/1)
   * @param timestamp the timestamp (epoch seconds)
   */
  public record Types(String text, String int32, String int64, String float64, String flag, String timestamp) {
    public static final Types DUCKDB = new Types("VARCHAR", "INTEGER", "BIGINT", "DOUBLE", "BOOLEAN", "DOUBLE");
    public static final Types SQLITE = new Types("TEXT", "INTEGER", "INTEGER", "REAL", "INTEGER", "REAL");
  }

  /** Every row of every bundled sample, copied. */
  public static List<LogRow> sampleRows() {
    List<LogRow> rows = new ArrayList<>();
    try (LogSource jsonl = Samples.source()) {
      for (Samples.Sample sample : Samples.all()) {
        jsonl.read(SessionQuery.of(sample.sessionId()), row -> rows.add(new MutableLogRow().copyFrom(row)));
      }
    }
    return rows;
  }

  /** The windlass name of {@code c}. */
  public static String name(Column c) {
    return c.name().toLowerCase(Locale.ROOT);
  }

  /** Creates {@code table} with every logical column, typed by {@code types}. */
  public static void create(Connection c, String table, Types types) throws SQLException {
    create(c, table, types, SqlTables::name);
  }

  /** Creates {@code table} with every logical column named by {@code names}. */
  public static void create(Connection c, String table, Types types, Function<Column, String> names) throws SQLException {
    StringJoiner cols = new StringJoiner(", ", "(", ")");
    for (Column column : Column.values()) {
      cols.add("\"" + names.apply(column) + "\" " + type(column, types));
    }
    try (Statement s = c.createStatement()) {
      s.execute("DROP TABLE IF EXISTS " + table);
      s.execute("CREATE TABLE " + table + " " + cols);
    }
  }

  /** The type of {@code column} in {@code types}. */
  public static String type(Column column, Types types) {
    switch (column) {
      case TIMESTAMP: return types.timestamp();
      case DEPTH: case SOUNDING_INDEX: case WINNING_SOUNDING_INDEX: case REFORGE_STEP:
      case ATTEMPT_NUMBER: case TURN_NUMBER:
        return types.int32();
      case TOKENS_IN: case TOKENS_OUT: return types.int64();
      case IS_WINNER: return types.flag();
      case COST: case DURATION_MS: return types.float64();
      default: return types.text();
    }
  }

  /** Inserts {@code rows} with one batch; flags as booleans or 0/1 as {@code types} say. */
  public static void insert(Connection c, String table, Types types, Iterable<? extends LogRow> rows) throws SQLException {
    StringJoiner marks = new StringJoiner(", ", "(", ")");
    for (int i = 0; i < Column.values().length; i++) {
      marks.add("?");
    }
    boolean autoCommit = c.getAutoCommit();
    c.setAutoCommit(false);
    try (PreparedStatement ps = c.prepareStatement("INSERT INTO " + table + " VALUES " + marks)) {
      int n = 0;
      for (LogRow row : rows) {
        int i = 1;
        for (Column column : Column.values()) {
          set(ps, i++, column, row, types.flag().equals("BOOLEAN"));
        }
        ps.addBatch();
        if (++n % 5000 == 0) {
          ps.executeBatch();
        }
      }
      ps.executeBatch();
      c.commit();
    } finally {
      c.setAutoCommit(autoCommit);
    }
  }

  private static void set(PreparedStatement ps, int i, Column column, LogRow row, boolean booleans)
      throws SQLException {
    switch (column) {
      case TIMESTAMP: dbl(ps, i, row.timestamp()); break;
      case SESSION_ID: str(ps, i, row.sessionId()); break;
      case TRACE_ID: str(ps, i, row.traceId()); break;
      case PARENT_ID: str(ps, i, row.parentId()); break;
      case MESSAGE_ID: str(ps, i, row.messageId()); break;
      case NODE_TYPE: str(ps, i, row.nodeType()); break;
      case ROLE: str(ps, i, row.role()); break;
      case PHASE_NAME: str(ps, i, row.phaseName()); break;
      case CASCADE_ID: str(ps, i, row.cascadeId()); break;
      case MODEL: str(ps, i, row.model()); break;
      case DEPTH: integer(ps, i, row.depth()); break;
      case SOUNDING_INDEX: integer(ps, i, row.soundingIndex()); break;
      case WINNING_SOUNDING_INDEX: integer(ps, i, row.winningSoundingIndex()); break;
      case REFORGE_STEP: integer(ps, i, row.reforgeStep()); break;
      case ATTEMPT_NUMBER: integer(ps, i, row.attemptNumber()); break;
      case TURN_NUMBER: integer(ps, i, row.turnNumber()); break;
      case IS_WINNER:
        if (row.isWinner() == null) {
          ps.setNull(i, booleans ? java.sql.Types.BOOLEAN : java.sql.Types.INTEGER);
        } else if (booleans) {
          ps.setBoolean(i, row.isWinner());
        } else {
          ps.setInt(i, row.isWinner() ? 1 : 0);
        }
        break;
      case COST: dbl(ps, i, row.cost()); break;
      case TOKENS_IN: lng(ps, i, row.tokensIn()); break;
      case TOKENS_OUT: lng(ps, i, row.tokensOut()); break;
      case DURATION_MS: dbl(ps, i, row.durationMs()); break;
      case CONTENT_JSON: str(ps, i, row.contentJson()); break;
      case METADATA_JSON: str(ps, i, row.metadataJson()); break;
      default: throw new IllegalArgumentException(column.toString());
    }
  }

  private static void str(PreparedStatement ps, int i, String v) throws SQLException {
    if (v == null) {
      ps.setNull(i, java.sql.Types.VARCHAR);
    } else {
      ps.setString(i, v);
    }
  }

  private static void dbl(PreparedStatement ps, int i, double v) throws SQLException {
    if (Double.isNaN(v)) {
      ps.setNull(i, java.sql.Types.DOUBLE);
    } else {
      ps.setDouble(i, v);
    }
  }

  private static void integer(PreparedStatement ps, int i, int v) throws SQLException {
    if (v == LogRow.NO_INT) {
      ps.setNull(i, java.sql.Types.INTEGER);
    } else {
      ps.setInt(i, v);
    }
  }

  private static void lng(PreparedStatement ps, int i, long v) throws SQLException {
    if (v == LogRow.NO_LONG) {
      ps.setNull(i, java.sql.Types.BIGINT);
    } else {
      ps.setLong(i, v);
    }
  }

}
