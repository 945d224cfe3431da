package dev.execflow.jmh;

import dev.execflow.assemble.ExecutionAssembler;
import dev.execflow.json.ExecutionJson;
import dev.execflow.source.clickhouse.ClickHouseLogSource;
import dev.execflow.source.clickhouse.FoldReport;
import dev.execflow.source.clickhouse.Strategy;
import dev.execflow.source.clickhouse.testing.ClickHouseServer;
import dev.execflow.source.clickhouse.testing.LogTable;
import dev.execflow.spi.SessionQuery;
import dev.execflow.testing.SessionGenerator;
import java.nio.charset.StandardCharsets;
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
 * One big generated session on a real ClickHouse, folded whole the ways {@link Strategy} offers,
 * through a warm (connected) source as a service holds it; {@link #way} picks one per trial:
 * {@code stream} (every row over the wire), {@code pushdown} (the server sums most rows up), {@code
 * parallel2} / {@code parallel4} (streamed as 2 or 4 time ranges read concurrently), and the
 * server's own floor: {@code scanNarrow} ({@code FORMAT Null} of the columns the fold needs, no
 * content, no sort) and {@code scanStream} (the streaming read's own SELECT, {@code FORMAT Null}).
 *
 * <p>Secondary results, printed at setup (they do not vary between operations): the trial's
 * {@link FoldReport} (bytes over the wire, rows summed and streamed, queries) and the size of the
 * session's executionData JSON. Setup checks that the trial's way folds the generated totals, so
 * a fast wrong fold cannot pass.
 *
 * <p>The server is {@code FLOW_CLICKHOUSE_URL} if set, else a private {@code clickhouse-server}
 * child process per fork. With {@code FLOW_CLICKHOUSE_URL} the session's table is kept and reused
 * by the next trial when it holds exactly the generated rows (so that 10M rows are loaded once per
 * run, not once per trial); a child server loads it once per trial.
 */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.MILLISECONDS)
@Warmup(iterations = 1, time = 1)
@Measurement(iterations = 3, time = 1)
@Fork(value = 1, jvmArgsAppend = {"-Xms1g", "-Xmx1g", "-XX:+AlwaysPreTouch"})
public class PushdownBenchmark {
  @Param({"1000000", "10000000"})
  public int rows;

  @Param({"stream", "pushdown", "parallel2", "parallel4", "scanNarrow", "scanStream"})
  public String way;

  private ClickHouseServer server;
  private ClickHouseLogSource source;
  private SessionQuery query;
  private long expectedRows;
  private String scanSql;

  @Setup(Level.Trial)
  public void setUp() {
    String reason = ClickHouseBenchmark.unavailableReason();
    if (reason != null) {
      throw new IllegalStateException("PushdownBenchmark needs a server: " + reason);
    }
    ClickHouseServer remote = ClickHouseServer.fromEnvironment();
    server = remote != null ? remote : ClickHouseServer.startLocal();
    String table = "jmh_pushdown_" + rows;
    SessionGenerator generator = new SessionGenerator(42).withSessionId("jmh-pushdown-" + rows);
    SessionGenerator.Expected expected = generator.expected(rows);
    long loadStart = System.nanoTime();
    if (remote == null || !holds(table, expected)) {
      LogTable.windlass(table).create(server).insert(server, sink -> generator.generate(rows, sink));
      System.out.printf("loaded %,d rows into %s in %.1f s%n", rows, table, (System.nanoTime() - loadStart) / 1e9);
    } else {
      System.out.printf("reusing %s (%,d rows)%n", table, rows);
    }
    var builder = ClickHouseLogSource.builder().endpoint(server.url()).credentials(server.user(), server.password())
        .table(server.database(), table).socketTimeout(java.time.Duration.ofMinutes(5));
    switch (way) {
      case "pushdown" -> builder.strategy(Strategy.PUSHDOWN);
      case "parallel2" -> builder.strategy(Strategy.STREAM).parallelRanges(2);
      case "parallel4" -> builder.strategy(Strategy.STREAM).parallelRanges(4);
      default -> builder.strategy(Strategy.STREAM);
    }
    source = builder.build();
    query = SessionQuery.of(expected.sessionId());
    expectedRows = expected.rows();
    System.out.printf("ClickHouse %s at %s (%s), session %s of %,d rows, compressed=%s%n", server.version(),
        server.url(), server.isLocal() ? "child process" : "FLOW_CLICKHOUSE_URL", expected.sessionId(), rows,
        source.compressed());
    if (way.startsWith("scan")) {
      scanSql = way.equals("scanStream") ? source.selectSql(query) + "\nFORMAT Null"
          : "SELECT timestamp, trace_id, parent_id, node_type, role, phase_name, model, cost, tokens_in, tokens_out"
              + " FROM " + server.qualified(table) + " WHERE session_id = '" + expected.sessionId() + "'\nFORMAT Null";
      return;
    }
    ExecutionAssembler fold = new ExecutionAssembler();
    long t0 = System.nanoTime();
    FoldReport how = source.fold(query, fold);
    long ms = (System.nanoTime() - t0) / 1_000_000;
    Checks.agrees(fold, expected, way + " of the ClickHouse session");
    System.out.printf("fold report, %s (%,d ms): %s%n", way, ms, how);
    System.out.printf("executionData JSON: %,d bytes for %,d rows (%,d phases, %,d visits)%n",
        ExecutionJson.write(fold.snapshot()).getBytes(StandardCharsets.UTF_8).length, rows,
        expected.distinctPhases(), expected.phaseVisits());
  }

  private boolean holds(String table, SessionGenerator.Expected expected) {
    try {
      String n = server.execute("SELECT count() FROM " + server.qualified(table) + " WHERE session_id = '"
          + expected.sessionId() + "'").strip();
      String all = server.execute("SELECT count() FROM " + server.qualified(table)).strip();
      return n.equals(Long.toString(expected.rows())) && all.equals(n);
    } catch (RuntimeException e) {
      return false; // no such table yet
    }
  }

  @TearDown(Level.Trial)
  public void tearDown() {
    if (source != null) {
      source.close();
    }
    if (server != null) {
      server.close();
    }
  }

  /** One whole-session fold the trial's way, or the trial's server-side scan. */
  @Benchmark
  public Object fold() {
    if (scanSql != null) {
      return server.execute(scanSql);
    }
    ExecutionAssembler assembler = new ExecutionAssembler();
    long folded = source.assemble(query, assembler);
    if (folded != expectedRows) {
      throw new IllegalStateException("a fold of " + folded + " rows, not " + expectedRows);
    }
    return assembler;
  }
}
