package dev.execflow.source.jdbc.internal;

import dev.execflow.assemble.Pricing;
import dev.execflow.assemble.RowKind;
import dev.execflow.assemble.Vocabulary;
import java.util.EnumSet;
import java.util.Set;

import dev.execflow.source.jdbc.SqlDialect;
import dev.execflow.source.jdbc.internal.SqlColumn.Kind;
import dev.execflow.spi.Column;
import dev.execflow.spi.ColumnMapping;
import dev.execflow.spi.LogSourceException;
import dev.execflow.spi.LogSourceException.Reason;
import java.util.ArrayList;
import java.util.EnumMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.StringJoiner;

/**
 * The SQL {@code JdbcLogSource} sends for one relation (a table, or a table function such as
 * {@code read_parquet(...)}, passed to each query): checked against the relation's real columns
 * once, on connect. Values from a caller (session id, time bounds, filters, cursor) are
 * always {@code ?} parameters; only identifiers, the dialect's expressions and fixed vocabulary
 * constants are SQL text.
 */
public final class QueryPlan {
  /** The logical columns a read delivers besides the timestamp (the session id is the query's). */
  static final Column[] READ = {
      Column.TRACE_ID, Column.PARENT_ID, Column.MESSAGE_ID, Column.NODE_TYPE, Column.ROLE,
      Column.PHASE_NAME, Column.CASCADE_ID, Column.MODEL,
      Column.DEPTH, Column.SOUNDING_INDEX, Column.WINNING_SOUNDING_INDEX, Column.REFORGE_STEP,
      Column.ATTEMPT_NUMBER, Column.TURN_NUMBER, Column.IS_WINNER,
      Column.COST, Column.TOKENS_IN, Column.TOKENS_OUT, Column.DURATION_MS,
      Column.CONTENT_JSON, Column.METADATA_JSON};

  private final SqlDialect dialect;
  private final ColumnMapping mapping;
  private final Map<Column, SqlColumn> columns;
  private final Map<Column, SqlColumn> alternates;
  private final String tsSeconds;

  private QueryPlan(SqlDialect dialect, ColumnMapping mapping, Map<Column, SqlColumn> columns,
      Map<Column, SqlColumn> alternates) {
    this.dialect = dialect;
    this.mapping = mapping;
    this.columns = columns;
    this.alternates = alternates;
    SqlColumn ts = columns.get(Column.TIMESTAMP);
    String quoted = dialect.quote(ts.name());
    this.tsSeconds = ts.kind() == Kind.TEMPORAL ? dialect.epochSeconds(quoted, ts.typeName())
        : ts.numeric() ? quoted
        : ts.kind() == Kind.TEXT || ts.kind() == Kind.JSON ? dialect.textEpochSeconds(quoted, ts.typeName())
        : null;
  }

  /**
   * A plan for {@code mapping} (names already resolved to the relation's spelling) over a relation
   * with {@code layout}.
   *
   * @param description names the relation in messages
   * @throws LogSourceException (SCHEMA) naming every mapped column the relation lacks, and every
   *     column whose type cannot be read as what it stands for
   */
  public static QueryPlan of(SqlDialect dialect, String description, ColumnMapping mapping,
      Map<String, SqlColumn> layout) {
    return of(dialect, description, mapping, null, layout);
  }

