package dev.execflow.jmh;

import dev.execflow.source.clickhouse.ClickHouseLogSource;
import dev.execflow.source.clickhouse.internal.SummarySql;
import dev.execflow.source.clickhouse.testing.ClickHouseServer;
import dev.execflow.source.clickhouse.testing.ListingSessions;
import dev.execflow.source.clickhouse.testing.LogTable;
import dev.execflow.spi.SessionListQuery;
import dev.execflow.spi.SessionPage;
import java.util.concurrent.TimeUnit;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Level;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.TearDown;
import org.openjdk.jmh.annotations.Warmup;

/**
 * A page of 50 of the instances grid over {@code sessions} sessions ({@link ListingSessions}: four
 * rows each, one call priced twice), from the same rows in two tables of one server: {@link
 * #pageScanned} without {@code execflow install-listing} (the aggregating scan of the whole table),
 * {@link #pageSummarised} and {@link #nextPageSummarised} (the second page, by cursor) with it (half
 * of the sessions backfilled at installation, half summarised by the materialized view as they were
 * inserted). Setup checks that both tables give the same pages.
 *
 * <pre>{@code
 * flock /work/notes/bench.lock java -jar flow-jmh/target/benchmarks.jar ListingBenchmark -rf json
 * }</pre>
 */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.MILLISECONDS)
@Warmup(iterations = 3, time = 1)
@Measurement(iterations = 5, time = 1)
@Fork(value = 1, jvmArgsAppend = {"-Xms256m", "-Xmx256m"})
public class ListingBenchmark {
  private static final int PAGE = 50;

  @Param({"100", "10000", "100000"})
  public int sessions;

  private ClickHouseServer server;
  private ClickHouseLogSource scanned;
  private ClickHouseLogSource summarised;
  private String secondPage;

  @Setup(Level.Trial)
  public void setUp() {
    String reason = ClickHouseBenchmark.unavailableReason();
    if (reason != null) {
      throw new IllegalStateException("ListingBenchmark needs a server: " + reason);
    }
    ClickHouseServer remote = ClickHouseServer.fromEnvironment();
    server = remote != null ? remote : ClickHouseServer.startLocal();
    String plain = "jmh_listing_scan_" + sessions;
    String installed = "jmh_listing_summary_" + sessions;
    // a FLOW_CLICKHOUSE_URL server keeps them between runs
    SummarySql.uninstall(SummarySql.Names.of(server.database(), installed)).forEach(server::execute);
    LogTable.windlass(plain).create(server).insert(server, sink -> ListingSessions.write(sessions, "jmh", sink));
    LogTable.windlass(installed).create(server);
    int before = sessions / 2;
    server.execute("INSERT INTO " + server.qualified(installed) + " SELECT * FROM " + server.qualified(plain)
        + " WHERE session_id < '" + ListingSessions.id("jmh", before) + "'");
    scanned = source(plain);
    summarised = source(installed);
    summarised.installListing(false);
    // the other half arrives through the view
    server.execute("INSERT INTO " + server.qualified(installed) + " SELECT * FROM " + server.qualified(plain)
        + " WHERE session_id >= '" + ListingSessions.id("jmh", before) + "'");
    SessionPage want = scanned.listSessions(new SessionListQuery(null, null, PAGE, null));
    SessionPage got = summarised.listSessions(new SessionListQuery(null, null, PAGE, null));
    if (!want.sessions().equals(got.sessions()) || got.scanned() || !want.scanned()
        || !want.sessions().get(0).equals(ListingSessions.expected("jmh", sessions - 1))) {
      throw new IllegalStateException("the summarised page differs from the scanned one:\n" + want + "\n" + got);
    }
    secondPage = got.nextCursor();
    System.out.printf("ClickHouse %s, %d sessions (%d rows) per table%n", server.version(), sessions,
        Long.parseLong(server.execute("SELECT count() FROM " + server.qualified(plain)).trim()));
  }

  private ClickHouseLogSource source(String table) {
    return ClickHouseLogSource.builder().endpoint(server.url()).credentials(server.user(), server.password())
        .table(server.database(), table).build();
  }

  @TearDown(Level.Trial)
  public void tearDown() {
    for (ClickHouseLogSource s : new ClickHouseLogSource[] {scanned, summarised}) {
      if (s != null) {
        s.close();
      }
    }
    if (server != null) {
      server.close();
    }
  }

  @Benchmark
  public SessionPage pageScanned() {
    return scanned.listSessions(new SessionListQuery(null, null, PAGE, null));
  }

  @Benchmark
  public SessionPage pageSummarised() {
    return summarised.listSessions(new SessionListQuery(null, null, PAGE, null));
  }

  @Benchmark
  public SessionPage nextPageSummarised() {
    return summarised.listSessions(new SessionListQuery(null, null, PAGE, secondPage));
  }
}
