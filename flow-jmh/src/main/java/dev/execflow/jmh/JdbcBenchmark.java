package dev.execflow.jmh;

import dev.execflow.assemble.ExecutionAssembler;
import dev.execflow.source.clickhouse.ClickHouseLogSource;
import dev.execflow.source.clickhouse.testing.ClickHouseServer;
import dev.execflow.source.clickhouse.testing.LogTable;
import dev.execflow.source.jdbc.JdbcLogSource;
import dev.execflow.source.jdbc.SqlDialect;
import dev.execflow.spi.LogSource;
import dev.execflow.spi.SessionQuery;
import dev.execflow.testing.SessionGenerator;
import dev.execflow.testing.SqlTables;
import java.io.BufferedOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.Comparator;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
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
 * flow-jdbc's {@link JdbcLogSource} next to flow-clickhouse's client-v2 source, on the same
 * generated session ({@code SessionGenerator(42)}, checked at setup against the generator's totals
 * for every backend), each fork in the same fixed 64 MB heap, so that every backend is shown to
 * stream:
 *
 * <ul>
 *   <li>{@code clickhouse-v2}: {@link ClickHouseLogSource} (client-v2, RowBinary), the reference;
 *   <li>{@code clickhouse-jdbc-v1}: {@code JdbcLogSource.open("jdbc:clickhouse://...")} against the
 *       same table (clickhouse-jdbc's v1 driver with the 18.16 settings, TabSeparated text);
 *   <li>{@code duckdb-table}: {@code JdbcLogSource.open("jdbc:duckdb:<file>")} over a typed
 *       {@code unified_logs} table in a DuckDB database file (as the CLI's {@code --jdbc});
 *   <li>{@code duckdb-parquet}: {@code JdbcLogSource.parquet(file)}, a Parquet file written from that
 *       table (as the CLI's {@code --parquet}).
 * </ul>
 *
 * <p>{@link #readAndAssemble} folds the session; {@link #readOnly} delivers it into a counting sink
 * (the source's own cost). The ClickHouse backends use {@code FLOW_CLICKHOUSE_URL} or a private
 * {@code clickhouse-server} child process per fork; without either, {@link BenchmarkMain} runs only
 * the DuckDB backends (loudly), and fails under {@code CI=true}.
 *
 * <pre>{@code
 * java -jar flow-jmh/target/benchmarks.jar JdbcBenchmark -prof gc
 * }</pre>
 */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.Throughput)
@OutputTimeUnit(TimeUnit.SECONDS)
@Warmup(iterations = 3, time = 2)
@Measurement(iterations = 5, time = 2)
@Fork(value = 1, jvmArgsAppend = {"-Xms64m", "-Xmx64m", "-XX:+AlwaysPreTouch"})
public class JdbcBenchmark {
  /** The backends that need a ClickHouse server. */
  static final String[] CLICKHOUSE_BACKENDS = {"clickhouse-v2", "clickhouse-jdbc-v1"};
  /** The backends that need nothing but the DuckDB driver in this jar. */
  static final String[] DUCKDB_BACKENDS = {"duckdb-table", "duckdb-parquet"};

  @Param({"1000000"})
  public int rows;

  @Param({"clickhouse-v2", "clickhouse-jdbc-v1", "duckdb-table", "duckdb-parquet"})
  public String backend;

  private Path dir;
  private ClickHouseServer server;
  private String table;
  private LogSource source;
  private SessionQuery query;

  @Setup(Level.Trial)
  public void setUp() throws IOException, SQLException {
    SessionGenerator generator = new SessionGenerator(42).withSessionId("jmh-" + rows);
    SessionGenerator.Expected expected;
    switch (backend) {
      case "clickhouse-v2":
      case "clickhouse-jdbc-v1":
        expected = loadClickHouse(generator);
        break;
      case "duckdb-table":
      case "duckdb-parquet":
        expected = loadDuckDb(generator);
        break;
      default:
        throw new IllegalArgumentException("unknown backend " + backend);
    }
    query = SessionQuery.of(expected.sessionId());
    System.out.printf("%s: %d rows through %s%n", backend, rows, source);
    Checks.agrees(readAndAssemble(new RowCounter()), expected, "the session from " + backend);
  }

  private SessionGenerator.Expected loadClickHouse(SessionGenerator generator) {
    String reason = ClickHouseBenchmark.unavailableReason();
    if (reason != null) {
      throw new IllegalStateException("backend " + backend + " needs a ClickHouse server: " + reason);
    }
    ClickHouseServer remote = ClickHouseServer.fromEnvironment();
    server = remote != null ? remote : ClickHouseServer.startLocal();
    table = "jmh_jdbc_" + rows;
    SessionGenerator.Expected[] expected = new SessionGenerator.Expected[1];
    LogTable.windlass(table).create(server).insert(server, sink -> expected[0] = generator.generate(rows, sink));
    if (backend.equals("clickhouse-v2")) {
      source = ClickHouseLogSource.builder().endpoint(server.url()).credentials(server.user(), server.password())
          .table(server.database(), table).build();
    } else {
      String url = server.url().replaceFirst("^https?://", "jdbc:clickhouse://") + "/" + server.database();
      // as the CLI's --jdbc: the source finds 18.16 and switches to the v1 driver with its settings
      source = JdbcLogSource.open(url, server.user(), server.password(), table, "windlass");
    }
    System.out.printf("ClickHouse %s at %s%n", server.version(), server.url());
    return expected[0];
  }

  private SessionGenerator.Expected loadDuckDb(SessionGenerator generator) throws IOException, SQLException {
    dir = Files.createTempDirectory("execflow-jmh-jdbc-");
    Path jsonl = dir.resolve("session.jsonl");
    SessionGenerator.Expected expected;
    try (OutputStream out = new BufferedOutputStream(Files.newOutputStream(jsonl), 1 << 16)) {
      expected = generator.writeJsonl(out, rows);
    }
    Path database = dir.resolve("logs.duckdb");
    Path parquet = dir.resolve("log_0001.parquet");
    try (Connection c = DriverManager.getConnection("jdbc:duckdb:" + database); Statement s = c.createStatement()) {
      // typed as a host's table would be (SqlTables.Types.DUCKDB), filled by DuckDB's own JSON reader
      SqlTables.create(c, "unified_logs", SqlTables.Types.DUCKDB);
      s.execute("INSERT INTO unified_logs BY NAME SELECT * FROM read_ndjson("
          + SqlDialect.DUCKDB.literal(jsonl.toString()) + ")");
      s.execute("COPY (SELECT * FROM unified_logs ORDER BY session_id, timestamp) TO "
          + SqlDialect.DUCKDB.literal(parquet.toString()) + " (FORMAT parquet)");
    }
    Files.delete(jsonl);
    source = backend.equals("duckdb-table")
        ? JdbcLogSource.open("jdbc:duckdb:" + database, null, null, "unified_logs", "windlass")
        : JdbcLogSource.parquet(parquet, "windlass");
    System.out.printf("DuckDB database %d bytes, Parquet file %d bytes%n", Files.size(database), Files.size(parquet));
    return expected;
  }

  @TearDown(Level.Trial)
  public void tearDown() throws IOException {
    if (source != null) {
      source.close();
    }
    if (server != null) {
      if (!server.isLocal()) {
        server.execute("DROP TABLE IF EXISTS " + server.qualified(table));
      }
      server.close();
    }
    if (dir != null) {
      try (Stream<Path> paths = Files.walk(dir)) {
        paths.sorted(Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
      }
    }
  }

  @Benchmark
  public ExecutionAssembler readAndAssemble(RowCounter counter) {
    ExecutionAssembler assembler = new ExecutionAssembler();
    source.read(query, assembler);
    counter.rows += rows;
    return assembler;
  }

  @Benchmark
  public long readOnly(RowCounter counter) {
    JsonlBenchmark.CountingSink sink = new JsonlBenchmark.CountingSink();
    source.read(query, sink);
    counter.rows += rows;
    return sink.checksum;
  }
}
