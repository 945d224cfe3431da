package dev.execflow.source.clickhouse.internal;

import com.clickhouse.client.api.metadata.TableSchema;
import com.clickhouse.data.ClickHouseColumn;
import dev.execflow.assemble.RowKind;
import dev.execflow.spi.Column;
import java.util.EnumSet;
import java.util.List;
import java.util.Set;
import java.util.StringJoiner;

/**
 * The SQL of the pushdown strategy (see {@code dev.execflow.source.clickhouse.Pushdown}): which rows
 * the server may sum up ("aggregated": calls, turns and conversation rows of no sounding or reforge
 * step, and cost updates, with values the fold reads without a warning, at a timestamp no streamed
 * row has, of traces none of whose rows is streamed), what they add per phase, and the check that
 * each phase-less row's phase through its parent is the phase the server assumed for it.
 *
 * <p>A <em>label</em> is a trace's or row's place as one UInt64: the top two bits its rank as the
 * fold ranks placements ({@link #SESSION_RANK} a session row's trace, {@link #PENDING_RANK} not
 * placed, {@link #INFERRED_RANK} placed through its parent or the running phase, {@link #NAMED_RANK}
 * named by its phase name), the rest a hash of the phase name.
 */
public final class PushdownSql {
  static final int SESSION_RANK = 0;
  static final int PENDING_RANK = 1;
  static final int INFERRED_RANK = 2;
  static final int NAMED_RANK = 3;
  static final long HASH_BITS = (1L << 62) - 1;
  static final long SESSION_RL = 0L;
  static final long PENDING_RL = 1L << 62;
  /** A row whose place the server cannot tell (a phase name that may be blank, say). */
  static final long UNKNOWN_RL = (1L << 62) | 1;
  /** Most rows one trace may have: within-trace ties are counted with {@code uniq}, exact below 65,536. */
  static final int MAX_TRACE_ROWS = 50_000;

  private static final Set<RowKind> CALLS = EnumSet.of(RowKind.LLM_CALL, RowKind.CONVERSATION, RowKind.TURN);
  private static final String WS = "[ \\\\t\\\\n\\\\r]*";

  private final SelectPlan p;
  private final String session;
  private final PhaseBoundaries running;
  private final List<Long> tieTraces;

  /**
   * @param session the session match (a bound parameter or literal, from {@link SelectPlan#sessionMatch})
   * @param running the phase starts the fold read from the session's start rows
   * @param tieTraces hashes of traces found to have rows at equal timestamps: streamed whole
   */
  public PushdownSql(SelectPlan plan, String session, PhaseBoundaries running, List<Long> tieTraces) {
    this.p = plan;
    this.session = session;
    this.running = running;
    this.tieTraces = List.copyOf(tieTraces);
  }

  /** A copy that streams these traces whole as well. */
  public PushdownSql withTieTraces(List<Long> ties) {
    return new PushdownSql(p, session, running, ties);
  }

  /** The label of a phase named by the SQL string expression {@code name}. */
  static String named(String name) {
    return "bitOr(toUInt64(" + Long.toUnsignedString((long) NAMED_RANK << 62) + "), bitAnd(cityHash64(" + name
        + "), toUInt64(" + HASH_BITS + ")))";
  }

  /** The label of a row placed in the phase named by {@code name} through its parent or as running. */
  static String inferred(String name) {
    return "bitOr(toUInt64(" + Long.toUnsignedString((long) INFERRED_RANK << 62) + "), bitAnd(cityHash64(" + name
        + "), toUInt64(" + HASH_BITS + ")))";
  }

  // ---------------------------------------------------------------- per-row expressions

  private String ts() {
    return p.timestamp();
  }

  private String trace() {
    return p.value(Column.TRACE_ID);
  }

  private String parent() {
    return p.value(Column.PARENT_ID);
  }

  private String phase() {
    return p.value(Column.PHASE_NAME);
  }

  /** The fold's hot path: a call, turn or conversation row of no sounding, reforge step or winner. */
  private String hot() {
    return "(" + p.isKind(CALLS) + " AND isNull(" + p.value(Column.SOUNDING_INDEX) + ") AND isNull("
        + p.value(Column.REFORGE_STEP) + ") AND isNull(" + p.value(Column.WINNING_SOUNDING_INDEX) + "))";
  }

