package dev.execflow.source.clickhouse.internal;

import dev.execflow.assemble.RowKind;
import dev.execflow.spi.Column;
import java.util.ArrayList;
import java.util.EnumSet;
import java.util.List;
import java.util.Set;
import java.util.StringJoiner;

/**
 * The per-row SQL of the pushdown: what kind of row it is to the fold and whether the server may sum
 * it up. Everything is computed over a <em>base</em> subquery ({@link #base}) that reads each
 * value the tests need once per row (the row kind is one CASE there): current servers evaluate the
 * branches of {@code if} and {@code multiIf} lazily, so a kind test repeated inside them would be
 * computed again each time.
 */
final class PushdownRows {
  private static final Set<RowKind> CALLS = EnumSet.of(RowKind.LLM_CALL, RowKind.CONVERSATION, RowKind.TURN);
  private static final String WS = "[ \\\\t\\\\n\\\\r]*";
  private static final Column[] INTS = {Column.DEPTH, Column.SOUNDING_INDEX, Column.WINNING_SOUNDING_INDEX,
      Column.REFORGE_STEP, Column.ATTEMPT_NUMBER, Column.TURN_NUMBER};

  private final SelectPlan p;
  private final String session;
  private final List<Double> structureTimes;
  private final List<Long> duplicates;
  private final List<Long> streamedTraces;

  /**
   * @param structureTimes the distinct times of the structure rows, or null to find them in a subquery
   * @param duplicates hashes of the message ids that more than one row carries (a superset: a hash
   *     collision only streams a row more)
   * @param streamedTraces keys of the traces streamed whole (a row streamed, or rows at equal times),
   *     as the verify query keys them; null while unknown (before the verify query)
   */
  PushdownRows(SelectPlan plan, String session, List<Double> structureTimes, List<Long> duplicates,
      List<Long> streamedTraces) {
    this.p = plan;
    this.structureTimes = structureTimes == null ? null : List.copyOf(structureTimes);
    this.session = session;
    this.duplicates = List.copyOf(duplicates);
    this.streamedTraces = streamedTraces == null ? null : List.copyOf(streamedTraces);
  }

  /** The base values of a row, each {@code expression AS pdb_*} over the table's columns. */
  List<String> baseColumns() {
    List<String> b = new ArrayList<>();
    b.add(p.timestamp() + " AS pdb_ts");
    b.add(p.kindCode() + " AS pdb_kind");
    StringJoiner bad = new StringJoiner(" OR ", "toUInt8(", ")");
    bad.add(p.badBits() + " != 0");
    for (Column c : INTS) {
      bad.add("ifNull(NOT (" + p.value(c) + " > -2147483648 AND " + p.value(c) + " <= 2147483647), 0)");
    }
    b.add(bad + " AS pdb_bad");
    for (Column c : new Column[] {Column.TRACE_ID, Column.PARENT_ID, Column.PHASE_NAME, Column.SOUNDING_INDEX,
        Column.REFORGE_STEP, Column.WINNING_SOUNDING_INDEX, Column.TURN_NUMBER, Column.COST, Column.TOKENS_IN,
        Column.TOKENS_OUT, Column.METADATA_JSON, Column.MODEL, Column.CASCADE_ID, Column.MESSAGE_ID}) {
      b.add(p.value(c) + " AS " + v(c));
    }
    return b;
  }

  /** The base subquery: the session's rows as their base values. */
  String base() {
    return "SELECT " + String.join(", ", baseColumns()) + " FROM " + p.table + " WHERE " + session;
  }

  /** The base value of {@code c}. */
  static String v(Column c) {
    return "pdb_" + WireSchema.wireName(c);
  }

  String ts() {
    return "pdb_ts";
  }

  /** Whether the row's kind is one of {@code kinds}. */
  String kind(Set<RowKind> kinds) {
    StringJoiner in = new StringJoiner(", ", "(pdb_kind IN (", "))");
    for (RowKind k : kinds) {
      in.add(Integer.toString(k.ordinal()));
    }
    return in.toString();
  }

  /** The fold's hot path: a call, turn or conversation row of no sounding, reforge step or winner. */
  String hot() {
    return "(" + kind(CALLS) + " AND isNull(" + v(Column.SOUNDING_INDEX) + ") AND isNull(" + v(Column.REFORGE_STEP)
        + ") AND isNull(" + v(Column.WINNING_SOUNDING_INDEX) + "))";
  }

