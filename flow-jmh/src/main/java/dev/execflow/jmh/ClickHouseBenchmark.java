package dev.execflow.jmh;

import dev.execflow.assemble.ExecutionAssembler;
import dev.execflow.source.clickhouse.ClickHouseLogSource;
import dev.execflow.source.clickhouse.testing.ClickHouseServer;
import dev.execflow.source.clickhouse.testing.LogTable;
import dev.execflow.testing.SessionGenerator;
import dev.execflow.spi.SessionQuery;
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
 * End to end against a real ClickHouse: a generated session bulk-loaded into a {@code
 * unified_logs}-like table, then per operation {@link #streamAndAssemble} (the session's SELECT,
 * RowBinary over HTTP, decoded by {@link ClickHouseLogSource} into the fold), {@link #streamOnly}
 * (decoded into a counting sink) and {@link #serverScan}: the same SELECT with {@code FORMAT Null},
 * i.e. the server's own time to produce the rows, sending nothing back. All three in the same run.
 *
 * <p>The server is {@code FLOW_CLICKHOUSE_URL} if set, else a private {@code clickhouse-server}
 * child process per fork ({@link ClickHouseServer}). {@link BenchmarkMain} skips this benchmark
 * with a loud message when there is neither (and fails when {@code CI=true}).
 */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.Throughput)
@OutputTimeUnit(TimeUnit.SECONDS)
@Warmup(iterations = 3, time = 2)
@Measurement(iterations = 5, time = 2)
@Fork(value = 1, jvmArgsAppend = {"-Xms512m", "-Xmx512m", "-XX:+AlwaysPreTouch"})
public class ClickHouseBenchmark {
  @Param({"100000", "1000000"})
  public int rows;

  private ClickHouseServer server;
  private String table;
  private ClickHouseLogSource source;
  private SessionQuery query;
  private String scanSql;

  /** Null when a server can be had here, else why not. */
  public static String unavailableReason() {
    String url = System.getenv("FLOW_CLICKHOUSE_URL");
    if (url != null && !url.isBlank()) {
      return null;
    }
    if (ClickHouseServer.findBinary() == null) {
      return "no clickhouse-server binary and FLOW_CLICKHOUSE_URL is not set";
    }
    return null;
  }

  @Setup(Level.Trial)
  public void setUp() {
    String reason = unavailableReason();
    if (reason != null) {
      throw new IllegalStateException("ClickHouseBenchmark needs a server: " + reason);
    }
    ClickHouseServer remote = ClickHouseServer.fromEnvironment();
    server = remote != null ? remote : ClickHouseServer.startLocal();
    table = "jmh_session_" + rows;
    SessionGenerator generator = new SessionGenerator(42).withSessionId("jmh-" + rows);
    SessionGenerator.Expected[] expected = new SessionGenerator.Expected[1];
    LogTable logTable = LogTable.windlass(table).create(server);
    logTable.insert(server, sink -> expected[0] = generator.generate(rows, sink));
    source = ClickHouseLogSource.builder().endpoint(server.url()).credentials(server.user(), server.password()).table(server.database(), table).build();
    query = SessionQuery.of(expected[0].sessionId());
    scanSql = source.selectSql(query) + "\nFORMAT Null";
    System.out.printf("ClickHouse %s at %s (%s), %d rows in %s, compressed=%s%n", server.version(), server.url(),
        server.isLocal() ? "child process" : "FLOW_CLICKHOUSE_URL", rows, table, source.compressed());
    Checks.agrees(streamAndAssemble(new RowCounter()), expected[0], "the ClickHouse session");
  }

  @TearDown(Level.Trial)
  public void tearDown() {
    if (source != null) {
      source.close();
    }
    if (server != null) {
      if (!server.isLocal()) {
        server.execute("DROP TABLE IF EXISTS " + server.qualified(table));
      }
      server.close();
    }
  }

  @Benchmark
  public ExecutionAssembler streamAndAssemble(RowCounter counter) {
    ExecutionAssembler assembler = new ExecutionAssembler();
    source.read(query, assembler);
    counter.rows += rows;
    return assembler;
  }

  @Benchmark
  public long streamOnly(RowCounter counter) {
    JsonlBenchmark.CountingSink sink = new JsonlBenchmark.CountingSink();
    source.read(query, sink);
    counter.rows += rows;
    return sink.checksum;
  }

  @Benchmark
  public String serverScan(RowCounter counter) {
    String body = server.execute(scanSql);
    counter.rows += rows;
    return body;
  }
}
