package dev.execflow.source.clickhouse;

import dev.execflow.source.clickhouse.internal.SummarySql;
import dev.execflow.spi.LogSourceException;
import dev.execflow.spi.LogSourceException.Reason;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * Installs the session summary of {@code execflow install-listing} (see {@link SummarySql})
 * idempotently: nothing when every object exists; an earlier installation that stopped half-way
 * (no marker: its backfill may not have finished) is dropped and done again, so the rows already
 * in the table are backfilled exactly once.
 */
final class ListingInstaller {
  private ListingInstaller() {}

  static ListingInstallation install(QueryRunner q, TableConnection c, Settings s, boolean dryRun) {
    SummarySql.Names names = SummarySql.Names.of(s.database(), s.table());
    Map<String, String> engines = TableConnection.engines(q, s.database(), s.table(), names);
    String engine = engines.get(s.table());
    if (engine == null) {
      throw new LogSourceException(Reason.UNSUPPORTED, "cannot install the listing on " + s.qualified()
          + ": system.tables does not show it to user '" + q.user() + "'");
    }
    if (!receivesInserts(engine)) {
      throw new LogSourceException(Reason.UNSUPPORTED, "cannot install the listing on " + s.qualified()
          + ", a " + engine + " table: a materialized view sees only the inserts into the table it reads;"
          + " install it on the table that receives the inserts (for a Distributed table: on each shard's"
          + " local table; the listing of the Distributed table then scans)");
    }
    if (engines.keySet().containsAll(names.all())) {
      return new ListingInstallation(names.qualifiedSummary(), true, dryRun, List.of());
    }
    List<String> statements = new ArrayList<>();
    if (names.all().stream().anyMatch(engines::containsKey)) {
      statements.addAll(SummarySql.uninstall(names));
    }
    statements.addAll(SummarySql.install(c.plan(), names));
    if (!dryRun) {
      for (String sql : statements) {
        TableConnection.tsv(q, sql, "installing the listing of " + s.qualified());
      }
    }
    return new ListingInstallation(names.qualifiedSummary(), false, dryRun, statements);
  }

  /** Whether inserts land in this table itself (not in other tables, not computed at read time). */
  private static boolean receivesInserts(String engine) {
    return !(engine.equals("Distributed") || engine.equals("View") || engine.equals("MaterializedView")
        || engine.equals("Merge") || engine.equals("Buffer") || engine.isEmpty());
  }
}