  private String costUpdate() {
    return p.isKind(EnumSet.of(RowKind.COST_UPDATE));
  }

  private String sessionKind() {
    return p.isKind(SelectPlan.sessionKinds());
  }

  private String startKind() {
    return p.isKind(EnumSet.of(RowKind.PHASE_START, RowKind.PHASE_DECLARED));
  }

  /** Rows the fold places with the state of other rows: everything but calls and cost updates. */
  private String structure() {
    return "NOT (" + hot() + " OR " + costUpdate() + ")";
  }

  /**
   * A phase name the fold certainly reads as a name: it holds a visible ASCII character or the
   * first byte of a character Java never counts as white space (Java's {@code isBlank} decides).
   */
  private String clearlyNamed() {
    return "ifNull(match(" + phase() + ", '[\\\\x21-\\\\x7E\\\\xC2-\\\\xE0\\\\xE4-\\\\xF4]'), 0)";
  }

  /** No phase name, or one of ASCII white space only: the fold reads none. */
  private String unnamed() {
    return "(isNull(" + phase() + ") OR ifNull(match(" + phase() + ", '^[\\\\x09-\\\\x0D\\\\x1C-\\\\x20]*$'), 0))";
  }

  private String metadata() {
    return p.value(Column.METADATA_JSON);
  }

  /** A turn row's metadata as the fold reads it without doubt: blank, or just the turn and its limit. */
  private String turnMetadataPlain() {
    String m = metadata();
    String number = "(0|[1-9][0-9]{0,8})";
    return "(isNull(" + m + ") OR ifNull(match(" + m + ", '^[\\\\x09-\\\\x0D\\\\x1C-\\\\x20]*$'), 0)"
        + " OR ifNull(match(" + m + ", '^\\\\{" + WS + "\"turn_number\"" + WS + ":" + WS + number + WS + "(," + WS
        + "\"max_turns\"" + WS + ":" + WS + number + WS + ")?\\\\}$'), 0))";
  }

  private String metadataInt(String field) {
    return "toInt64OrNull(extract(ifNull(" + metadata() + ", ''), '\"" + field + "\"" + WS + ":" + WS + "([0-9]+)'))";
  }

  /** Values the fold reads with a warning, or that the decoder reports: such rows are streamed. */
  private String dirty() {
    StringJoiner d = new StringJoiner(" OR ", "(", ")");
    d.add("isNaN(" + ts() + ")");
    d.add(p.badBits() + " != 0");
    for (Column c : new Column[] {Column.DEPTH, Column.SOUNDING_INDEX, Column.WINNING_SOUNDING_INDEX,
        Column.REFORGE_STEP, Column.ATTEMPT_NUMBER, Column.TURN_NUMBER}) {
      d.add("ifNull(NOT (" + p.value(c) + " > -2147483648 AND " + p.value(c) + " <= 2147483647), 0)");
    }
    String cost = p.value(Column.COST);
    d.add("ifNull(NOT isNaN(" + cost + ") AND NOT (" + cost + " >= 0 AND " + cost + " <= 1000000), 0)");
    for (Column c : new Column[] {Column.TOKENS_IN, Column.TOKENS_OUT}) {
      d.add("ifNull(NOT (" + p.value(c) + " >= 0 AND " + p.value(c) + " <= 1000000000000), 0)");
    }
    d.add("NOT (" + clearlyNamed() + " OR " + unnamed() + ")");
    d.add("(" + costUpdate() + " AND isNull(" + trace() + "))");
    d.add("(" + p.isKind(EnumSet.of(RowKind.TURN)) + " AND NOT " + turnMetadataPlain() + ")");
    if (p.col(Column.MESSAGE_ID) != null) {
      // rows with one message id are duplicates (at one time, the fold keeps the first): the fold drops them
      String m = p.value(Column.MESSAGE_ID);
      d.add("ifNull(" + m + " GLOBAL IN (SELECT " + m + " " + fromSession() + " AND isNotNull(" + m + ") GROUP BY " + m
          + " HAVING count() > 1), 0)");
    }
    return d.toString();
  }

  private String fromSession() {
    return "FROM " + p.table + " WHERE " + session;
  }

  /** A row the fold must read itself: a structure row, a dirty one, or one at a structure row's time. */
  private String rowStreamed() {
    return "(" + structure() + " OR " + dirty() + " OR ifNull(" + ts() + " GLOBAL IN (SELECT " + ts() + " "
        + fromSession() + " AND " + structure() + "), 0))";
  }

