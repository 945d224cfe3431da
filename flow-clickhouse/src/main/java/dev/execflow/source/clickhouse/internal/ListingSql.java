package dev.execflow.source.clickhouse.internal;

import com.clickhouse.client.api.metadata.TableSchema;
import com.clickhouse.data.ClickHouseColumn;
import dev.execflow.assemble.RowKind;
import dev.execflow.spi.Column;
import java.util.ArrayList;
import java.util.EnumSet;
import java.util.List;

/**
 * The SQL of a session listing (the instances grid) over a table's {@link SelectPlan}: the scan of
 * the whole table ({@link #listSelect}) or a page of the session-summary table ({@link
 * #summaryPageSelect}, see {@link SummarySql}). Both compute each row's listing values with the same
 * {@link RowValues} and answer in the same wire shape ({@link #LIST}).
 */
public final class ListingSql {
  private ListingSql() {}

  /** The reader schema of a session listing. */
  public static final TableSchema LIST = new TableSchema(List.of(
      ClickHouseColumn.of("sid", "String"),
      ClickHouseColumn.of("cascade", "Nullable(String)"),
      ClickHouseColumn.of("first_ts", "Float64"),
      ClickHouseColumn.of("last_ts", "Float64"),
      ClickHouseColumn.of("status", "String"),
      ClickHouseColumn.of("picos", "Int64"),
      ClickHouseColumn.of("rows", "UInt64")));

  /**
   * What the listing needs of one row, each as a SQL expression over the table's columns (no alias
   * refers to another: a materialized view on 18.16 cannot read a subquery, so {@link SummarySql}
   * uses them inline).
   *
   * @param sid the session id as a String
   * @param ts epoch seconds (Float64)
   * @param cascade the cascade id, '' when none
   * @param terminal 1 for a row that completes the session, 2 for one that fails it, else 0 (UInt8)
   * @param trace the trace id, '' when none
   * @param ownPrice 1 when the row is priced on its own (no trace, or a session row): {@code
   *     SessionTally}'s rule; else its call costs what the call's first priced row says
   * @param hasCost 1 when the row carries a cost {@code Pricing.picos} accepts (NaN fails both bounds)
   * @param picos the row's cost in whole pico-dollars (Int64), 0 without one
   */
  public record RowValues(String sid, String ts, String cascade, String terminal, String trace, String ownPrice,
      String hasCost, String picos) {

    /** The values over {@code plan}'s table, with its mapping and vocabulary. */
    public static RowValues of(SelectPlan plan) {
      ColumnType sidType = plan.types.get(Column.SESSION_ID);
      String sid = sidType.plainString() ? plan.col(Column.SESSION_ID) : "toString(" + plan.col(Column.SESSION_ID) + ")";
      String trace = "ifNull(" + plan.value(Column.TRACE_ID) + ", '')";
      String cost = plan.value(Column.COST);
      String hasCost = "ifNull(" + cost + " >= 0 AND " + cost + " <= 1e6, 0)";
      return new RowValues(sid, plan.timestamp(),
          "ifNull(" + plan.value(Column.CASCADE_ID) + ", '')",
          "multiIf(" + plan.isKind(EnumSet.of(RowKind.SESSION_COMPLETED)) + ", 1, "
              + plan.isKind(EnumSet.of(RowKind.SESSION_FAILED)) + ", 2, 0)",
          trace,
          "(" + trace + " = '' OR " + plan.isKind(SelectPlan.sessionKinds()) + ")",
          hasCost,
          "if(" + hasCost + ", toInt64(floor(ifNull(" + cost + ", 0) * 1e12 + 0.5)), toInt64(0))");
    }
  }