  /**
   * As {@link #of(SqlDialect, String, ColumnMapping, Map)}, and where {@code alternate} names
   * another existing column for a logical column, a row whose mapped column is null takes that
   * one's value: a relation holding rows of both schemas (a directory of exports from before and
   * after the rename, read with {@code union_by_name}) has {@code phase_name} on some rows and
   * {@code cell_name} on others, and neither may be lost.
   */
  public static QueryPlan of(SqlDialect dialect, String description, ColumnMapping mapping,
      ColumnMapping alternate, Map<String, SqlColumn> layout) {
    for (Column required : new Column[] {Column.TIMESTAMP, Column.SESSION_ID}) {
      if (mapping.name(required) == null) {
        throw new LogSourceException(Reason.SCHEMA, "the column mapping " + mapping + " has no column for "
            + required.name().toLowerCase(Locale.ROOT) + ", which every read needs");
      }
    }
    List<String> missing = new ArrayList<>();
    List<String> wrongType = new ArrayList<>();
    Map<Column, SqlColumn> columns = new EnumMap<>(Column.class);
    for (Column column : Column.values()) {
      String name = mapping.name(column);
      if (name == null) {
        continue;
      }
      SqlColumn c = layout.get(name);
      if (c == null) {
        missing.add(name + " (" + column.name().toLowerCase(Locale.ROOT) + ")");
        continue;
      }
      if (!RowReader.readable(column, c.kind()) && !(c.kind() == Kind.OTHER && !dialect.typedColumns())) {
        wrongType.add(name + " " + c.typeName());
      }
      columns.put(column, c);
    }
    if (!missing.isEmpty()) {
      throw new LogSourceException(Reason.SCHEMA, description + " has no column " + String.join(", ", missing)
          + " (mapping " + mapping + "); its columns are " + layout.keySet() + ". Map each to its real name"
          + " with ColumnMapping.with(Column, name), or to null if it does not have it, or let the source"
          + " detect the mapping");
    }
    if (!wrongType.isEmpty()) {
      throw new LogSourceException(Reason.SCHEMA, description + ": cannot read column "
          + String.join(", ", wrongType) + " as what it is mapped to");
    }
    Map<Column, SqlColumn> alternates = new EnumMap<>(Column.class);
    if (alternate != null) {
      for (Column column : READ) {
        String name = alternate.name(column);
        SqlColumn c = name == null ? null : layout.get(name);
        if (c != null && columns.containsKey(column) && !columns.get(column).name().equals(c.name())
            && RowReader.readable(column, c.kind())) {
          alternates.put(column, c);
        }
      }
    }
    return new QueryPlan(dialect, mapping, columns, alternates);
  }

  public ColumnMapping mapping() {
    return mapping;
  }

  /** The columns read where the mapped one is null (see {@link #of(SqlDialect, String, ColumnMapping, ColumnMapping, Map)}). */
  public Map<Column, String> alternates() {
    Map<Column, String> names = new EnumMap<>(Column.class);
    alternates.forEach((column, c) -> names.put(column, c.name()));
    return names;
  }

  public SqlDialect dialect() {
    return dialect;
  }

  /** The relation's column behind {@code column}, or null when the mapping leaves it out. */
  public SqlColumn column(Column column) {
    return columns.get(column);
  }

  private String col(Column column) {
    SqlColumn c = columns.get(column);
    return c == null ? null : dialect.quote(c.name());
  }

  /** Whether time bounds can be applied in SQL (else only while reading). */
  public boolean timeInSql() {
    return tsSeconds != null;
  }

  private String sessionMatch() {
    SqlColumn sid = columns.get(Column.SESSION_ID);
    String c = dialect.quote(sid.name());
    // a text column compares as it is (so an index or Parquet statistics apply); others as text
    return (sid.kind() == Kind.TEXT ? c : dialect.toText(c)) + " = ?";
  }

  /**
   * The SELECT of one session's rows in timestamp order. Parameters: the session id, then (when
   * {@code from}/{@code to} and {@link #timeInSql}) the lower and upper bound, each widened by a
   * second: the bounds are applied exactly as rows are read, so that they never depend on how a
   * database rounds a double.
   */
  public String sessionSelect(String relation, boolean from, boolean to) {
    StringJoiner select = new StringJoiner(", ", "SELECT ", "");
    SqlColumn ts = columns.get(Column.TIMESTAMP);
    select.add(ts.kind() == Kind.TEMPORAL && tsSeconds != null ? tsSeconds : dialect.quote(ts.name()));
    for (Column column : READ) {
      String c = col(column);
      if (c != null) {
        select.add(c);
      }
    }
    for (SqlColumn alternate : alternates.values()) {
      select.add(dialect.quote(alternate.name()));
    }
    StringBuilder sql = new StringBuilder(select.toString());
    sql.append(" FROM ").append(relation).append(" WHERE ").append(sessionMatch());
    if (from && timeInSql()) {
      sql.append(" AND ").append(tsSeconds).append(" >= ?");
    }
    if (to && timeInSql()) {
      sql.append(" AND ").append(tsSeconds).append(" < ?");
    }
    sql.append(" ORDER BY ").append(dialect.quote(ts.name()));
    return sql.toString();
  }