  /** Rows of a trace with a streamed row (or with ties) are streamed too: a trace is summed whole or not at all. */
  private String traceStreamed() {
    String h = "cityHash64(" + trace() + ")";
    // the verify query lists traces by their hash with the lowest bit cleared (its record key)
    String ties = tieTraces.isEmpty() ? "0"
        : "ifNull(bitAnd(" + h + ", bitNot(toUInt64(1))) IN (" + join(tieTraces) + "), 0)";
    return "(ifNull(" + h + " GLOBAL IN (SELECT cityHash64(" + trace() + ") " + fromSession() + " AND isNotNull("
        + trace() + ") AND " + rowStreamed() + "), 0) OR " + ties + ")";
  }

  /** What the stream query reads: every row of the session the fold reads itself. */
  public String streamedCondition() {
    return "(" + rowStreamed() + " OR " + traceStreamed() + ")";
  }

  /** The start rows (phase starts and declarations), which decide the running phase. */
  public String startCondition() {
    return startKind();
  }

  private static String join(List<Long> values) {
    StringJoiner out = new StringJoiner(", ");
    for (long v : values) {
      out.add(Long.toUnsignedString(v));
    }
    return out.toString();
  }

  /** The label of a content-named start row: its phase as the fold read it (from the boundaries). */
  private String contentNamedStart() {
    return "(" + startKind() + " AND " + unnamed() + " AND " + running.startLabel() + " != 0)";
  }

  /** A row's place, as the fold gives the row's trace its target (see the class comment). */
  private String rowLabel() {
    return "ifNull(multiIf(" + sessionKind() + ", toUInt64(" + SESSION_RL + "), " + costUpdate() + ", if(" + clearlyNamed()
        + ", " + named(phase()) + ", toUInt64(" + Long.toUnsignedString(PENDING_RL) + ")), " + clearlyNamed() + ", "
        + named(phase()) + ", " + contentNamedStart() + ", " + running.startLabel() + ", NOT " + unnamed()
        + ", toUInt64(" + Long.toUnsignedString(UNKNOWN_RL) + "), " + running.label() + "), toUInt64("
        + Long.toUnsignedString(UNKNOWN_RL) + "))";
  }

  /** Whether the row finds its phase through its parent (a phase row with no name of its own). */
  private String resolvesByParent() {
    return "(NOT " + sessionKind() + " AND NOT " + costUpdate() + " AND NOT " + clearlyNamed() + " AND NOT "
        + contentNamedStart() + " AND isNotNull(" + parent() + "))";
  }

  /** Pricing.picos exactly: Math.round of dollars times 1e12, ties up (x - floor(x) is exact in doubles). */
  private String picos() {
    String x = "(ifNull(" + p.value(Column.COST) + ", 0) * 1e12)";
    return "(toInt64(floor(" + x + ")) + toInt64(" + x + " - floor(" + x + ") >= 0.5))";
  }

  private String hasCost() {
    String c = p.value(Column.COST);
    return "ifNull(NOT isNaN(" + c + ") AND " + c + " >= 0 AND " + c + " <= 1000000, 0)";
  }

  private String hasTokens() {
    return "(isNotNull(" + p.value(Column.TOKENS_IN) + ") OR isNotNull(" + p.value(Column.TOKENS_OUT) + "))";
  }

  /** The turn count a row gives its phase (-1: none): CallRows' rules for calls and turn rows. */
  private String turnValue() {
    String tn = p.value(Column.TURN_NUMBER);
    String llm = p.isKind(EnumSet.of(RowKind.LLM_CALL));
    String turn = p.isKind(EnumSet.of(RowKind.TURN));
    return "toInt64(ifNull(multiIf(" + llm + ", if(ifNull(" + tn + " >= 0, 0), " + tn + " + 1, 1), " + turn + ", ifNull("
        + metadataInt("turn_number") + ", ifNull(" + tn + " + 1, -1)), -1), -1))";
  }

  private String maxTurns() {
    return "toInt64(if(" + p.isKind(EnumSet.of(RowKind.TURN)) + ", ifNull(" + metadataInt("max_turns") + ", -1), -1))";
  }

