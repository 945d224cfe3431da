package dev.execflow.source.clickhouse.internal;

import java.util.List;

/**
 * The DDL of {@code execflow install-listing}: a session-summary table (one row of mergeable
 * aggregate states per session and insert, merged by AggregatingMergeTree in the background and by
 * {@link ListingSql#summaryPageSelect} at read time), a start-time index (a plain MergeTree ordered by
 * the session's earliest time in each insert: a page reads a window of it below its cursor), the
 * materialized views that feed both from every insert into the log table, the backfills of the rows
 * already there, and a marker written last that says the backfills finished (the listing uses the
 * summary only when all five objects exist).
 *
 * <p>Every state is exact under merging, so a session whose rows arrive over many inserts is
 * summarised as if they had come at once: first/last timestamp (min/max), cascade (argMinIf by
 * time), status (the latest terminal row: countIf and argMaxIf by time), row count, the cost of
 * rows priced on their own (sumIf) and, per call, its priced rows as (trace, time, picos) so
 * that a page charges each call its earliest priced row once (the fold's rule), however many
 * inserts the call's rows came in. 18.16 cannot run a materialized view over a subquery, so the
 * state SELECT is flat: each row value of {@link ListingSql.RowValues} written inline.
 *
 * <pre>{@code
 * SummarySql.Names names = SummarySql.Names.of("logs", "unified_logs");
 * List<String> ddl = SummarySql.install(plan, names); // the tables, their views, the backfills, the marker
 * }</pre>
 */
public final class SummarySql {
  private SummarySql() {}

  /** The version of the summary's layout: part of every object's name, so a new layout never meets an old table. */
  public static final int VERSION = 1;

  /** The summary's columns (prefixed: never equal to a log column the view's expressions name). */
  static final String SID = "ef_sid";
  static final String FIRST = "ef_first_ts";
  static final String LAST = "ef_last_ts";
  static final String ROWS = "ef_rows";
  static final String CASCADE = "ef_cascade";
  static final String TERMINALS = "ef_terminals";
  static final String TERMINAL = "ef_terminal";
  static final String OWN_PICOS = "ef_own_picos";
  static final String CALLS = "ef_calls";

  /**
   * The objects of one installation, next to the log table in its database.
   *
   * @param summary the summary table, {@code <table>_execflow_sessions_v1}
   * @param view the materialized view, {@code <summary>_mv}
   * @param starts the index of start times: a MergeTree ordered by {@code (ef_first_ts, ef_sid)}, a
   *     row per session and insert with the earliest time of the session's rows in that insert (so
   *     the session's first timestamp is among its rows), {@code <summary>_starts}
   * @param startsView the materialized view that feeds it, {@code <summary>_starts_mv}
   * @param marker a one-row table written after the backfill, {@code <summary>_done}
   */
  public record Names(String database, String summary, String view, String starts, String startsView,
      String marker) {
    public static Names of(String database, String table) {
      String summary = table + "_execflow_sessions_v" + VERSION;
      return new Names(database, summary, summary + "_mv", summary + "_starts", summary + "_starts_mv",
          summary + "_done");
    }

    public List<String> all() {
      return List.of(summary, view, starts, startsView, marker);
    }

    public String qualifiedStarts() {
      return Sql.table(database, starts);
    }

    public String qualifiedSummary() {
      return Sql.table(database, summary);
    }

    String qualifiedView() {
      return Sql.table(database, view);
    }

    String qualifiedMarker() {
      return Sql.table(database, marker);
    }
  }

  /** One summary row per session of the rows it reads (the view's insert block, or the backfill's table). */
  static String stateSelect(SelectPlan plan) {
    ListingSql.RowValues v = ListingSql.RowValues.of(plan);
    return "SELECT " + v.sid() + " AS " + SID + ",\n"
        + "  minState(" + v.ts() + ") AS " + FIRST + ",\n"
        + "  maxState(" + v.ts() + ") AS " + LAST + ",\n"
        + "  countState() AS " + ROWS + ",\n"
        + "  argMinIfState(" + v.cascade() + ", " + v.ts() + ", " + v.cascade() + " != '') AS " + CASCADE + ",\n"
        + "  countIfState(" + v.terminal() + " > 0) AS " + TERMINALS + ",\n"
        + "  argMaxIfState(" + v.terminal() + ", " + v.ts() + ", " + v.terminal() + " > 0) AS " + TERMINAL + ",\n"
        + "  sumIfState(" + v.picos() + ", " + v.ownPrice() + ") AS " + OWN_PICOS + ",\n"
        + "  groupArrayIfState(tuple(" + v.trace() + ", " + v.ts() + ", " + v.picos() + "), "
        + v.hasCost() + " AND NOT " + v.ownPrice() + ") AS " + CALLS + "\n"
        + "FROM " + plan.table + "\nGROUP BY " + SID;
  }

  /** One start row per session of the rows it reads. */
  static String startsSelect(SelectPlan plan) {
    ListingSql.RowValues v = ListingSql.RowValues.of(plan);
    return "SELECT min(" + v.ts() + ") AS " + FIRST + ", " + v.sid() + " AS " + SID + "\nFROM " + plan.table
        + "\nGROUP BY " + SID;
  }

  /**
   * The statements of a fresh installation, in order: the empty summary table (its column types
   * are the state SELECT's own, so no type is written twice), the view (from now on every insert is
   * summarised), the backfill of what the table held when the view started, the marker.
   */
  public static List<String> install(SelectPlan plan, Names names) {
    String state = stateSelect(plan);
    String starts = startsSelect(plan);
    return List.of(
        "CREATE TABLE " + names.qualifiedSummary() + "\nENGINE = AggregatingMergeTree() ORDER BY " + SID
            + "\nAS " + state + "\nLIMIT 0",
        "CREATE TABLE " + names.qualifiedStarts() + "\nENGINE = MergeTree() ORDER BY (" + FIRST + ", " + SID + ")"
            + "\nAS " + starts + "\nLIMIT 0",
        "CREATE MATERIALIZED VIEW " + names.qualifiedView() + " TO " + names.qualifiedSummary() + "\nAS " + state,
        "CREATE MATERIALIZED VIEW " + Sql.table(names.database(), names.startsView()) + " TO "
            + names.qualifiedStarts() + "\nAS " + starts,
        "INSERT INTO " + names.qualifiedSummary() + "\n" + state,
        "INSERT INTO " + names.qualifiedStarts() + "\n" + starts,
        "CREATE TABLE " + names.qualifiedMarker() + " ENGINE = TinyLog AS SELECT now() AS installed_at, toUInt32("
            + VERSION + ") AS layout");
  }

  /** Drops an installation's objects (the view first: no insert is summarised into a dropped table). */
  public static List<String> uninstall(Names names) {
    return List.of(
        "DROP TABLE IF EXISTS " + names.qualifiedView(),
        "DROP TABLE IF EXISTS " + Sql.table(names.database(), names.startsView()),
        "DROP TABLE IF EXISTS " + names.qualifiedMarker(),
        "DROP TABLE IF EXISTS " + names.qualifiedStarts(),
        "DROP TABLE IF EXISTS " + names.qualifiedSummary());
  }
}