  /** The reader of {@link #sessionSelect}'s result. */
  public RowReader reader(String sessionId) {
    boolean typed = dialect.typedColumns();
    SqlColumn ts = columns.get(Column.TIMESTAMP);
    SqlColumn tsRead = ts.kind() == Kind.TEMPORAL && tsSeconds != null
        ? new SqlColumn(ts.name(), "DOUBLE", Kind.FLOAT, false) : ts;
    RowReader.Slot timestamp = new RowReader.Slot(Column.TIMESTAMP, 1, tsRead, typed || tsRead != ts, false);
    List<RowReader.Slot> slots = new ArrayList<>();
    int index = 2;
    for (Column column : READ) {
      SqlColumn c = columns.get(column);
      if (c != null) {
        slots.add(new RowReader.Slot(column, index++, c, typed, false));
      }
    }
    for (Map.Entry<Column, SqlColumn> alternate : alternates.entrySet()) {
      slots.add(new RowReader.Slot(alternate.getKey(), index++, alternate.getValue(), typed, true));
    }
    return new RowReader(timestamp, slots, sessionId);
  }

  /** Why this relation cannot be listed, or null when it can. */
  public String listingProblem() {
    if (tsSeconds == null) {
      SqlColumn ts = columns.get(Column.TIMESTAMP);
      return "listing sessions needs a numeric or date-time timestamp column, and " + ts.name() + " is "
          + ts.typeName() + (ts.kind() == Kind.TEMPORAL ? " (which the " + dialect.name()
          + " dialect cannot convert to seconds)" : "") + "; cast it in a view";
    }
    return null;
  }

  private String text(Column column) {
    String c = col(column);
    if (c == null) {
      return "''";
    }
    SqlColumn sc = columns.get(column);
    return "COALESCE(" + (sc.kind() == Kind.TEXT ? c : dialect.toText(c)) + ", '')";
  }

  private static Set<RowKind> sessionKinds() {
    Set<RowKind> kinds = EnumSet.noneOf(RowKind.class);
    for (RowKind k : RowKind.values()) {
      if (k.scope() == RowKind.Scope.SESSION) {
        kinds.add(k);
      }
    }
    return kinds;
  }

  private String in(String expr, String... values) {
    StringJoiner j = new StringJoiner(", ", expr + " IN (", ")");
    for (String v : values) {
      j.add(dialect.literal(v));
    }
    return j.toString();
  }