  /**
   * One aggregating query over the whole table for an instances grid: per session its cascade (of
   * the earliest row that names one), first and last timestamp, status from its latest terminal
   * row, cost with each LLM call counted once, and row count; newest first, at most {@code limit +
   * 1} rows (the extra one says whether there is a next page).
   *
   * <p>Status and cost follow the fold's rules, as {@code SessionTally} writes them for Java: kinds
   * from the vocabulary; a call (its rows share a trace_id) costs what its first priced row says, a
   * row without a trace or of the session is priced on its own; whole pico-dollars are summed (the
   * caller divides once). Hence the inner GROUP BY session and call.
   *
   * @param cascadeId only this cascade, or null
   * @param status {@code completed}, {@code error} or {@code running}, or null for all
   * @param afterFirst with {@code afterSession}, the keyed cursor (NaN: first page)
   */
  public static String listSelect(SelectPlan plan, Parameters params, String cascadeId, String status, double afterFirst,
      String afterSession, int limit) {
    RowValues v = RowValues.of(plan);
    String rowsSql = "SELECT " + v.sid() + " AS ef_sid, " + v.ts() + " AS ef_ts, "
        + v.cascade() + " AS ef_cascade, " + v.terminal() + " AS ef_term, "
        + "if(" + v.ownPrice() + ", concat('\\0row', toString(rowNumberInAllBlocks())), " + v.trace() + ") AS ef_call, "
        + v.hasCost() + " AS ef_has_cost, " + v.picos() + " AS ef_picos "
        + "FROM " + plan.table;
    String perCall = "SELECT ef_sid, ef_call, min(ef_ts) AS ef_first_ts, max(ef_ts) AS ef_last_ts, count() AS ef_n, "
        + "argMinIf(ef_cascade, ef_ts, ef_cascade != '') AS ef_call_cascade, minIf(ef_ts, ef_cascade != '') AS ef_cascade_ts, "
        + "countIf(ef_cascade != '') AS ef_has_cascade, "
        + "countIf(ef_term > 0) AS ef_terms, argMaxIf(ef_term, ef_ts, ef_term > 0) AS ef_term_code, maxIf(ef_ts, ef_term > 0) AS ef_term_ts, "
        + "argMinIf(ef_picos, ef_ts, ef_has_cost) AS ef_call_picos "
        + "FROM (" + rowsSql + ") GROUP BY ef_sid, ef_call";
    StringBuilder sql = new StringBuilder("SELECT ef_sid, "
        + "nullIf(argMinIf(ef_call_cascade, ef_cascade_ts, ef_has_cascade > 0), '') AS ef_cascade, "
        + "min(ef_first_ts) AS ef_first_ts, max(ef_last_ts) AS ef_last_ts, "
        + "multiIf(sum(ef_terms) = 0, 'running', argMax(ef_term_code, if(ef_terms > 0, ef_term_ts, -inf)) = 1, "
        + "'completed', 'error') AS ef_status, "
        + "sum(ef_call_picos) AS ef_picos, sum(ef_n) AS ef_rows "
        + "FROM (" + perCall + ") GROUP BY ef_sid");
    appendHaving(sql, params, "ef_", "ef_sid", cascadeId, status, afterFirst, afterSession, null);
    sql.append(" ORDER BY ef_first_ts DESC, ef_sid DESC LIMIT ").append((long) limit + 1);
    return sql.toString();
  }

