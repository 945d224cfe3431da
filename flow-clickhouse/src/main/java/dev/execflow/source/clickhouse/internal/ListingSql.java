package dev.execflow.source.clickhouse.internal;

import com.clickhouse.client.api.metadata.TableSchema;
import com.clickhouse.data.ClickHouseColumn;
import dev.execflow.assemble.RowKind;
import dev.execflow.spi.Column;
import java.util.ArrayList;
import java.util.EnumSet;
import java.util.List;

/** The SQL of a session listing (the instances grid) over a table's {@link SelectPlan}. */
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
   * One aggregating query for an instances grid: per session its cascade (of the earliest row that
   * names one), first and last timestamp, status from its latest terminal row, cost with each LLM
   * call counted once, and row count; newest first, at most {@code limit + 1} rows (the extra one
   * says whether there is a next page).
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
    String trace = plan.value(Column.TRACE_ID);
    ColumnType sidType = plan.types.get(Column.SESSION_ID);
    String sidExpr = sidType.plainString() ? plan.col(Column.SESSION_ID) : "toString(" + plan.col(Column.SESSION_ID) + ")";
    String rowsSql = "SELECT " + sidExpr + " AS ef_sid, " + plan.timestamp() + " AS ef_ts, "
        + "ifNull(" + plan.value(Column.CASCADE_ID) + ", '') AS ef_cascade, "
        + "multiIf(" + plan.isKind(EnumSet.of(RowKind.SESSION_COMPLETED)) + ", 1, "
        + plan.isKind(EnumSet.of(RowKind.SESSION_FAILED)) + ", 2, 0) AS ef_term, "
        + "ifNull(" + trace + ", '') AS ef_trace_raw, "
        // a session row or a row without a trace is priced on its own (SessionTally's rule)
        + "if(ef_trace_raw = '' OR " + plan.isKind(SelectPlan.sessionKinds()) + ", "
        + "concat('\\0row', toString(rowNumberInAllBlocks())), ef_trace_raw) AS ef_call, "
        + plan.value(Column.COST) + " AS ef_cost_raw, "
        + "ifNull(ef_cost_raw >= 0 AND ef_cost_raw <= 1e6, 0) AS ef_has_cost, " // Pricing.picos's rule: NaN fails both
        + "if(ef_has_cost, toInt64(floor(ifNull(ef_cost_raw, 0) * 1e12 + 0.5)), toInt64(0)) AS ef_picos "
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
    List<String> having = new ArrayList<>();
    if (cascadeId != null) {
      having.add("ef_cascade = " + params.string("cascade_id", cascadeId));
    }
    if (status != null) {
      having.add("ef_status = " + params.string("status", status));
    }
    if (!Double.isNaN(afterFirst)) {
      having.add("(ef_first_ts < " + Sql.float64(afterFirst) + " OR (ef_first_ts = " + Sql.float64(afterFirst)
          + " AND ef_sid < " + params.string("after_session", afterSession) + "))");
    }
    if (!having.isEmpty()) {
      sql.append(" HAVING ").append(String.join(" AND ", having));
    }
    sql.append(" ORDER BY ef_first_ts DESC, ef_sid DESC LIMIT ").append((long) limit + 1);
    return sql.toString();
  }
}
