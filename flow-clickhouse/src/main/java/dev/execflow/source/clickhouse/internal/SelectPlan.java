package dev.execflow.source.clickhouse.internal;

import static dev.execflow.source.clickhouse.internal.WireSchema.READ;
import static dev.execflow.source.clickhouse.internal.WireSchema.wire;
import static dev.execflow.source.clickhouse.internal.WireSchema.wireName;
import static dev.execflow.source.clickhouse.internal.WireSchema.wireType;

import dev.execflow.source.clickhouse.internal.ColumnType.Family;
import dev.execflow.source.clickhouse.internal.WireSchema.Wire;
import dev.execflow.assemble.RowKind;
import dev.execflow.assemble.Vocabulary;
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
import java.util.Set;
import java.util.TreeSet;
import java.util.EnumSet;
import java.util.Objects;

/**
 * The SQL execflow sends for one table layout. Every needed column is cast in the SELECT to one
 * fixed wire type per logical column ({@link WireSchema}), so one reader schema serves every layout and
 * server version: a Float64 or DateTime64 timestamp both arrive as Float64 seconds, a UUID or
 * LowCardinality id as Nullable(String), an integer stored as Float64 or String as Nullable(Int64).
 * Values that cannot be converted (a String column holding "abc" where a number belongs) set the
 * {@code bad} wire column so the row is reported as a warning rather than silently read as null.
 */
public final class SelectPlan {
  /**
   * Prefix of every alias in the generated SQL: an alias equal to a table column would shadow it
   * in the other expressions (ClickHouse resolves aliases first), which can form a cycle.
   */
  static final String ALIAS = "ef_";

  /*
   * Content is most of a log's bytes (whole LLM answers, tool output) and the fold reads it for a
   * handful of row kinds only (RowKind.readsContent: a sounding's output, a sub-cascade link, error
   * messages; RowKind.namedByContent when the row names no phase), so it crosses the wire only for
   * those rows, cut server-side to a bound. The kinds are compiled from the source's Vocabulary.
   */

  final String table;
  private final ColumnMapping mapping;
  final Map<Column, ColumnType> types;
  private final int contentLimit;
  private final boolean contentForEveryRow;
  private final Vocabulary vocabulary;

  private SelectPlan(String table, ColumnMapping mapping, Map<Column, ColumnType> types, int contentLimit,
      boolean contentForEveryRow, Vocabulary vocabulary) {
    this.vocabulary = vocabulary;
    this.table = table;
    this.mapping = mapping;
    this.types = types;
    this.contentLimit = contentLimit;
    this.contentForEveryRow = contentForEveryRow;
  }

  /**
   * A plan for {@code mapping} over a table with {@code layout} (column name to type, from
   * DESCRIBE TABLE).
   *
   * @throws LogSourceException (SCHEMA) naming every mapped column the table lacks, and any column
   *     whose type cannot be read as what it stands for
   */
  public static SelectPlan of(String database, String table, ColumnMapping mapping,
      Map<String, ColumnType> layout, int contentLimit, boolean contentForEveryRow, Vocabulary vocabulary) {
    String qualified = database + "." + table;
    List<String> missing = new ArrayList<>();
    List<String> wrongType = new ArrayList<>();
    Map<Column, ColumnType> types = new EnumMap<>(Column.class);
    for (Column column : Column.values()) {
      String name = mapping.name(column);
      if (name == null) {
        continue;
      }
      ColumnType type = layout.get(name);
      if (type == null) {
        missing.add(name + " (" + column.name().toLowerCase(Locale.ROOT) + ")");
        continue;
      }
      if (!readable(column, type)) {
        wrongType.add(name + " " + type.text());
      }
      types.put(column, type);
    }
    for (Column required : new Column[] {Column.TIMESTAMP, Column.SESSION_ID}) {
      if (mapping.name(required) == null) {
        throw new LogSourceException(Reason.SCHEMA, "the column mapping " + mapping
            + " has no column for " + required.name().toLowerCase(Locale.ROOT) + ", which every read needs");
      }
    }
    if (!missing.isEmpty()) {
      throw new LogSourceException(Reason.SCHEMA, "table " + qualified + " has no column "
          + String.join(", ", missing) + " (mapping " + mapping + "); its columns are "
          + layout.keySet() + ". Map each to its real name with ColumnMapping.with(Column, name),"
          + " or to null if the table does not have it, or let the source detect the mapping");
    }
    if (!wrongType.isEmpty()) {
      throw new LogSourceException(Reason.SCHEMA, "table " + qualified + ": cannot read column "
          + String.join(", ", wrongType) + " as what it is mapped to");
    }
    return new SelectPlan(Sql.table(database, table), mapping, types, contentLimit, contentForEveryRow,
        Objects.requireNonNull(vocabulary, "vocabulary"));
  }

