package dev.execflow.jmh;

import dev.execflow.follow.FollowEvent;
import dev.execflow.follow.FollowHub;
import dev.execflow.follow.FollowOptions;
import dev.execflow.source.clickhouse.ClickHouseLogSource;
import dev.execflow.source.clickhouse.testing.ClickHouseServer;
import dev.execflow.source.clickhouse.testing.LogTable;
import dev.execflow.spi.LogRow;
import dev.execflow.spi.LogSource;
import dev.execflow.spi.MutableLogRow;
import dev.execflow.spi.RowSink;
import dev.execflow.spi.SessionQuery;
import java.lang.management.ManagementFactory;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.Function;
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
 * One service following {@code sessions} running sessions of a real ClickHouse at the default
 * follow options, every session with a reader: per operation one second passes while a writer adds
 * {@code rowsPerSecond} rows (every 100 ms a tenth of them, to random sessions). The secondary
 * results are what those seconds cost, summed over the measured operations (one per iteration):
 * CPU of this JVM (the hub, the client, the readers, the writer) and of the server (the follow
 * queries, and the writer's inserts and the merges they cause), follower polls and the requests
 * they took ({@code readSessions}: one query per 200 sessions). The heap a followed session takes
 * is printed at setup (retained after GC, divided by sessions; each session has 20 rows).
 */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.MILLISECONDS)
@Warmup(iterations = 2, time = 1)
@Measurement(iterations = 5, time = 1)
@Fork(value = 1, jvmArgsAppend = {"-Xms3g", "-Xmx3g", "-XX:+AlwaysPreTouch"})
public class FollowScaleBenchmark {
  @Param({"1000"})
  public int sessions;

  /** New rows per second, spread over the sessions (0: every session idle). */
  @Param({"1000", "0"})
  public int rowsPerSecond;

  private ClickHouseServer server;
  private LogTable table;
  private Counting source;
  private FollowHub hub;
  private final List<FollowHub.Subscription> readers = new ArrayList<>();
  private Thread draining;
  private final Random random = new Random(3);
  private long calls;

  /** The ClickHouse source, counting requests. */
  static final class Counting implements LogSource {
    final ClickHouseLogSource store;
    final AtomicLong requests = new AtomicLong();

    Counting(ClickHouseLogSource store) {
      this.store = store;
    }

    @Override
    public long read(SessionQuery query, RowSink sink) {
      requests.incrementAndGet();
      return store.read(query, sink);
    }

    @Override
    public long readSessions(List<SessionQuery> queries, Function<String, RowSink> sinks) {
      requests.addAndGet((queries.size() + ClickHouseLogSource.SESSIONS_PER_QUERY - 1)
          / ClickHouseLogSource.SESSIONS_PER_QUERY);
      return store.readSessions(queries, sinks);
    }
  }

  /** What one operation (one second) cost. */
  @State(Scope.Thread)
  @AuxCounters(AuxCounters.Type.EVENTS)
  public static class Cost {
    public long jvmCpuMillis;
    public long serverCpuMillis;
    public long polls;
    public long requests;

    @Setup(Level.Iteration)
    public void reset() {
      jvmCpuMillis = serverCpuMillis = polls = requests = 0;
    }
  }

