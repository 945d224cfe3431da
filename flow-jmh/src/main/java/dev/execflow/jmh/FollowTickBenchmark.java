package dev.execflow.jmh;

import com.clickhouse.client.api.Client;
import dev.execflow.assemble.ExecutionAssembler;
import dev.execflow.follow.FollowEvent;
import dev.execflow.follow.FollowOptions;
import dev.execflow.follow.SessionFollower;
import dev.execflow.model.ExecutionData;
import dev.execflow.model.Status;
import dev.execflow.source.clickhouse.ClickHouseLogSource;
import dev.execflow.source.clickhouse.testing.ClickHouseServer;
import dev.execflow.source.clickhouse.testing.LogTable;
import dev.execflow.spi.LogRow;
import dev.execflow.spi.LogSource;
import dev.execflow.spi.LogSourceException;
import dev.execflow.spi.SessionCursor;
import dev.execflow.spi.MutableLogRow;
import dev.execflow.spi.RowSink;
import dev.execflow.spi.SessionQuery;
import dev.execflow.testing.SessionGenerator;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.openjdk.jmh.annotations.AuxCounters;
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
 * The cost of one live-follow tick against a real ClickHouse, by session size: a running session
 * of {@code rows} rows in a table ordered by {@code (session_id, timestamp)}, {@code newRows} new
 * rows inserted before each tick (outside the measured time; operations start {@code paceMillis}
 * apart), then {@link #tick}: one {@link SessionFollower#poll()} (the tail's read of the
 * look-back window, the fold of what is new, the view, the events). {@link #fullReRead} is what the viewer did before live follow: a new fold of
 * the whole session per refresh. {@code rowsRead}/{@code ticks} (secondary results) give the rows
 * that crossed the wire per tick: flat in session size means the tick reads only the tail.
 *
 * <p>From {@value #WHOLE_READ_LIMIT} rows on, ClickHouse 18.16 cannot read the session at once
 * with its default memory limit (10M rows: the {@code ORDER BY} sorts the session in memory and
 * fails at 3.73 GiB after ~7M rows; 18.16 cannot read in key order). There the follower resumes
 * from a cursor a minute (row time) before the session's end instead of reading it from its first
 * row, so its fold holds that minute, and {@link #fullReRead} measures how long the read takes to
 * fail (counted in {@code failedReads}).
 *
 * <p>Where a tick's time goes: {@code readMicros} is the time spent in the source's reads (the
 * client's side: request, transfer, decoding, and the server's work), the rest of a tick is the
 * fold, the view and the events. The server logs every query of the measured run ({@code
 * log_queries}); at the end of a trial the fork prints, from {@code system.query_log}, the
 * server's own duration and rows read of its queries (median, p90, max), so the server's share
 * of a read can be told from the client's. {@link #emptyQuery} is the floor any query pays.
 */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.MILLISECONDS)
@Warmup(iterations = 2, time = 5)
@Measurement(iterations = 5, time = 10)
@Fork(value = 1, jvmArgsAppend = {"-Xms1g", "-Xmx1g", "-XX:+AlwaysPreTouch"})
public class FollowTickBenchmark {
  @Param({"10000", "1000000", "10000000"})
  public int rows;

  /** Sessions this long are not read whole (see the class comment). */
  static final int WHOLE_READ_LIMIT = 5_000_000;

  @Param({"10"})
  public int newRows;

  /**
   * The least time from one operation's start to the next, as a follower polls (500: the default
   * interval, the server merging the small parts the inserts make in between); 0 runs them back
   * to back, the server then holding more small parts (and merging them) at every tick.
   */
  @Param({"500"})
  public int paceMillis;

  private long lastStart;

  private ClickHouseServer server;
  private LogTable table;
  private ClickHouseLogSource source;
  private Client client;
  /** Server time (seconds) at which the measured run began: the query log is read from there. */
  private long serverStart;
  private Counting counting;
  private SessionFollower follower;
  private String sessionId;
  private double nextTs;
  private long calls;

  /** A source that counts the rows its reads deliver (what a tick moves over the wire). */
  static final class Counting implements LogSource {
    final LogSource store;
    long rows;
    long readNanos;

    Counting(LogSource store) {
      this.store = store;
    }

    @Override
    public long read(SessionQuery query, RowSink sink) {
      long start = System.nanoTime();
      try {
        long n = store.read(query, sink);
        rows += n;
        return n;
      } finally {
        readNanos += System.nanoTime() - start;
      }
    }
  }

  /**
   * Per-iteration totals: rows read, ticks (their ratio is rows per tick), and the microseconds
   * spent in the source's reads (the query, its transfer and decoding; the rest of a tick is the
   * fold of the new rows, the view and the events).
   */
  @State(Scope.Thread)
  @AuxCounters(AuxCounters.Type.EVENTS)
  public static class TickCounters {
    public long rowsRead;
    public long ticks;
    public long failedReads;
    public long readMicros;

    @Setup(Level.Iteration)
    public void reset() {
      readMicros = 0;
      rowsRead = 0;
      ticks = 0;
      failedReads = 0;
    }
  }

  @Setup(Level.Trial)
  public void setUp() {
    String reason = ClickHouseBenchmark.unavailableReason();
    if (reason != null) {
      throw new IllegalStateException("FollowTickBenchmark needs a server: " + reason);
    }
    ClickHouseServer remote = ClickHouseServer.fromEnvironment();
    server = remote != null ? remote : ClickHouseServer.startLocal();
    table = LogTable.windlass("jmh_follow_" + rows).create(server);
    sessionId = "jmh-follow-" + rows;
    SessionGenerator generator = new SessionGenerator(42).withSessionId(sessionId).withOutcome(Status.RUNNING);
    SessionGenerator.Expected[] expected = new SessionGenerator.Expected[1];
    table.insert(server, sink -> expected[0] = generator.generate(rows, sink));
    nextTs = expected[0].lastTimestamp() + 0.05;
    // the source's own client settings, and the server logs this client's queries (see the class comment)
    client = new Client.Builder().addEndpoint(server.url()).setUsername(server.user())
        .setPassword(server.password() == null ? "" : server.password()).compressServerResponse(false)
        .useHttpCompression(false).setSocketTimeout(300_000, ChronoUnit.MILLIS)
        .serverSetting("log_queries", "1").build();
    source = ClickHouseLogSource.builder().endpoint(server.url()).client(client)
        .table(server.database(), table.name()).build();
    counting = new Counting(source);
    FollowOptions options = FollowOptions.defaults();
    if (rows < WHOLE_READ_LIMIT) {
      follower = SessionFollower.open(counting, sessionId, options);
    } else {
      SessionCursor lastMinute = new SessionCursor(expected[0].lastTimestamp() - 60, "");
      follower = new SessionFollower(counting.tail(sessionId, lastMinute, options.lookBack()), sessionId, options);
    }
    follower.poll(); // the first poll reads the session so far (or its last minute)
    if (follower.lastFailure() != null || (rows < WHOLE_READ_LIMIT && follower.rowsRead() != rows)
        || follower.rowsRead() == 0) {
      throw new IllegalStateException("the first poll read " + follower.rowsRead() + " of " + rows + " rows"
          + (follower.lastFailure() == null ? "" : ": " + follower.lastFailure().getMessage()));
    }
    serverStart = Long.parseLong(server.execute("SELECT toUInt32(now())").trim()) + 1; // after the first poll
  }

  /** The next rows of the running session: LLM calls 50 ms apart, priced on their row. */
  @Setup(Level.Invocation)
  public void insertNewRows() {
    List<LogRow> batch = new ArrayList<>(newRows);
    for (int i = 0; i < newRows; i++) {
      calls++;
      batch.add(new MutableLogRow().timestamp(nextTs).sessionId(sessionId).traceId(sessionId + ":tick-" + calls)
          .nodeType("agent").role("assistant").phaseName("tick_phase").model("gpt-4o-mini").cost(0.0001)
          .tokensIn(100).tokensOut(20));
      nextTs += 0.05;
    }
    table.insert(server, batch);
    long wait = lastStart + paceMillis * 1_000_000L - System.nanoTime();
    if (wait > 0) {
      try {
        Thread.sleep(wait / 1_000_000, (int) (wait % 1_000_000));
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
      }
    }
    lastStart = System.nanoTime();
  }

  @TearDown(Level.Trial)
  public void tearDown() {
    if (server != null && serverStart > 0) {
      printServerSide();
    }
    if (follower != null) {
      follower.close();
    }
    if (source != null) {
      source.close();
    }
    if (client != null) {
      client.close();
    }
    if (server != null) {
      if (!server.isLocal()) {
        server.execute("DROP TABLE IF EXISTS " + server.qualified(table.name()));
      }
      server.close();
    }
  }

  /**
   * The server's side of the trial's reads (from its query log, the measured run and its
   * warmup): per kind of query, how many, their duration on the server and the rows they read.
   */
  private void printServerSide() {
    try {
      server.execute("SYSTEM FLUSH LOGS");
      String stats = server.execute("SELECT substring(replaceRegexpAll(query, '[[:space:]]+', ' '), 1, 40) AS q, count() AS n,"
          + " quantiles(0.5, 0.9)(query_duration_ms) AS duration_ms_p50_p90, max(query_duration_ms) AS max_ms,"
          + " quantiles(0.5, 0.9)(read_rows) AS read_rows_p50_p90, avg(result_rows) AS result_rows"
          + " FROM system.query_log WHERE toString(type) IN ('2', 'QueryFinish') AND event_time >= toDateTime(" + serverStart + ")"
          + " AND query NOT LIKE 'INSERT%' AND query NOT LIKE '%system.query_log%' AND query NOT LIKE 'SYSTEM%'"
          + " GROUP BY q ORDER BY n DESC FORMAT PrettyCompactMonoBlock");
      System.out.printf("%nserver side (system.query_log, %s rows, from a second after setup: warm-up and measurement):%n%s%n",
          rows, stats);
    } catch (RuntimeException e) {
      System.out.println("server side: query log not readable: " + e.getMessage());
    }
  }

  @Benchmark
  public List<FollowEvent> tick(TickCounters counters) {
    long before = counting.rows;
    long readBefore = counting.readNanos;
    List<FollowEvent> events = follower.poll();
    counters.readMicros += (counting.readNanos - readBefore) / 1000;
    counters.rowsRead += counting.rows - before;
    counters.ticks++;
    return events;
  }

  /** The floor of any tick: one query of this table that finds no rows (a session that does not exist). */
  @Benchmark
  public long emptyQuery(TickCounters counters) {
    counters.ticks++;
    return source.read(SessionQuery.of("no-such-session"), row -> {});
  }

  @Benchmark
  public ExecutionData fullReRead(TickCounters counters) {
    long before = counting.rows;
    ExecutionAssembler assembler = new ExecutionAssembler();
    try {
      counting.read(SessionQuery.of(sessionId), assembler);
    } catch (LogSourceException e) {
      if (rows < WHOLE_READ_LIMIT || !String.valueOf(e.getMessage()).contains("Memory limit")) {
        throw e;
      }
      counters.failedReads++; // what a viewer's poll of this session got from 18.16
    }
    counters.rowsRead += counting.rows - before;
    counters.ticks++;
    return assembler.snapshot();
  }
}