  private static boolean readable(Column column, ColumnType type) {
    Family f = type.family();
    if (column == Column.TIMESTAMP) {
      return f == Family.INTEGER || f == Family.FLOAT || f == Family.STRING
          || f == Family.DATETIME || f == Family.DATETIME64;
    }
    if (wire(column) == Wire.STRING) {
      return true;
    }
    return f == Family.INTEGER || f == Family.FLOAT || f == Family.BOOL || f == Family.STRING;
  }

  public ColumnMapping mapping() {
    return mapping;
  }

  /** The physical column of {@code column}, quoted; null when the mapping leaves it out. */
  String col(Column column) {
    String name = mapping.name(column);
    return name == null ? null : Sql.identifier(name);
  }

  /** {@code column} as its wire type (NULL of that type when the table lacks it). */
  String value(Column column) {
    String c = col(column);
    Wire wire = wire(column);
    if (c == null) {
      return "CAST(NULL AS " + wireType(wire) + ")";
    }
    ColumnType type = types.get(column);
    if (type.text().equals(wireType(wire))) {
      // already the wire type: a CAST would only cost ClickHouse 18.16 time to analyse the query
      return c;
    }
    Family f = type.family();
    switch (wire) {
      case STRING:
        String text = type.plainString() ? c : "toString(" + c + ")";
        // a non-Nullable String column stores '' for "no value"; deliver that as null
        return type.nullable() ? "CAST(" + text + " AS Nullable(String))" : "nullIf(" + text + ", '')";
      case INT:
        if (f == Family.STRING) {
          return "ifNull(toInt64OrNull(" + c + "), CAST(toFloat64OrNull(" + c + ") AS Nullable(Int64)))";
        }
        return "CAST(" + c + " AS Nullable(Int64))";
      case FLAG:
        if (f == Family.STRING) {
          return "multiIf(lower(" + c + ") IN ('1', 'true'), toNullable(toInt64(1)), lower(" + c
              + ") IN ('0', 'false'), toNullable(toInt64(0)), CAST(NULL AS Nullable(Int64)))";
        }
        return "CAST(" + c + " AS Nullable(Int64))";
      default:
        return f == Family.STRING ? "toFloat64OrNull(" + c + ")" : "CAST(" + c + " AS Nullable(Float64))";
    }
  }

  /** 1 when {@code column} holds a value that its wire type cannot carry; null when it never can. */
  String badValue(Column column) {
    String c = col(column);
    if (c == null) {
      return null;
    }
    Family f = types.get(column).family();
    Wire wire = wire(column);
    if (wire == Wire.STRING) {
      return null;
    }
    if (f == Family.STRING) {
      String present = "ifNull(" + c + " != '', 0)";
      switch (wire) {
        case FLAG:
          return present + " AND NOT ifNull(lower(" + c + ") IN ('1', 'true', '0', 'false'), 0)";
        case INT:
          return present + " AND ifNull(NOT (toFloat64OrNull(" + c + ") = round(toFloat64OrNull(" + c
              + "))), 1)";
        default:
          return present + " AND isNull(toFloat64OrNull(" + c + "))";
      }
    }
    if (f == Family.FLOAT && (wire == Wire.INT || wire == Wire.FLAG)) {
      String d = "toFloat64(" + c + ")";
      return "ifNull(NOT (isFinite(" + d + ") AND " + d + " = round(" + d + ")), 0)";
    }
    return null;
  }

  /** The timestamp as Float64 epoch seconds (NaN when null). */
  String timestamp() {
    String c = col(Column.TIMESTAMP);
    ColumnType type = types.get(Column.TIMESTAMP);
    String seconds;
    switch (type.family()) {
      case DATETIME:
        seconds = "toFloat64(toUInt32(" + c + "))";
        break;
      case DATETIME64:
        // exact to the microsecond: Int64 micros divided once, correctly rounded
        seconds = "(toUnixTimestamp64Micro(" + c + ") / 1000000)";
        break;
      case STRING:
        seconds = "toFloat64OrNull(" + c + ")";
        break;
      default:
        seconds = "toFloat64(" + c + ")";
    }
    return type.nullable() || type.family() == Family.STRING ? "ifNull(" + seconds + ", nan)" : seconds;
  }

