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
 * each through a warm (connected) source as a service holds it: {@link #stream} (every row over the
 * wire), {@link #pushdown} (the server sums most rows up), {@link #parallel2} / {@link #parallel4}
 * (streamed as 2 or 4 time ranges read concurrently). In the same run, the server's own floor:
 * {@link #serverScanNarrow} ({@code FORMAT Null} of the columns the fold needs, no content, no
 * sort) and {@link #serverScanStream} (the streaming read's own SELECT, {@code FORMAT Null}).
 *
 * <p>Secondary results, printed at setup per trial (they do not vary between operations): each
 * strategy's {@link FoldReport} (bytes over the wire, rows summed and streamed, queries) and the
 * size of the session's executionData JSON.
 *
 * <p>The server is {@code FLOW_CLICKHOUSE_URL} if set, else a private {@code clickhouse-server}
 * child process per fork. With {@code FLOW_CLICKHOUSE_URL} the session's table is kept and reused
 * by the next trial when it holds exactly the generated rows (so that 10M rows are loaded once per
 * run, not once per benchmark); a child server loads it once per trial.
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

  private ClickHouseServer server;
  private ClickHouseLogSource stream;
  private ClickHouseLogSource pushdown;
  private ClickHouseLogSource parallel2;
  private ClickHouseLogSource parallel4;
  private SessionQuery query;
  private long expectedRows;
  private String narrowSql;
  private String streamSql;

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
      server.execute("OPTIMIZE TABLE " + server.qualified(table) + " FINAL");
      System.out.printf("loaded %,d rows into %s in %.1f s%n", rows, table, (System.nanoTime() - loadStart) / 1e9);
    } else {
      System.out.printf("reusing %s (%,d rows)%n", table, rows);
    }
    stream = source(table).strategy(Strategy.STREAM).build();
    pushdown = source(table).strategy(Strategy.PUSHDOWN).build();
    parallel2 = source(table).strategy(Strategy.STREAM).parallelRanges(2).build();
    parallel4 = source(table).strategy(Strategy.STREAM).parallelRanges(4).build();
    query = SessionQuery.of(expected.sessionId());
    expectedRows = expected.rows();
    String id = "'" + expected.sessionId() + "'";
    narrowSql = "SELECT timestamp, trace_id, parent_id, node_type, role, phase_name, model, cost, tokens_in,"
        + " tokens_out FROM " + server.qualified(table) + " WHERE session_id = " + id + "\nFORMAT Null";
    streamSql = stream.selectSql(query) + "\nFORMAT Null";
    System.out.printf("ClickHouse %s at %s (%s), session %s of %,d rows, compressed=%s%n", server.version(),
        server.url(), server.isLocal() ? "child process" : "FLOW_CLICKHOUSE_URL", expected.sessionId(), rows,
        stream.compressed());
    // every strategy folds the generated session's totals, and says what it cost (secondary results)
    String json = null;
    for (ClickHouseLogSource s : new ClickHouseLogSource[] {stream, pushdown, parallel2, parallel4}) {
      ExecutionAssembler fold = new ExecutionAssembler();
      long t0 = System.nanoTime();
      FoldReport how = s.fold(query, fold);
      long ms = (System.nanoTime() - t0) / 1_000_000;
      Checks.agrees(fold, expected, s.strategy().label() + " of the ClickHouse session");
      String written = ExecutionJson.write(fold.snapshot());
      if (json != null && !json.equals(written)) {
        throw new IllegalStateException(s.strategy().label() + " folds other JSON than streaming");
      }
      json = written;
      System.out.printf("fold report (%d ms): %s%n", ms, how);
    }
    System.out.printf("executionData JSON: %,d bytes for %,d rows (%,d phases, %,d visits)%n",
        json.getBytes(StandardCharsets.UTF_8).length, rows, expected.distinctPhases(), expected.phaseVisits());
  }

  private dev.execflow.source.clickhouse.ClickHouseLogSourceBuilder source(String table) {
    return ClickHouseLogSource.builder().endpoint(server.url()).credentials(server.user(), server.password())
        .table(server.database(), table).socketTimeout(java.time.Duration.ofMinutes(5));
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
    for (ClickHouseLogSource s : new ClickHouseLogSource[] {stream, pushdown, parallel2, parallel4}) {
      if (s != null) {
        s.close();
      }
    }
    if (server != null) {
      server.close();
    }
  }

  private ExecutionAssembler fold(ClickHouseLogSource source) {
    ExecutionAssembler assembler = new ExecutionAssembler();
    long folded = source.assemble(query, assembler);
    if (folded != expectedRows) {
      throw new IllegalStateException("a fold of " + folded + " rows, not " + expectedRows);
    }
    return assembler;
  }

  @Benchmark
  public ExecutionAssembler stream() {
    return fold(stream);
  }

  @Benchmark
  public ExecutionAssembler pushdown() {
    return fold(pushdown);
  }

  @Benchmark
  public ExecutionAssembler parallel2() {
    return fold(parallel2);
  }

  @Benchmark
  public ExecutionAssembler parallel4() {
    return fold(parallel4);
  }

  @Benchmark
  public String serverScanNarrow() {
    return server.execute(narrowSql);
  }

  @Benchmark
  public String serverScanStream() {
    return server.execute(streamSql);
  }
}
