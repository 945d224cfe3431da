package dev.execflow.examples.cli;

import dev.execflow.source.clickhouse.ClickHouseLogSource;
import dev.execflow.source.clickhouse.ListingInstallation;
import dev.execflow.spi.LogSource;
import java.io.PrintWriter;
import java.time.Duration;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParameterException;
import picocli.CommandLine.Spec;

/**
 * {@code execflow install-listing}: creates, in the user's database, the session summary that
 * makes {@code sessions} and {@code /api/sessions} cost a page instead of the table (a summary
 * table fed by a materialized view, backfilled once; see flow-clickhouse/README.md). Idempotent;
 * {@code --dry-run} prints the DDL and changes nothing.
 *
 * <pre>{@code
 * execflow install-listing --clickhouse http://localhost:8123 --database logs --table unified_logs --dry-run
 * }</pre>
 */
@Command(name = "install-listing", mixinStandardHelpOptions = true,
    description = {"Create the session summary (a table and a materialized view next to the log table) that makes"
        + " listing sessions cost a page, not the table; backfills the sessions already there once. Running it again"
        + " changes nothing.", "Uninstall: the DROP statements in flow-clickhouse/README.md."})
final class InstallListingCommand implements Callable<Integer> {
  @Spec CommandSpec spec;

  @Option(names = "--clickhouse", paramLabel = "URL", required = true,
      description = "ClickHouse HTTP endpoint, e.g. http://localhost:8123")
  String url;

  @Option(names = "--database", paramLabel = "D", description = "ClickHouse database (default: default)")
  String database;

  @Option(names = "--table", paramLabel = "T", description = "The log table (default: unified_logs)")
  String table;

  @Option(names = "--dry-run", description = "Print the statements and run none")
  boolean dryRun;

  @Option(names = "--user", paramLabel = "U", description = "ClickHouse user (default: default); it needs CREATE and INSERT")
  String user;

  @Option(names = "--password-env", paramLabel = "VAR", description = "Environment variable holding the password")
  String passwordEnv;

  @Option(names = "--schema", paramLabel = "windlass|rvbbit",
      description = "Column names of the table (default: detected from its columns)")
  String schema;

  @Option(names = "--timeout", paramLabel = "SECONDS", defaultValue = "3600",
      description = "How long the backfill of a big table may take (default: ${DEFAULT-VALUE})")
  long timeoutSeconds;

  @Override
  public Integer call() {
    if (timeoutSeconds < 1) {
      throw new ParameterException(spec.commandLine(), "--timeout must be at least 1 second, was " + timeoutSeconds);
    }
    PrintWriter out = spec.commandLine().getOut();
    ClickHouseOptions.Flags flags = new ClickHouseOptions.Flags(url, user, passwordEnv, database, table, schema,
        Duration.ofSeconds(timeoutSeconds), null, null, null);
    ListingInstallation done;
    try (LogSource source = ClickHouseOptions.open(flags)) {
      done = ((ClickHouseLogSource) source).installListing(dryRun);
    }
    if (done.alreadyInstalled()) {
      out.println("-- the listing is installed already (" + done.summaryTable() + "): nothing to do");
    } else {
      out.println(dryRun ? "-- dry run: these statements would be run, in order; none was"
          : "-- ran, in order:");
      done.statements().forEach(sql -> out.println(sql + ";\n"));
      if (!dryRun) {
        out.println("-- installed: listing now reads " + done.summaryTable());
      }
    }
    out.flush();
    return ExecflowCli.EXIT_OK;
  }
}
