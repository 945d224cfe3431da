package dev.execflow.jmh;

import org.openjdk.jmh.Main;
import org.openjdk.jmh.runner.Runner;
import org.openjdk.jmh.runner.RunnerException;
import org.openjdk.jmh.runner.options.CommandLineOptionException;
import org.openjdk.jmh.runner.options.CommandLineOptions;
import org.openjdk.jmh.runner.options.OptionsBuilder;

/**
 * The {@code benchmarks.jar} entry point: JMH's own command line, except that {@link
 * ClickHouseBenchmark} (and {@link JdbcBenchmark}'s ClickHouse backends, and the follow benchmarks) are skipped with a loud
 * message when no ClickHouse can be had here (no {@code clickhouse-server} binary, no {@code
 * FLOW_CLICKHOUSE_URL}); with {@code CI=true} they are not skipped, so that their setup fails the
 * run instead.
 *
 * <pre>{@code
 * java -jar flow-jmh/target/benchmarks.jar FoldBenchmark -prof gc
 * }</pre>
 */
public final class BenchmarkMain {
  private BenchmarkMain() {}

  public static void main(String[] args) throws Exception {
    CommandLineOptions cmd;
    try {
      cmd = new CommandLineOptions(args);
    } catch (CommandLineOptionException e) {
      System.err.println("Error parsing command line: " + e.getMessage());
      System.exit(1);
      return;
    }
    if (cmd.shouldHelp() || cmd.shouldList() || cmd.shouldListWithParams() || cmd.shouldListProfilers()
        || cmd.shouldListResultFormats()) {
      Main.main(args);
      return;
    }
    OptionsBuilder options = new OptionsBuilder();
    options.parent(cmd);
    String reason = ClickHouseBenchmark.unavailableReason();
    if (reason != null && !"true".equalsIgnoreCase(System.getenv("CI"))) {
      System.err.println("\n"
          + "*****************************************************************************\n"
          + "*** SKIPPING ClickHouseBenchmark: " + reason + "\n"
          + "*** (install Debian's clickhouse-server or point FLOW_CLICKHOUSE_URL at one)\n"
          + "*****************************************************************************\n");
      options.exclude(ClickHouseBenchmark.class.getName());
      options.exclude(PushdownBenchmark.class.getName());
      if (!cmd.getParameter("backend").hasValue()) {
        System.err.println("*** JdbcBenchmark: DuckDB backends only (" + String.join(", ", JdbcBenchmark.DUCKDB_BACKENDS)
            + "), without " + String.join(", ", JdbcBenchmark.CLICKHOUSE_BACKENDS) + "\n");
        options.param("backend", JdbcBenchmark.DUCKDB_BACKENDS);
      }
      options.exclude(FollowTickBenchmark.class.getName());
      options.exclude(FollowLatencyBenchmark.class.getName());
      options.exclude(FollowScaleBenchmark.class.getName());
      options.exclude(ListingBenchmark.class.getName());
    }
    try {
      new Runner(options.build()).run();
    } catch (RunnerException e) {
      if (reason != null && String.valueOf(e.getMessage()).startsWith("No matching benchmarks")) {
        System.err.println("nothing left to run once ClickHouseBenchmark was skipped");
        return;
      }
      System.err.println("ERROR: " + e.getMessage());
      System.exit(1);
    }
  }
}
