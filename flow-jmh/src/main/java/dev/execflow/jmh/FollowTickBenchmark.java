package dev.execflow.jmh;

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
import dev.execflow.spi.MutableLogRow;
import dev.execflow.spi.RowSink;
import dev.execflow.spi.SessionQuery;
import dev.execflow.testing.SessionGenerator;
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
 * rows inserted before each tick (outside the measured time), then {@link #tick}: one {@link
 * SessionFollower#poll()} (the tail's read of the look-back window, the fold of what is new, the
 * view, the events). {@link #fullReRead} is what the viewer did before live follow: a new fold of
 * the whole session per refresh. {@code rowsRead}/{@code ticks} (secondary results) give the rows
 * that crossed the wire per tick: flat in session size means the tick reads only the tail.
 */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.MILLISECONDS)
@Warmup(iterations = 2, time = 2)
@Measurement(iterations = 5, time = 2)
@Fork(value = 1, jvmArgsAppend = {"-Xms1g", "-Xmx1g", "-XX:+AlwaysPreTouch"})
public class FollowTickBenchmark {
  @Param({"10000", "1000000"})
  public int rows;

  @Param({"10"})
  public int newRows;

  private ClickHouseServer server;
  private LogTable table;
  private ClickHouseLogSource source;
  private Counting counting;
  private SessionFollower follower;
  private String sessionId;
  private double nextTs;
  private long calls;

  /** A source that counts the rows its reads deliver (what a tick moves over the wire). */
  static final class Counting implements LogSource {
    final LogSource store;
    long rows;

    Counting(LogSource store) {
      this.store = store;
    }

    @Override
    public long read(SessionQuery query, RowSink sink) {
      long n = store.read(query, sink);
      rows += n;
      return n;
    }
  }

  /** Per-iteration totals: rows read by ticks and ticks (their ratio is rows per tick). */
  @State(Scope.Thread)
  @AuxCounters(AuxCounters.Type.EVENTS)
  public static class TickCounters {
    public long rowsRead;
    public long ticks;

    @Setup(Level.Iteration)
    public void reset() {
      rowsRead = 0;
      ticks = 0;
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
    source = ClickHouseLogSource.builder().endpoint(server.url()).credentials(server.user(), server.password())
        .table(server.database(), table.name()).build();
    counting = new Counting(source);
    follower = SessionFollower.open(counting, sessionId, FollowOptions.defaults());
    follower.poll(); // the first poll reads the session so far
    if (follower.rowsRead() != rows) {
      throw new IllegalStateException("the first poll read " + follower.rowsRead() + " of " + rows + " rows"
          + (follower.lastFailure() == null ? "" : ": " + follower.lastFailure().getMessage()));
    }
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
  }

  @TearDown(Level.Trial)
  public void tearDown() {
    if (follower != null) {
      follower.close();
    }
    if (source != null) {
      source.close();
    }
    if (server != null) {
      if (!server.isLocal()) {
        server.execute("DROP TABLE IF EXISTS " + server.qualified(table.name()));
      }
      server.close();
    }
  }

  @Benchmark
  public List<FollowEvent> tick(TickCounters counters) {
    long before = counting.rows;
    List<FollowEvent> events = follower.poll();
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
    counting.read(SessionQuery.of(sessionId), assembler);
    counters.rowsRead += counting.rows - before;
    counters.ticks++;
    return assembler.snapshot();
  }
}
