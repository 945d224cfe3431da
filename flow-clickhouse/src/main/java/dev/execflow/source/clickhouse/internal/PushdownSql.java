package dev.execflow.source.clickhouse.internal;

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
  /** Most values of a set the queries carry as a literal (structure times, streamed traces, repeated ids). */
  public static final int MAX_LITERAL_SET = 200_000;


  private final SelectPlan p;
  private final String session;
  private final PhaseBoundaries running;
  private final List<Double> structureTimes;
  private final List<Long> duplicates;
  private final List<Long> streamedTraces;
  private final PushdownRows r;

  /**
   * @param session the session match (a bound parameter or literal, from {@link SelectPlan#sessionMatch})
   * @param running the phase starts the fold read from the session's start rows
   */
  public PushdownSql(SelectPlan plan, String session, PhaseBoundaries running) {
    this(plan, session, running, null, List.of(), null);
  }

  private PushdownSql(SelectPlan plan, String session, PhaseBoundaries running, List<Double> structureTimes,
      List<Long> duplicates, List<Long> streamedTraces) {
    this.p = plan;
    this.session = session;
    this.running = running;
    this.structureTimes = structureTimes == null ? null : List.copyOf(structureTimes);
    this.duplicates = List.copyOf(duplicates);
    this.streamedTraces = streamedTraces == null ? null : List.copyOf(streamedTraces);
    this.r = new PushdownRows(plan, session, this.structureTimes, this.duplicates, this.streamedTraces);
  }

  /** A copy with this phase reading. */
  public PushdownSql withRunning(PhaseBoundaries phases) {
    return new PushdownSql(p, session, phases, structureTimes, duplicates, streamedTraces);
  }

  /**
   * A copy that tests a row's time against these times of structure rows (from {@link #factsSelect})
   * instead of finding them in a subquery; null: the subquery.
   */
  public PushdownSql withStructureTimes(List<Double> times) {
    return new PushdownSql(p, session, running, times, duplicates, streamedTraces);
  }

  /** A copy that knows the hashes of the repeated message ids ({@link #duplicatesSelect}). */
  public PushdownSql withDuplicates(List<Long> hashes) {
    return new PushdownSql(p, session, running, structureTimes, hashes, streamedTraces);
  }

  /**
   * A copy that streams these traces whole (keys as {@link #verifySelect} lists them: traces with a
   * streamed row, traces with rows at equal times); needed by the aggregate, anchor and stream queries.
   */
  public PushdownSql withStreamedTraces(List<Long> keys) {
    return new PushdownSql(p, session, running, structureTimes, duplicates, keys);
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

  private String phase() {
    return PushdownRows.v(Column.PHASE_NAME);
  }

  /** The label of a content-named start row: its phase as the fold read it (from the boundaries). */
  private String contentNamedStart() {
    return "(" + r.startKind() + " AND " + r.unnamed() + " AND " + running.startLabel() + " != 0)";
  }

  /** A row's place, as the fold gives the row's trace its target (see the class comment). */
  private String rowLabel() {
    return "ifNull(multiIf(" + r.sessionKind() + ", toUInt64(" + SESSION_RL + "), " + r.costUpdate() + ", if("
        + r.clearlyNamed() + ", " + named(phase()) + ", toUInt64(" + Long.toUnsignedString(PENDING_RL) + ")), "
        + r.clearlyNamed() + ", " + named(phase()) + ", " + contentNamedStart() + ", " + running.startLabel()
        + ", NOT " + r.unnamed() + ", toUInt64(" + Long.toUnsignedString(UNKNOWN_RL) + "), " + running.label()
        + "), toUInt64(" + Long.toUnsignedString(UNKNOWN_RL) + "))";
  }

  /** Whether the row finds its phase through its parent (a phase row with no name of its own). */
  private String resolvesByParent() {
    return "(NOT " + r.sessionKind() + " AND NOT " + r.costUpdate() + " AND NOT " + r.clearlyNamed() + " AND NOT "
        + contentNamedStart() + " AND isNotNull(" + PushdownRows.v(Column.PARENT_ID) + "))";
  }

  /**
   * The per-row values every aggregating query reads ({@code pd_*}), as a subquery over the base
   * values of the session's rows that {@code condition} (over those values) selects. The
   * aggregation runs over the subquery: on a Distributed table the shards compute the base values
   * and the initiator the rest (18.16 loses WITH aliases of row values on Distributed tables and
   * names their aggregates differently on shard and initiator).
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
    values.add(r.ts() + " AS pd_ts");
    values.add(PushdownRows.v(Column.TRACE_ID) + " AS pd_trace");
    values.add(phase() + " AS pd_phase");
    values.add(r.hot() + " AS pd_hot");
    values.add(r.costUpdate() + " AS pd_costu");
    values.add(r.clearlyNamed() + " AS pd_named");
    values.add(r.rowStreamed() + " AS pd_strm");
    values.add(r.picos() + " AS pd_picos");
    values.add(r.hasCost() + " AS pd_has_cost");
    values.add("ifNull(" + PushdownRows.v(Column.TOKENS_IN) + ", 0) AS pd_tin");
    values.add("ifNull(" + PushdownRows.v(Column.TOKENS_OUT) + ", 0) AS pd_tout");
    values.add(r.hasTokens() + " AS pd_has_tok");
    return (constants.isEmpty() ? "" : "WITH\n  " + String.join(",\n  ", constants) + "\n") + "SELECT\n  "
        + String.join(",\n  ", values) + "\nFROM (" + r.base() + ")" + (condition == null ? "" : "\nWHERE " + condition);
  }

  // ---------------------------------------------------------------- the queries

  /** The session's start rows (phase starts and declarations) in canonical order: the fold's wire. */
  public String startSelect(Parameters params, String sessionId) {
    return p.filteredSessionSelect(params, sessionId, r.baseColumns(), r.startKind());
  }

  /** Every row of the session the fold reads itself, in canonical order: the fold's wire. */
  public String streamSelect(Parameters params, String sessionId) {
    return p.filteredSessionSelect(params, sessionId, r.baseColumns(), r.streamed());
  }

  /**
   * Per trace (hash): its first row's label and time, whether its place never changes, whether its
   * children (phase-less rows naming it as parent) all came after it and lie in the phase it places
   * them in, its cost (first priced row) and tokens (first row with tokens), its cost updates; then
   * per place, over the traces summed whole: their costs, tokens and cost updates, and how many
   * traces fail a check (any failure: the session is streamed). Traces with rows at equal times are
   * listed, and so are the traces with a streamed row: the later queries stream both whole.
   */
  public String verifySelect() {
    String self = "ifNull(bitAnd(cityHash64(" + PushdownRows.v(Column.TRACE_ID) + "), bitNot(toUInt64(1))), toUInt64(0))";
    String child = "if(" + resolvesByParent() + ", ifNull(bitOr(bitAnd(cityHash64(" + PushdownRows.v(Column.PARENT_ID)
        + "), bitNot(toUInt64(1))),"
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
        + "  toUInt64(sum(" + failure + ")) AS o_failures, groupArrayIf(1001)(pd_k, " + tie + ") AS o_ties,\n"
        + "  groupArrayIf(pd_k, t_strm != 0) AS o_streamed\n"
        + "FROM (" + perTrace + ")\nGROUP BY o_place";
  }

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
    String model = r.model();
    String cascade = r.cascade();
    String lines = rows("NOT pd_strm AND NOT pd_tstrm", "arrayJoin([toUInt8(" + PLACE + "), if(" + model
            + " != '', toUInt8(" + MODEL + "), toUInt8(9)), if(" + cascade + " != '', toUInt8(" + CASCADE
            + "), toUInt8(9))]) AS pd_kind",
            "ifNull(multiIf(pd_kind = " + CASCADE + ", toUInt64(0), " + r.clearlyNamed() + ", " + named(phase()) + ", "
            + running.label() + "), toUInt64(" + Long.toUnsignedString(UNKNOWN_RL) + ")) AS pd_place",
            "multiIf(pd_kind = " + MODEL + ", " + model + ", pd_kind = " + CASCADE + ", " + cascade + ", '') AS pd_key",
            r.turnValue() + " AS pd_turn", r.maxTurns() + " AS pd_max_turns", r.traceStreamed() + " AS pd_tstrm");
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

  /**
   * The summed traces that a streamed row names as its parent: the fold must know them when it
   * reads that row. Per trace its first time and, when its first row names its phase, that phase
   * (else the trace lies in the phase running at its first row).
   */
  public String anchorSelect() {
    String parent = PushdownRows.v(Column.PARENT_ID);
    String trace = PushdownRows.v(Column.TRACE_ID);
    String parents = "SELECT cityHash64(" + parent + ") FROM (" + r.base() + ") WHERE isNotNull(" + parent + ") AND "
        + r.streamed();
    String lines = rows("NOT pd_strm AND NOT pd_tstrm AND pd_parent_of_streamed", r.traceStreamed() + " AS pd_tstrm",
        "ifNull(isNotNull(" + trace + ") AND cityHash64(" + trace + ") GLOBAL IN (" + parents
        + "), 0) AS pd_parent_of_streamed");
    return "SELECT toString(ifNull(pd_trace, '')) AS o_trace, toFloat64(min(pd_ts)) AS o_first_ts,"
        + " toString(argMin(if(pd_named, ifNull(pd_phase, ''), ''), pd_ts)) AS o_phase\n"
        + "FROM (" + lines + ")\nGROUP BY pd_trace";
  }

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
   * position in the whole session, which only a full read knows, so such a session streams; the
   * message ids and their distinct hashes (fewer: some repeat); how many distinct times the structure
   * rows have, and those times when at most {@link #MAX_LITERAL_SET} (the later queries carry them
   * as a literal).
   */
  public String factsSelect() {
    String ids = "toUInt64(0), toUInt64(0)";
    if (p.col(Column.MESSAGE_ID) != null) {
      String m = PushdownRows.v(Column.MESSAGE_ID);
      ids = "toUInt64(count(" + m + ")), toUInt64(ifNull(uniqExact(cityHash64(" + m + ")), 0))"; // Nullable on 18.16
    }
    return "SELECT toUInt64(count()), toUInt64(countIf(pdb_bad != 0)), " + ids + ", "
        + r.structureTimesValues(MAX_LITERAL_SET) + " FROM (" + r.base() + ")";
  }

  /**
   * The hashes of the message ids more than one row carries (asked only when the facts say some
   * hash repeats; a colliding hash streams its rows, which is exact).
   */
  public String duplicatesSelect() {
    String m = PushdownRows.v(Column.MESSAGE_ID);
    return "SELECT groupArray(pd_h) FROM (SELECT ifNull(cityHash64(" + m + "), toUInt64(0)) AS pd_h FROM (" + r.base() + ") WHERE isNotNull("
        + m + ") GROUP BY pd_h HAVING count() > 1)";
  }

  /**
   * For cutting a session into {@code k} time ranges: its rows, its rows without a timestamp, and
   * the {@code k - 1} inner time quantiles (approximate: any cut folds exactly).
   */
  public static String rangeSelect(SelectPlan plan, String session, int k) {
    StringJoiner levels = new StringJoiner(", ");
    for (int i = 1; i < k; i++) {
      levels.add(Double.toString((double) i / k));
    }
    String ts = plan.timestamp();
    return "SELECT toUInt64(count()), toUInt64(countIf(isNaN(" + ts + "))), arrayMap(x -> toFloat64(x), quantilesIf("
        + levels + ")(" + ts + ", NOT isNaN(" + ts + "))) FROM " + plan.table + " WHERE " + session;
  }

  /** The session's size, for choosing a strategy. */
  public static String countSelect(SelectPlan plan, String session) {
    return "SELECT count() FROM " + plan.table + " WHERE " + session;
  }
}