  /** The condition selecting one session's rows (the id a bound parameter where the server takes them). */
  public String sessionCondition(Parameters params, String sessionId) {
    return sessionMatch(params, sessionId);
  }

  String sessionMatch(Parameters params, String sessionId) {
    ColumnType type = types.get(Column.SESSION_ID);
    String c = col(Column.SESSION_ID);
    String expr = type.plainString() ? c : "toString(" + c + ")";
    return expr + " = " + params.string("session_id", sessionId);
  }

  /** The tie-break of {@code dev.execflow.spi.RowOrder}, in its order. */
  static final Column[] TIE_BREAK = {
      Column.MESSAGE_ID, Column.TRACE_ID, Column.PARENT_ID, Column.NODE_TYPE, Column.ROLE,
      Column.PHASE_NAME, Column.SOUNDING_INDEX, Column.REFORGE_STEP, Column.ATTEMPT_NUMBER,
      Column.TURN_NUMBER};

  /**
   * Rows with equal timestamps in the canonical order (dev.execflow.spi.RowOrder): by the values
   * delivered (so '' read as null sorts as null), nulls last, strings bytewise, as RowOrder does.
   */
  void appendTieBreak(StringBuilder sql) {
    for (Column key : TIE_BREAK) {
      sql.append(", ").append(ALIAS).append(wireName(key));
    }
  }

  /**
   * Whether a row's content may be needed (see the comment on the fields): true for every row the
   * fold reads content of, and for the odd row whose kind a rule of higher rank decides otherwise
   * (its content is sent and ignored). Not the exact {@link #isKind} CASE: ClickHouse 18.16 spends
   * ~0.13 ms analysing each {@code IN} list of a query, and the exact CASEs' 16 lists made 4 of
   * the ~7 ms a follow tick's query costs it; these conditions have 5.
   */
  private String needsContent() {
    String unnamed = "ifNull(" + value(Column.PHASE_NAME) + " = '', 1)";
    return "(" + mayBeKind(RowKind.readsContent()) + " OR (" + unnamed + " AND "
        + mayBeKind(RowKind.namedByContent()) + "))";
  }

  /**
   * True at least for the rows whose kind is one of {@code kinds}: the role, node type or
   * structure node type of every rule that gives one of them, whatever the rules' order.
   */
  private String mayBeKind(Set<RowKind> kinds) {
    if (kinds.contains(RowKind.CONVERSATION) || kinds.contains(RowKind.UNKNOWN)) {
      return isKind(kinds); // decided by the absence of every other rule: only the CASE says it
    }
    String role = value(Column.ROLE);
    String nodeType = value(Column.NODE_TYPE);
    Set<String> roles = keysOf(vocabulary.roleRules(), kinds);
    roles.addAll(keysOf(vocabulary.fallbackRoleRules(), kinds));
    List<String> terms = new ArrayList<>();
    inList(terms, role, roles);
    inList(terms, nodeType, keysOf(vocabulary.nodeTypeRules(), kinds));
    List<String> structure = new ArrayList<>();
    inList(structure, nodeType, keysOf(vocabulary.structureRules(), kinds));
    for (String in : structure) {
      terms.add("(" + role + " = " + Sql.literal(Vocabulary.STRUCTURE) + " AND " + in + ")");
    }
    return terms.isEmpty() ? "0" : "ifNull(" + String.join(" OR ", terms) + ", 0)";
  }

  private static Set<String> keysOf(Map<String, RowKind> rules, Set<RowKind> kinds) {
    Set<String> keys = new TreeSet<>();
    rules.forEach((key, kind) -> {
      if (kinds.contains(kind)) {
        keys.add(key);
      }
    });
    return keys;
  }

  private static void inList(List<String> terms, String expr, Set<String> values) {
    if (!values.isEmpty()) {
      StringJoiner list = new StringJoiner(", ", expr + " IN (", ")");
      values.forEach(v -> list.add(Sql.literal(v)));
      terms.add(list.toString());
    }
  }

  static Set<RowKind> sessionKinds() {
    Set<RowKind> kinds = EnumSet.noneOf(RowKind.class);
    for (RowKind k : RowKind.values()) {
      if (k.scope() == RowKind.Scope.SESSION) {
        kinds.add(k);
      }
    }
    return kinds;
  }