  /**
   * The per-row values every aggregating query reads ({@code pd_*}), as a subquery over the
   * session's rows that {@code condition} (over those values) selects. The aggregation runs over
   * the subquery: on a Distributed table the shards compute the values and the initiator sums (18.16
   * names WITH-aliased aggregates differently on shard and initiator when it aggregates per shard).
   *
   * @param extra more {@code expression AS pd_name} values
   */
  private String rows(String condition, String... extra) {
    List<String> constants = new java.util.ArrayList<>();
    List<String> values = new java.util.ArrayList<>();
    for (String d : running.definitions()) {
      (d.contains(" AS pd_b_") ? constants : values).add(d); // literal arrays: once, as WITH
    }
    values.addAll(List.of(extra));
    values.add(ts() + " AS pd_ts");
    values.add(trace() + " AS pd_trace");
    values.add(phase() + " AS pd_phase");
    values.add(hot() + " AS pd_hot");
    values.add(costUpdate() + " AS pd_costu");
    values.add(clearlyNamed() + " AS pd_named");
    values.add(rowStreamed() + " AS pd_strm");
    values.add(picos() + " AS pd_picos");
    values.add(hasCost() + " AS pd_has_cost");
    values.add("ifNull(" + p.value(Column.TOKENS_IN) + ", 0) AS pd_tin");
    values.add("ifNull(" + p.value(Column.TOKENS_OUT) + ", 0) AS pd_tout");
    values.add(hasTokens() + " AS pd_has_tok");
    // per-row values as plain SELECT aliases: 18.16 loses WITH aliases of row values on a Distributed table
    return (constants.isEmpty() ? "" : "WITH\n  " + String.join(",\n  ", constants) + "\n") + "SELECT\n  "
        + String.join(",\n  ", values) + "\n" + fromSession() + (condition == null ? "" : " AND " + condition);
  }

  // ---------------------------------------------------------------- the queries

  /** The reader schema of {@link #verifySelect}. */
  public static final TableSchema VERIFY = new TableSchema(List.of(
      ClickHouseColumn.of("place", "UInt64"),
      ClickHouseColumn.of("traces", "UInt64"),
      ClickHouseColumn.of("picos", "Int64"),
      ClickHouseColumn.of("tokens_in", "Int64"),
      ClickHouseColumn.of("tokens_out", "Int64"),
      ClickHouseColumn.of("amount", "Float64"),
      ClickHouseColumn.of("cost_updates", "UInt64"),
      ClickHouseColumn.of("cu_first", "Float64"),
      ClickHouseColumn.of("cu_last", "Float64"),
      ClickHouseColumn.of("failures", "UInt64"),
      ClickHouseColumn.of("ties", "Array(UInt64)")));