  /**
   * A page of the session summary ({@link SummarySql}): the inner query merges only the states the
   * order and the filters need (first timestamp; status and cascade when asked for) and picks the
   * page's session ids; the outer one reads those sessions alone (by the summary's key) and merges
   * everything, cost included. Same answer and shape as {@link #listSelect}: a call's cost is its
   * earliest priced row (ties: the smaller), rows priced on their own are summed.
   *
   * <p>With a {@code lower} bound (not NaN) the inner query merges only the sessions that have a
   * start row at or after it (below the cursor), read by the start index's key, and keeps those
   * whose first timestamp is at or after it: the page is right when it comes back full (every
   * session that started earlier ranks below), else the caller widens the window.
   */
  public static String summaryPageSelect(SummarySql.Names names, Parameters params, String cascadeId, String status,
      double afterFirst, String afterSession, int limit, double lower) {
    String summary = names.qualifiedSummary();
    StringBuilder inner = new StringBuilder("SELECT " + SummarySql.SID + " AS p_sid, " + FIRST + " AS p_first_ts");
    if (cascadeId != null) {
      inner.append(", ").append(CASCADE).append(" AS p_cascade");
    }
    if (status != null) {
      inner.append(", ").append(STATUS).append(" AS p_status");
    }
    inner.append(" FROM ").append(summary);
    if (!Double.isNaN(lower)) {
      inner.append(" WHERE ").append(SummarySql.SID).append(" IN (SELECT ").append(SummarySql.SID).append(" FROM ")
          .append(names.qualifiedStarts()).append(" WHERE ").append(SummarySql.FIRST).append(" >= ")
          .append(Sql.float64(lower));
      if (!Double.isNaN(afterFirst)) {
        inner.append(" AND ").append(SummarySql.FIRST).append(" <= ").append(Sql.float64(afterFirst));
      }
      inner.append(")");
    }
    inner.append(" GROUP BY ").append(SummarySql.SID);
    appendHaving(inner, params, "p_", "p_sid", cascadeId, status, afterFirst, afterSession,
        Double.isNaN(lower) ? null : "p_first_ts >= " + Sql.float64(lower));
    inner.append(" ORDER BY p_first_ts DESC, p_sid DESC LIMIT ").append((long) limit + 1);
    return "SELECT " + SummarySql.SID + ", " + CASCADE + " AS p_cascade, " + FIRST + " AS p_first_ts, "
        + "maxMerge(" + SummarySql.LAST + ") AS p_last_ts, " + STATUS + " AS p_status, "
        + "sumIfMerge(" + SummarySql.OWN_PICOS + ") + arraySum(arrayMap((c, u) -> if(u = 1, c.3, toInt64(0)), "
        + "arraySort(groupArrayIfMerge(" + SummarySql.CALLS + ")) AS p_calls, "
        + "arrayEnumerateUniq(arrayMap(c -> c.1, p_calls)))) AS p_picos, "
        + "countMerge(" + SummarySql.ROWS + ") AS p_rows "
        + "FROM " + summary + " WHERE " + SummarySql.SID + " IN (SELECT p_sid FROM (" + inner + ")) "
        + "GROUP BY " + SummarySql.SID + " ORDER BY p_first_ts DESC, " + SummarySql.SID + " DESC";
  }

  /** The reader schema of {@link #startsStats}. */
  public static final TableSchema STARTS_STATS = new TableSchema(List.of(
      ClickHouseColumn.of("min_ts", "Float64"),
      ClickHouseColumn.of("max_ts", "Float64"),
      ClickHouseColumn.of("n", "UInt64")));

  /** The earliest and latest start and the number of start rows: one column read, a count from the parts. */
  public static String startsStats(SummarySql.Names names) {
    return "SELECT min(" + SummarySql.FIRST + "), max(" + SummarySql.FIRST + "), count() FROM " + names.qualifiedStarts();
  }

  private static final String FIRST = "minMerge(" + SummarySql.FIRST + ")";
  private static final String CASCADE = "nullIf(argMinIfMerge(" + SummarySql.CASCADE + "), '')";
  private static final String STATUS = "multiIf(countIfMerge(" + SummarySql.TERMINALS + ") = 0, 'running', "
      + "argMaxIfMerge(" + SummarySql.TERMINAL + ") = 1, 'completed', 'error')";

  /** The page's filters and cursor over the aliases {@code <prefix>cascade}, {@code <prefix>status}, {@code <prefix>first_ts}. */
  private static void appendHaving(StringBuilder sql, Parameters params, String prefix, String sid, String cascadeId,
      String status, double afterFirst, String afterSession, String extra) {
    List<String> having = new ArrayList<>();
    if (extra != null) {
      having.add(extra);
    }
    if (cascadeId != null) {
      having.add(prefix + "cascade = " + params.string("cascade_id", cascadeId));
    }
    if (status != null) {
      having.add(prefix + "status = " + params.string("status", status));
    }
    if (!Double.isNaN(afterFirst)) {
      having.add(cursorCondition(prefix + "first_ts", sid, params, afterFirst, afterSession));
    }
    if (!having.isEmpty()) {
      sql.append(" HAVING ").append(String.join(" AND ", having));
    }
  }

  /** After the keyed cursor: newest first, then by id descending. */
  private static String cursorCondition(String first, String sid, Parameters params, double afterFirst,
      String afterSession) {
    return "(" + first + " < " + Sql.float64(afterFirst) + " OR (" + first + " = " + Sql.float64(afterFirst)
        + " AND " + sid + " < " + params.string("after_session", afterSession) + "))";
  }
}