  /**
   * One aggregating query for an instances grid, newest first: per session its cascade, first and
   * last timestamp, status (from its latest terminal row; running without one), cost with each
   * LLM call counted once, and row count. At most {@code limit + 1} rows (the extra one says there
   * is a next page). Parameters, in order: the cascade (if {@code cascade}), the status (if {@code
   * status}), and the cursor's first timestamp twice and session id (if {@code after}).
   *
   * <p>An LLM call is a trace id: it costs what its call rows say (the assistant row, or a copy of
   * it), else what its {@code cost_update} row says, counted once; a priced row without a trace id
   * is a call of its own. Portable SQL, two GROUP BYs, no window functions (ClickHouse 18.16 has
   * none). Aliases differ from every column name (ClickHouse resolves aliases first).
   */
  public String listSelect(String relation, boolean cascade, boolean status, boolean after, int limit) {
    String sid = dialect.quote(columns.get(Column.SESSION_ID).name());
    String sidText = columns.get(Column.SESSION_ID).kind() == Kind.TEXT ? sid : dialect.toText(sid);
    String ts = tsSeconds;
    String nodeType = text(Column.NODE_TYPE);
    String role = text(Column.ROLE);
    String trace = col(Column.TRACE_ID);
    String cost = col(Column.COST);
    String cascadeCol = col(Column.CASCADE_ID);
    // The fold's rules (SessionTally writes them for Java): kinds from the vocabulary; a session
    // row or a row without a trace is priced on its own; a call costs what its priced rows say
    // (its call rows first: they come before its cost_update), counted once; whole pico-dollars.
    Vocabulary v = Vocabulary.defaults();
    String isSession = v.sqlCondition(sessionKinds(), nodeType, role, dialect::literal);
    String isUpdate = v.sqlCondition(EnumSet.of(RowKind.COST_UPDATE), nodeType, role, dialect::literal);
    String priced = cost == null ? null
        : "(" + cost + " >= 0 AND " + cost + " <= " + (long) Pricing.MAX_ROW_COST + ")";
    String picos = cost == null ? null : dialect.picos(cost);
    String callCost;
    if (cost == null) {
      callCost = "0";
    } else if (trace == null) {
      callCost = "SUM(CASE WHEN " + priced + " THEN " + picos + " END)";
    } else {
      String traceText = columns.get(Column.TRACE_ID).blankIsNull() ? "NULLIF(" + trace + ", '')" : trace;
      callCost = "CASE WHEN " + traceText + " IS NULL OR ef_c_own > 0 THEN SUM(CASE WHEN " + priced + " THEN " + picos
          + " END) ELSE COALESCE(MAX(CASE WHEN " + priced + " AND NOT (" + isUpdate + ") THEN " + picos
          + " END), MAX(CASE WHEN " + priced + " THEN " + picos + " END)) END";
    }
    String calls = "SELECT " + sidText + " AS ef_c_sid, "
        + (cascadeCol == null ? "" : "MAX(" + text(Column.CASCADE_ID) + ") AS ef_c_cascade, ")
        + "MIN(" + ts + ") AS ef_c_first, MAX(" + ts + ") AS ef_c_last, "
        + "MAX(CASE WHEN " + v.sqlCondition(EnumSet.of(RowKind.SESSION_COMPLETED), nodeType, role, dialect::literal)
        + " THEN " + ts + " END) AS ef_c_done, "
        + "MAX(CASE WHEN " + v.sqlCondition(EnumSet.of(RowKind.SESSION_FAILED), nodeType, role, dialect::literal)
        + " THEN " + ts + " END) AS ef_c_fail, "
        + callCost + " AS ef_c_cost, COUNT(*) AS ef_c_rows"
        + " FROM (SELECT *, CASE WHEN " + isSession + " THEN 1 ELSE 0 END AS ef_c_own FROM " + relation + ") ef_rows"
        + " WHERE " + sid + " IS NOT NULL"
        // session rows are their own calls: grouped apart from the phase rows of their trace
        + " GROUP BY " + sidText + (trace == null ? "" : ", " + trace + ", ef_c_own");
    String sessions = "SELECT ef_c_sid AS ef_sid, "
        + (cascadeCol == null ? "''" : "MAX(ef_c_cascade)") + " AS ef_cascade, "
        + "MIN(ef_c_first) AS ef_first, MAX(ef_c_last) AS ef_last, "
        + "CASE WHEN MAX(ef_c_done) IS NULL AND MAX(ef_c_fail) IS NULL THEN 'running'"
        + " WHEN MAX(ef_c_fail) IS NULL OR MAX(ef_c_done) > MAX(ef_c_fail) THEN 'completed' ELSE 'error' END AS ef_status, "
        + "SUM(ef_c_cost) AS ef_cost, SUM(ef_c_rows) AS ef_rows"
        + " FROM (" + calls + ") ef_calls GROUP BY ef_c_sid";
    StringBuilder sql = new StringBuilder("SELECT ef_sid, ef_cascade, ef_first, ef_last, ef_status, ef_cost, ef_rows FROM (")
        .append(sessions).append(") ef_sessions");
    List<String> where = new ArrayList<>();
    if (cascade) {
      where.add("ef_cascade = ?");
    }
    if (status) {
      where.add("ef_status = ?");
    }
    if (after) {
      where.add("(ef_first < ? OR (ef_first = ? AND ef_sid < ?))");
    }
    if (!where.isEmpty()) {
      sql.append(" WHERE ").append(String.join(" AND ", where));
    }
    sql.append(" ORDER BY ef_first DESC, ef_sid DESC").append(dialect.limit((long) limit + 1));
    return sql.toString();
  }
}