  String costUpdate() {
    return kind(EnumSet.of(RowKind.COST_UPDATE));
  }

  String sessionKind() {
    return kind(SelectPlan.sessionKinds());
  }

  String startKind() {
    return kind(EnumSet.of(RowKind.PHASE_START, RowKind.PHASE_DECLARED));
  }

  /** Rows the fold places with the state of other rows: everything but calls and cost updates. */
  String structure() {
    return "NOT (" + hot() + " OR " + costUpdate() + ")";
  }

  /**
   * A phase name the fold certainly reads as a name: it holds a visible ASCII character or the
   * first byte of a character Java never counts as white space (Java's {@code isBlank} decides).
   */
  String clearlyNamed() {
    return "ifNull(match(" + v(Column.PHASE_NAME) + ", '[\\\\x21-\\\\x7E\\\\xC2-\\\\xE0\\\\xE4-\\\\xF4]'), 0)";
  }

  /** No phase name, or one of ASCII white space only: the fold reads none. */
  String unnamed() {
    String n = v(Column.PHASE_NAME);
    return "(isNull(" + n + ") OR ifNull(match(" + n + ", '^[\\\\x09-\\\\x0D\\\\x1C-\\\\x20]*$'), 0))";
  }

  /** A turn row's metadata as the fold reads it without doubt: blank, or just the turn and its limit. */
  private String turnMetadataPlain() {
    String m = v(Column.METADATA_JSON);
    String number = "(0|[1-9][0-9]{0,8})";
    return "(isNull(" + m + ") OR ifNull(match(" + m + ", '^[\\\\x09-\\\\x0D\\\\x1C-\\\\x20]*$'), 0)"
        + " OR ifNull(match(" + m + ", '^\\\\{" + WS + "\"turn_number\"" + WS + ":" + WS + number + WS + "(," + WS
        + "\"max_turns\"" + WS + ":" + WS + number + WS + ")?\\\\}$'), 0))";
  }

  String metadataInt(String field) {
    return "toInt64OrNull(extract(ifNull(" + v(Column.METADATA_JSON) + ", ''), '\"" + field + "\"" + WS + ":" + WS
        + "([0-9]+)'))";
  }

  /** Values the fold reads with a warning, or that the decoder reports: such rows are streamed. */
  private String dirty() {
    StringJoiner d = new StringJoiner(" OR ", "(", ")");
    d.add("isNaN(pdb_ts)");
    d.add("pdb_bad != 0");
    String cost = v(Column.COST);
    d.add("ifNull(NOT isNaN(" + cost + ") AND NOT (" + cost + " >= 0 AND " + cost + " <= 1000000), 0)");
    for (Column c : new Column[] {Column.TOKENS_IN, Column.TOKENS_OUT}) {
      d.add("ifNull(NOT (" + v(c) + " >= 0 AND " + v(c) + " <= 1000000000000), 0)");
    }
    d.add("NOT (" + clearlyNamed() + " OR " + unnamed() + ")");
    d.add("(" + costUpdate() + " AND isNull(" + v(Column.TRACE_ID) + "))");
    d.add("(" + kind(EnumSet.of(RowKind.TURN)) + " AND NOT " + turnMetadataPlain() + ")");
    if (p.col(Column.MESSAGE_ID) != null && !duplicates.isEmpty()) {
      // rows sharing a message id are duplicates at one time, whatever their traces: the fold drops
      // them. The ids were found once (Pushdown); a set literal here, not a subquery, so that no query
      // reads the session again for them (and again inside every subquery that tests this)
      d.add(inLiteral("cityHash64(" + v(Column.MESSAGE_ID) + ")", duplicates));
    }
    return d.toString();
  }

  /** A row the fold must read itself: a structure row, a dirty one, or one at a structure row's time. */
  String rowStreamed() {
    String atStructureTime;
    if (structureTimes == null) {
      atStructureTime = "ifNull(pdb_ts GLOBAL IN (SELECT pdb_ts FROM (" + base() + ") WHERE " + structure() + "), 0)";
    } else if (structureTimes.isEmpty()) {
      atStructureTime = "0";
    } else {
      // finite doubles: Java's shortest decimal reads back (strtod) as the same double
      StringJoiner times = new StringJoiner(", ");
      for (double t : structureTimes) {
        times.add(Double.toString(t));
      }
      atStructureTime = "ifNull(pdb_ts IN (SELECT toFloat64(arrayJoin([" + times + "]))), 0)";
    }
    return "(" + structure() + " OR " + dirty() + " OR " + atStructureTime + ")";
  }

