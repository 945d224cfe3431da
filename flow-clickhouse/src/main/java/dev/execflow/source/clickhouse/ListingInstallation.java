package dev.execflow.source.clickhouse;

import java.util.List;

/**
 * What {@link ClickHouseLogSource#installListing} did or, on a dry run, would do.
 *
 * <pre>{@code
 * ListingInstallation done = source.installListing(false);
 * done.statements().forEach(System.out::println); // empty when it was installed already
 * }</pre>
 *
 * @param summaryTable {@code database.table} of the session summary
 * @param alreadyInstalled true when every object existed: nothing was (or would be) run
 * @param dryRun true when nothing was run, only printed
 * @param statements the SQL run (or to run), in order: dropping a partial earlier installation,
 *     the summary table, the materialized view, the backfill, the marker
 */
public record ListingInstallation(String summaryTable, boolean alreadyInstalled, boolean dryRun,
    List<String> statements) {
  public ListingInstallation {
    statements = List.copyOf(statements);
  }
}