  @Setup(Level.Trial)
  public void setUp() throws InterruptedException {
    String reason = ClickHouseBenchmark.unavailableReason();
    if (reason != null) {
      throw new IllegalStateException("FollowScaleBenchmark needs a server: " + reason);
    }
    ClickHouseServer remote = ClickHouseServer.fromEnvironment();
    server = remote != null ? remote : ClickHouseServer.startLocal();
    table = LogTable.windlass("jmh_scale").create(server);
    double now = System.currentTimeMillis() / 1000.0;
    List<LogRow> rows = new ArrayList<>();
    for (int s = 0; s < sessions; s++) {
      String id = "scale-" + s;
      rows.add(new MutableLogRow().timestamp(now).sessionId(id).traceId(id + ":root").nodeType("cascade")
          .role("system").cascadeId("scale"));
      rows.add(new MutableLogRow().timestamp(now).sessionId(id).traceId(id + ":p").nodeType("phase")
          .role("phase_start").phaseName("work"));
      for (int i = 0; i < 18; i++) {
        rows.add(call(id, now + i * 0.01));
      }
    }
    table.insert(server, rows);
    source = new Counting(ClickHouseLogSource.builder().endpoint(server.url())
        .credentials(server.user(), server.password()).table(server.database(), table.name()).build());
    long heapBefore = usedHeapAfterGc();
    hub = new FollowHub(source, FollowOptions.defaults(), sessions, FollowHub.DEFAULT_LINGER,
        FollowHub.DEFAULT_REPLAY);
    for (int s = 0; s < sessions; s++) {
      readers.add(hub.follow("scale-" + s, null));
    }
    for (FollowHub.Subscription r : readers) {
      if (r.next(Duration.ofSeconds(120)) == null) {
        throw new IllegalStateException("no snapshot within 120 s");
      }
    }
    long heapAfter = usedHeapAfterGc();
    System.out.printf("%n%d sessions followed: %.1f KB heap per session (retained after GC)%n",
        sessions, (heapAfter - heapBefore) / 1024.0 / sessions);
    draining = new Thread(() -> {
      try {
        while (!Thread.currentThread().isInterrupted()) {
          boolean any = false;
          for (FollowHub.Subscription r : readers) {
            FollowEvent e;
            while ((e = r.next(Duration.ZERO)) != null) {
              any = true;
            }
          }
          if (!any) {
            Thread.sleep(20);
          }
        }
      } catch (InterruptedException e) {
        // done
      }
    }, "readers");
    draining.setDaemon(true);
    draining.start();
  }

  private static MutableLogRow call(String id, double ts) {
    return new MutableLogRow().timestamp(ts).sessionId(id).traceId(id + ":" + Math.round(ts * 1e6))
        .nodeType("agent").role("assistant").phaseName("work").cost(0.0001).tokensIn(100).tokensOut(20);
  }

  private static long usedHeapAfterGc() {
    for (int i = 0; i < 3; i++) {
      System.gc();
    }
    Runtime rt = Runtime.getRuntime();
    return rt.totalMemory() - rt.freeMemory();
  }

  private static long jvmCpuNanos() {
    return ((com.sun.management.OperatingSystemMXBean) ManagementFactory.getOperatingSystemMXBean())
        .getProcessCpuTime();
  }

  private static long serverCpuNanos() {
    return ProcessHandle.current().children()
        .filter(p -> p.info().command().map(c -> c.contains("clickhouse")).orElse(false))
        .mapToLong(p -> p.info().totalCpuDuration().map(Duration::toNanos).orElse(0L)).sum();
  }

  @Benchmark
  public long oneSecond(Cost cost) throws InterruptedException {
    long cpu = jvmCpuNanos();
    long serverCpu = serverCpuNanos();
    long polls = hub.polls();
    long requests = source.requests.get();
    long end = System.nanoTime() + TimeUnit.SECONDS.toNanos(1);
    while (System.nanoTime() < end) {
      double now = System.currentTimeMillis() / 1000.0;
      List<LogRow> batch = new ArrayList<>();
      for (int i = 0; i < rowsPerSecond / 10; i++) {
        calls++;
        batch.add(call("scale-" + random.nextInt(sessions), now + calls * 1e-6));
      }
      if (!batch.isEmpty()) {
        table.insert(server, batch);
      }
      Thread.sleep(100);
    }
    cost.jvmCpuMillis += (jvmCpuNanos() - cpu) / 1_000_000;
    cost.serverCpuMillis += (serverCpuNanos() - serverCpu) / 1_000_000;
    cost.polls += hub.polls() - polls;
    cost.requests += source.requests.get() - requests;
    return calls;
  }

  @TearDown(Level.Trial)
  public void tearDown() {
    if (draining != null) {
      draining.interrupt();
    }
    if (hub != null) {
      hub.close();
    }
    if (source != null) {
      source.store.close();
    }
    if (server != null) {
      if (!server.isLocal()) {
        server.execute("DROP TABLE IF EXISTS " + server.qualified(table.name()));
      }
      server.close();
    }
  }
}