  /**
   * How many distinct times the structure rows have (NaN left out: such rows stream anyway), and
   * those times as an array when there are at most {@code most} (else an empty one).
   */
  String structureTimesValues(int most) {
    String c = structure() + " AND NOT isNaN(pdb_ts)";
    return "toUInt64(uniqExactIf(pdb_ts, " + c + ")), if(uniqExactIf(pdb_ts, " + c + ") <= " + most
        + ", groupUniqArrayIf(pdb_ts, " + c + "), emptyArrayFloat64())";
  }

  /**
   * Rows of a trace with a streamed row (or with ties) are streamed too: a trace is summed whole or
   * not at all. The verify query lists those traces (by its record key: the trace's hash with the
   * lowest bit cleared), so the later queries test a set literal instead of reading the session
   * again in a subquery (which nested the row tests' own subqueries: 6 reads of the session per query).
   */
  String traceStreamed() {
    if (streamedTraces == null) {
      throw new IllegalStateException("the streamed traces are known after the verify query");
    }
    String key = "bitAnd(cityHash64(" + v(Column.TRACE_ID) + "), bitNot(toUInt64(1)))";
    return inLiteral(key, streamedTraces);
  }

  /**
   * Whether the UInt64 {@code expression} (null: false) is one of {@code values}: an array literal
   * (one literal to the parser however long) turned into the set of an {@code IN}.
   */
  static String inLiteral(String expression, List<Long> values) {
    if (values.isEmpty()) {
      return "0";
    }
    return "ifNull(" + expression + " IN (SELECT toUInt64(arrayJoin([" + join(values) + "]))), 0)";
  }

  /** Every row of the session the fold reads itself (over the base values). */
  String streamed() {
    return "(" + rowStreamed() + " OR " + traceStreamed() + ")";
  }

  private static String join(List<Long> values) {
    StringJoiner out = new StringJoiner(", ");
    for (long v : values) {
      out.add(Long.toUnsignedString(v));
    }
    return out.toString();
  }

  /** Pricing.picos exactly: Math.round of dollars times 1e12, ties up (x - floor(x) is exact in doubles). */
  String picos() {
    String x = "(ifNull(" + v(Column.COST) + ", 0) * 1e12)";
    return "(toInt64(floor(" + x + ")) + toInt64(" + x + " - floor(" + x + ") >= 0.5))";
  }

  String hasCost() {
    String c = v(Column.COST);
    return "ifNull(NOT isNaN(" + c + ") AND " + c + " >= 0 AND " + c + " <= 1000000, 0)";
  }

  String hasTokens() {
    return "(isNotNull(" + v(Column.TOKENS_IN) + ") OR isNotNull(" + v(Column.TOKENS_OUT) + "))";
  }

  /** The turn count a row gives its phase (-1: none): CallRows' rules for calls and turn rows. */
  String turnValue() {
    String tn = v(Column.TURN_NUMBER);
    return "toInt64(ifNull(multiIf(" + kind(EnumSet.of(RowKind.LLM_CALL)) + ", if(ifNull(" + tn + " >= 0, 0), " + tn
        + " + 1, 1), " + kind(EnumSet.of(RowKind.TURN)) + ", ifNull(" + metadataInt("turn_number") + ", ifNull(" + tn
        + " + 1, -1)), -1), -1))";
  }

  String maxTurns() {
    return "toInt64(if(" + kind(EnumSet.of(RowKind.TURN)) + ", ifNull(" + metadataInt("max_turns") + ", -1), -1))";
  }

  /** The model a call names ('' for other rows). */
  String model() {
    return "if(" + kind(EnumSet.of(RowKind.LLM_CALL)) + ", ifNull(" + v(Column.MODEL) + ", ''), '')";
  }

  String cascade() {
    return "ifNull(" + v(Column.CASCADE_ID) + ", '')";
  }
}