  /**
   * Per trace (hash): its first row's label and time, whether its place never changes, whether its
   * children (phase-less rows naming it as parent) all came after it and lie in the phase it places
   * them in, its cost (first priced row) and tokens (first row with tokens), its cost updates; then
   * per place, over the traces summed whole: their costs, tokens and cost updates, and how many
   * traces fail a check (any failure: the session is streamed). Traces with rows at equal times are
   * listed (to stream them whole).
   */
  public String verifySelect() {
    String self = "ifNull(bitAnd(cityHash64(" + trace() + "), bitNot(toUInt64(1))), toUInt64(0))";
    String child = "if(" + resolvesByParent() + ", ifNull(bitOr(bitAnd(cityHash64(" + parent() + "), bitNot(toUInt64(1))),"
        + " toUInt64(1)), toUInt64(0)), toUInt64(0))";
    String records = rows(null, "arrayJoin(arrayFilter(x -> x != 0, [" + self + ", " + child + "])) AS pd_rec",
        rowLabel() + " AS pd_rl");
    String perTrace = "SELECT bitAnd(pd_rec, bitNot(toUInt64(1))) AS pd_k,\n"
        + "    countIf(pd_c = 0) AS t_selfs, minIf(pd_ts, pd_c = 0) AS t_first_ts,\n"
        + "    argMinIf(pd_rl, (pd_ts, pd_rl), pd_c = 0) AS t_rl_first, argMaxIf(pd_rl, (-pd_ts, pd_rl), pd_c = 0) AS t_rl_tied,\n"
        + "    maxIf(pd_strm, pd_c = 0) AS t_strm, uniqIf(pd_ts, pd_c = 0) AS t_distinct_ts,\n"
        + "    countIf(pd_c = 0 AND bitShiftRight(pd_rl, 62) = 3) AS t_named_n,\n"
        + "    minIf(pd_rl, pd_c = 0 AND bitShiftRight(pd_rl, 62) = 3) AS t_named_min,\n"
        + "    maxIf(pd_rl, pd_c = 0 AND bitShiftRight(pd_rl, 62) = 3) AS t_named_max,\n"
        + "    countIf(pd_c = 0 AND bitShiftRight(pd_rl, 62) != 0) AS t_unsessioned,\n"
        + "    countIf(pd_c = 1 AND pd_strm = 0) AS t_clean_children,\n"
        + "    minIf(pd_ts, pd_c = 1 AND pd_strm = 0) AS t_child_first,\n"
        + "    minIf(pd_g_run, pd_c = 1 AND pd_strm = 0) AS t_g_min, maxIf(pd_g_run, pd_c = 1 AND pd_strm = 0) AS t_g_max,\n"
        + "    countIf(pd_c = 0 AND pd_has_cost) AS t_priced, argMinIf(pd_picos, pd_ts, pd_c = 0 AND pd_has_cost) AS t_picos,\n"
        + "    countIf(pd_c = 0 AND pd_has_tok) AS t_tokened, argMinIf(pd_tin, pd_ts, pd_c = 0 AND pd_has_tok) AS t_tin,\n"
        + "    argMinIf(pd_tout, pd_ts, pd_c = 0 AND pd_has_tok) AS t_tout,\n"
        + "    countIf(pd_c = 0 AND pd_costu) AS t_cu_n, minIf(pd_ts, pd_c = 0 AND pd_costu) AS t_cu_first,\n"
        + "    maxIf(pd_ts, pd_c = 0 AND pd_costu) AS t_cu_last\n"
        + "  FROM (SELECT *, bitAnd(pd_rec, toUInt64(1)) AS pd_c FROM (" + records + ") WHERE pd_rec != 0)\n"
        + "  GROUP BY pd_k";
    String rank = "bitShiftRight(t_rl_first, 62)";
    String hash = "bitAnd(t_rl_first, toUInt64(" + HASH_BITS + "))";
    String asInferred = "bitOr(toUInt64(" + Long.toUnsignedString((long) INFERRED_RANK << 62) + "), " + hash + ")";
    String constant = "(" + rank + " = 3 OR (" + rank + " = 2 AND (t_named_n = 0 OR (bitAnd(t_named_min, toUInt64("
        + HASH_BITS + ")) = " + hash + " AND bitAnd(t_named_max, toUInt64(" + HASH_BITS + ")) = " + hash + "))) OR ("
        + rank + " = 0 AND t_unsessioned = 0))";
    String tie = "(t_selfs > 0 AND t_distinct_ts < t_selfs)";
    String summed = "(t_selfs > 0 AND t_strm = 0 AND NOT " + tie + ")";
    String childrenWrong = "(t_clean_children > 0 AND (t_selfs = 0 OR t_child_first <= t_first_ts OR t_rl_first != t_rl_tied"
        + " OR NOT " + constant + " OR " + rank + " = 1 OR (" + rank + " >= 2 AND (t_g_min != " + asInferred
        + " OR t_g_max != " + asInferred + ")) OR (" + rank + " = 0 AND t_g_min < toUInt64("
        + Long.toUnsignedString((long) INFERRED_RANK << 62) + "))))";
    String summedWrong = "(" + summed + " AND (NOT " + constant + " OR " + rank + " < 2))";
    String failure = "toUInt64(" + childrenWrong + " OR " + summedWrong + " OR t_selfs > " + MAX_TRACE_ROWS + ")";
    return "SELECT toUInt64(if(" + summed + ", t_rl_first, toUInt64(0))) AS o_place, toUInt64(countIf(" + summed + ")) AS o_traces,\n"
        + "  toInt64(sumIf(t_picos, " + summed + " AND t_priced > 0)) AS o_picos,\n"
        + "  toInt64(sumIf(t_tin, " + summed + " AND t_tokened > 0)) AS o_tokens_in,\n"
        + "  toInt64(sumIf(t_tout, " + summed + " AND t_tokened > 0)) AS o_tokens_out,\n"
        + "  toFloat64(sumIf(toFloat64(t_picos) + toFloat64(t_tin) + toFloat64(t_tout), " + summed + ")) AS o_amount,\n"
        + "  toUInt64(sumIf(t_cu_n, " + summed + ")) AS o_cost_updates,\n"
        + "  toFloat64(minIf(t_cu_first, " + summed + " AND t_cu_n > 0)) AS o_cu_first,\n"
        + "  toFloat64(maxIf(t_cu_last, " + summed + " AND t_cu_n > 0)) AS o_cu_last,\n"
        + "  toUInt64(sum(" + failure + ")) AS o_failures, groupArrayIf(1001)(pd_k, " + tie + ") AS o_ties\n"
        + "FROM (" + perTrace + ")\nGROUP BY o_place";
  }