  /**
   * True for rows whose kind the vocabulary says is one of {@code kinds}. Not Nullable: 18.16 makes
   * a CASE over Nullable columns Nullable, which would change the wire types of the listing.
   */
  /**
   * The row's kind as its {@link RowKind#ordinal()} (see {@link Vocabulary#sqlKind}), each rule a
   * {@code transform}: a hash lookup per rule, where a CASE over IN lists tests every list.
   */
  String kindCode() {
    return kindSql(vocabulary, value(Column.NODE_TYPE), value(Column.ROLE));
  }

  /** {@link Vocabulary#sqlKind} over these SQL expressions, in this dialect (UInt8, never NULL). */
  public static String kindSql(Vocabulary vocabulary, String nodeType, String role) {
    return "toUInt8(ifNull(" + vocabulary.sqlKind(nodeType, role, Sql::literal, SelectPlan::transformLookup) + ", "
        + RowKind.UNKNOWN.ordinal() + "))";
  }

  private static String transformLookup(String value, Map<String, Integer> words) {
    if (words.isEmpty()) {
      return "toInt16(-1)";
    }
    StringJoiner keys = new StringJoiner(", ", "[", "]");
    StringJoiner values = new StringJoiner(", ", "[", "]");
    words.forEach((w, n) -> {
      keys.add(Sql.literal(w));
      values.add(Integer.toString(n));
    });
    // '\0' stands for NULL: no vocabulary word is a NUL
    return "transform(ifNull(" + value + ", '\\0'), " + keys + ", " + values + ", -1)";
  }

  /**
   * True for rows whose kind the vocabulary says is one of {@code kinds}. Not Nullable: 18.16 makes
   * a CASE over Nullable columns Nullable, which would change the wire types of the listing.
   */
  String isKind(Set<RowKind> kinds) {
    return "ifNull(" + vocabulary.sqlCondition(kinds, value(Column.NODE_TYPE), value(Column.ROLE), Sql::literal)
        + ", 0)";
  }

  /**
   * The SELECT of one session's rows in timestamp order, without a FORMAT clause. A time range is
   * widened by a second on each side here and applied exactly by the reader (so that the
   * half-open bounds never depend on how a server rounds a float literal).
   */
  public String sessionSelect(Parameters params, String sessionId, double from, double to) {
    return sessionSelect(params, sessionId, from, to, null, 0);
  }

  /**
   * The session read with every row's content cut at {@code contentLimit} code points ({@code
   * SessionQuery.withContent}), or ({@code 0}) content as the fold needs it.
   */
  public String sessionSelect(Parameters params, String sessionId, double from, double to, int contentLimit) {
    return sessionSelect(params, sessionId, from, to, null, contentLimit);
  }

  /**
   * {@link #sessionSelect} (the same wire, the same order) of the rows for which {@code condition}
   * holds, a condition over the {@code extra} values ({@code expression AS name}) computed per row
   * next to the wire columns.
   */
  public String filteredSessionSelect(Parameters params, String sessionId, List<String> extra, String condition) {
    StringJoiner wire = new StringJoiner(", ");
    wire.add(ALIAS + "ts").add(ALIAS + "bad");
    for (Column column : READ) {
      wire.add(ALIAS + wireName(column));
    }
    StringBuilder sql = new StringBuilder("SELECT ").append(wire).append("\nFROM (")
        .append(selectList(false, 0).stripTrailing()).append(",\n  ").append(String.join(",\n  ", extra))
        // the condition in the inner WHERE (it may name the extra values): the wire values, content
        // among them, are computed for the rows it keeps only
        .append("\nFROM ").append(table).append("\nWHERE ").append(sessionMatch(params, sessionId))
        .append(" AND (").append(condition).append("))\nORDER BY ").append(ALIAS).append("ts");
    appendTieBreak(sql);
    return sql.toString();
  }

  /** {@link #sessionSelect} of the rows for which {@code condition} (SQL over the table's columns) holds. */
  public String sessionSelect(Parameters params, String sessionId, double from, double to, String condition) {
    return sessionSelect(params, sessionId, from, to, condition, 0);
  }