  /** The reader schema of {@link #aggregateSelect}. */
  public static final TableSchema AGGREGATE = new TableSchema(List.of(
      ClickHouseColumn.of("kind", "UInt8"),
      ClickHouseColumn.of("place", "UInt64"),
      ClickHouseColumn.of("name", "String"),
      ClickHouseColumn.of("rows", "UInt64"),
      ClickHouseColumn.of("first_ts", "Float64"),
      ClickHouseColumn.of("last_ts", "Float64"),
      ClickHouseColumn.of("named_rows", "UInt64"),
      ClickHouseColumn.of("created", "Float64"),
      ClickHouseColumn.of("turns", "Int64"),
      ClickHouseColumn.of("max_turns", "Int64"),
      ClickHouseColumn.of("picos", "Int64"),
      ClickHouseColumn.of("tokens_in", "Int64"),
      ClickHouseColumn.of("tokens_out", "Int64"),
      ClickHouseColumn.of("amount", "Float64")));

  /** Kinds of {@link #aggregateSelect} lines. */
  public static final int PLACE = 0;
  public static final int MODEL = 1;
  public static final int CASCADE = 2;

  /**
   * What the summed rows add, per line: per place ({@link #PLACE}) the rows, first and last time,
   * first time a row names it (a phase's first sight), turns, and the cost and tokens of rows
   * without a trace (each priced on its own); per place and model ({@link #MODEL}, name = model)
   * the model's first use; per cascade id ({@link #CASCADE}) its first row.
   */
  public String aggregateSelect() {
    String model = "if(" + p.isKind(EnumSet.of(RowKind.LLM_CALL)) + ", ifNull(" + p.value(Column.MODEL) + ", ''), '')";
    String cascade = "ifNull(" + p.value(Column.CASCADE_ID) + ", '')";
    String lines = rows("NOT pd_strm AND NOT pd_tstrm", "arrayJoin([toUInt8(" + PLACE + "), if(" + model
            + " != '', toUInt8(" + MODEL + "), toUInt8(9)), if(" + cascade + " != '', toUInt8(" + CASCADE
            + "), toUInt8(9))]) AS pd_kind",
            "ifNull(multiIf(pd_kind = " + CASCADE + ", toUInt64(0), " + clearlyNamed() + ", " + named(phase()) + ", "
            + running.label() + "), toUInt64(" + Long.toUnsignedString(UNKNOWN_RL) + ")) AS pd_place",
            "multiIf(pd_kind = " + MODEL + ", " + model + ", pd_kind = " + CASCADE + ", " + cascade + ", '') AS pd_key",
            turnValue() + " AS pd_turn", maxTurns() + " AS pd_max_turns", traceStreamed() + " AS pd_tstrm");
    return ""
        + "SELECT toUInt8(pd_kind) AS o_kind, toUInt64(pd_place) AS o_place,\n"
        + "  toString(if(pd_kind = " + PLACE + ", anyIf(ifNull(pd_phase, ''), pd_named), any(pd_key))) AS o_name,\n"
        + "  toUInt64(countIf(pd_hot)) AS o_rows, toFloat64(minIf(pd_ts, pd_hot OR pd_kind != " + PLACE + ")) AS o_first_ts,\n"
        + "  toFloat64(maxIf(pd_ts, pd_hot)) AS o_last_ts, toUInt64(countIf(pd_named)) AS o_named_rows,\n"
        + "  toFloat64(minIf(pd_ts, pd_named)) AS o_created, toInt64(maxIf(pd_turn, pd_hot)) AS o_turns,\n"
        + "  toInt64(maxIf(pd_max_turns, pd_hot)) AS o_max_turns,\n"
        + "  toInt64(sumIf(pd_picos, pd_hot AND isNull(pd_trace) AND pd_has_cost)) AS o_picos,\n"
        + "  toInt64(sumIf(pd_tin, pd_hot AND isNull(pd_trace) AND pd_has_tok)) AS o_tokens_in,\n"
        + "  toInt64(sumIf(pd_tout, pd_hot AND isNull(pd_trace) AND pd_has_tok)) AS o_tokens_out,\n"
        + "  toFloat64(sumIf(toFloat64(pd_picos) + toFloat64(pd_tin) + toFloat64(pd_tout), pd_hot AND isNull(pd_trace))) AS o_amount\n"
        + "FROM (" + lines + ")\nWHERE pd_kind != 9 AND (pd_kind != " + PLACE + " OR pd_hot OR pd_named)\n"
        + "GROUP BY pd_kind, pd_place, pd_key";
  }

  /** The reader schema of {@link #anchorSelect}. */
  public static final TableSchema ANCHORS = new TableSchema(List.of(
      ClickHouseColumn.of("trace", "String"),
      ClickHouseColumn.of("first_ts", "Float64"),
      ClickHouseColumn.of("phase", "String")));

  /**
   * The summed traces that a streamed row names as its parent: the fold must know them when it
   * reads that row. Per trace its first time and, when its first row names its phase, that phase
   * (else the trace lies in the phase running at its first row).
   */
  public String anchorSelect() {
    String parents = "SELECT cityHash64(" + parent() + ") " + fromSession() + " AND isNotNull(" + parent() + ") AND "
        + streamedCondition();
    String lines = rows("NOT pd_strm AND NOT pd_tstrm AND pd_parent_of_streamed", traceStreamed() + " AS pd_tstrm",
        "ifNull(isNotNull(" + trace() + ") AND cityHash64(" + trace() + ") GLOBAL IN (" + parents
        + "), 0) AS pd_parent_of_streamed");
    return "SELECT toString(ifNull(pd_trace, '')) AS o_trace, toFloat64(min(pd_ts)) AS o_first_ts,"
        + " toString(argMin(if(pd_named, ifNull(pd_phase, ''), ''), pd_ts)) AS o_phase\n"
        + "FROM (" + lines + ")\nGROUP BY pd_trace";
  }

  /** The reader schema of {@link #labelsSelect}. */
  public static final TableSchema LABELS = new TableSchema(List.of(
      ClickHouseColumn.of("phase", "String"),
      ClickHouseColumn.of("named", "UInt64"),
      ClickHouseColumn.of("inferred", "UInt64")));

  /** The labels of the phases the starts name (the client cannot compute the server's hash). */
  public String labelsSelect() {
    StringJoiner names = new StringJoiner(", ", "[", "]");
    names.add("''");
    for (String phase : running.phases()) {
      names.add(Sql.literal(phase));
    }
    return "SELECT pd_name AS o_phase, toUInt64(" + named("pd_name") + ") AS o_named, toUInt64(" + inferred("pd_name")
        + ") AS o_inferred"
        + " FROM (SELECT arrayJoin(" + names + ") AS pd_name)";
  }

  /**
   * The session's rows, and the rows the decoder reports as bad: their warning names the row's
   * position in the whole session, which only a full read knows, so such a session streams.
   */
  public String factsSelect() {
    StringJoiner bad = new StringJoiner(" OR ", "(", ")");
    bad.add(p.badBits() + " != 0");
    for (Column c : new Column[] {Column.DEPTH, Column.SOUNDING_INDEX, Column.WINNING_SOUNDING_INDEX,
        Column.REFORGE_STEP, Column.ATTEMPT_NUMBER, Column.TURN_NUMBER}) {
      bad.add("ifNull(NOT (" + p.value(c) + " > -2147483648 AND " + p.value(c) + " <= 2147483647), 0)");
    }
    return "SELECT toUInt64(count()), toUInt64(countIf(" + bad + ")) " + fromSession();
  }

  /** The session's size, for choosing a strategy. */
  public static String countSelect(SelectPlan plan, String session) {
    return "SELECT count() FROM " + plan.table + " WHERE " + session;
  }
}