  private String sessionSelect(Parameters params, String sessionId, double from, double to, String condition,
      int contentLimit) {
    StringBuilder sql = new StringBuilder(selectList(false, contentLimit));
    sql.append("FROM ").append(table).append("\nWHERE ").append(sessionMatch(params, sessionId));
    appendRange(sql, from, to);
    if (condition != null) {
      sql.append("\n  AND (").append(condition).append(")");
    }
    // the physical column where it sorts like the time (lets a server read in key order)
    boolean sortsAsTime = types.get(Column.TIMESTAMP).family() != Family.STRING;
    sql.append("\nORDER BY ").append(sortsAsTime ? col(Column.TIMESTAMP) : ALIAS + "ts");
    appendTieBreak(sql);
    return sql.toString();
  }

  /**
   * The SELECT of several sessions' rows at once (a follower's tails), each session's in
   * timestamp order, its id first on the wire ({@link WireSchema#WIRE_WITH_SESSION}): {@code session_id IN
   * (...)} for the key's first column, and per session its own time range, so that a table
   * ordered by {@code (session_id, timestamp)} is read only in the ranges asked for.
   *
   * @param froms per session the start of its range (NaN: the whole session), as {@code ids}
   */
  public String sessionsSelect(Parameters params, List<String> ids, double[] froms, double[] tos) {
    if (ids.isEmpty()) {
      throw new IllegalArgumentException("no sessions");
    }
    StringBuilder sql = new StringBuilder(selectList(true, 0));
    StringJoiner in = new StringJoiner(", ", sessionExpr() + " IN (", ")");
    StringJoiner ranges = new StringJoiner("\n    OR ", "(", ")");
    for (int i = 0; i < ids.size(); i++) {
      String p = params.string("session_id_" + i, ids.get(i));
      in.add(p);
      StringBuilder one = new StringBuilder("(").append(sessionExpr()).append(" = ").append(p);
      appendRange(one, froms[i], tos[i]);
      ranges.add(one.append(")"));
    }
    sql.append("FROM ").append(table).append("\nWHERE ").append(in).append("\n  AND ").append(ranges);
    boolean sortsAsTime = types.get(Column.TIMESTAMP).family() != Family.STRING;
    sql.append("\nORDER BY ").append(ALIAS).append("sid, ").append(sortsAsTime ? col(Column.TIMESTAMP) : ALIAS + "ts");
    appendTieBreak(sql);
    return sql.toString();
  }

  /** A time range, widened by a second on each side (the reader applies it exactly). */
  void appendRange(StringBuilder sql, double from, double to) {
    if (!Double.isNaN(from)) {
      sql.append("\n  AND ").append(timestamp()).append(" >= ").append(Sql.float64(from - 1));
    }
    if (!Double.isNaN(to)) {
      sql.append("\n  AND ").append(timestamp()).append(" < ").append(Sql.float64(to + 1));
    }
  }

  String sessionExpr() {
    ColumnType type = types.get(Column.SESSION_ID);
    String c = col(Column.SESSION_ID);
    return type.plainString() ? c : "toString(" + c + ")";
  }

  /**
   * Bit i set: {@code READ[i]} holds a value its wire type cannot carry (the row is reported, not
   * read).
   */
  String badBits() {
    List<String> bad = new ArrayList<>();
    for (int i = 0; i < READ.length; i++) {
      String b = badValue(READ[i]);
      if (b != null) {
        bad.add("toUInt32(" + b + ") * " + (1 << i));
      }
    }
    return bad.isEmpty() ? "toUInt32(0)" : "toUInt32(" + String.join(" + ", bad) + ")";
  }

  /** The wire columns of a session read, with the session id first when {@code withSession}. */
  private String selectList(boolean withSession, int wantedContent) {
    int cutAt = wantedContent > 0 ? wantedContent : contentLimit;
    boolean everyRow = wantedContent > 0 || contentForEveryRow;
    StringJoiner select = new StringJoiner(",\n  ", "SELECT\n  ", "\n");
    if (withSession) {
      select.add(sessionExpr() + " AS " + ALIAS + "sid");
    }
    select.add(timestamp() + " AS " + ALIAS + "ts");
    select.add(badBits() + " AS " + ALIAS + "bad");
    for (Column column : READ) {
      String expr;
      if (column == Column.CONTENT_JSON) {
        String cut = "substringUTF8(" + value(column) + ", 1, " + cutAt + ")";
        expr = mapping.name(column) == null ? value(column)
            : everyRow ? cut
            : "if(" + needsContent() + ", " + cut + ", CAST(NULL AS Nullable(String)))";
      } else {
        expr = value(column);
      }
      select.add(expr + " AS " + ALIAS + wireName(column));
    }
    return select.toString();
  }
}
