package dev.execflow.jmh;

import dev.execflow.follow.EventType;
import dev.execflow.follow.FollowEvent;
import dev.execflow.follow.FollowHub;
import dev.execflow.follow.FollowOptions;
import dev.execflow.source.clickhouse.ClickHouseLogSource;
import dev.execflow.source.clickhouse.testing.ClickHouseServer;
import dev.execflow.source.clickhouse.testing.LogTable;
import dev.execflow.source.jsonl.JsonlLogSource;
import dev.execflow.source.jsonl.JsonlWriter;
import dev.execflow.spi.LogRow;
import dev.execflow.spi.LogSource;
import dev.execflow.spi.MutableLogRow;
import java.io.IOException;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.time.Duration;
import java.util.List;
import java.util.Random;
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
 * Latency from writing a row to the event an SSE stream sends for it, at the default follow
 * options (poll every 500 ms while rows arrive, up to 2 s idle): per operation one priced LLM call
 * row is written (an INSERT into a real ClickHouse, or a line appended to a JSONL file) and the
 * operation ends when a {@link FollowHub} subscription (what {@code /api/session/{id}/events}
 * writes from) yields its {@code cost} event. Between operations the writer pauses 0–500 ms at
 * random (outside the measured time), as rows of a running cascade arrive; so the result is the
 * distribution a viewer sees (SampleTime: p50, p99).
 */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.SampleTime)
@OutputTimeUnit(TimeUnit.MILLISECONDS)
@Warmup(iterations = 1, time = 10)
@Measurement(iterations = 3, time = 20)
@Fork(value = 1, jvmArgsAppend = {"-Xms512m", "-Xmx512m", "-XX:+AlwaysPreTouch"})
public class FollowLatencyBenchmark {
  @Param({"clickhouse", "jsonl"})
  public String store;

  private ClickHouseServer server;
  private LogTable table;
  private Path file;
  private LogSource source;
  private FollowHub hub;
  private FollowHub.Subscription events;
  private final Random random = new Random(7);
  private long calls;
  private double totalCost;

  @Setup(Level.Trial)
  public void setUp() throws InterruptedException {
    if (store.equals("clickhouse")) {
      String reason = ClickHouseBenchmark.unavailableReason();
      if (reason != null) {
        throw new IllegalStateException("FollowLatencyBenchmark needs a server: " + reason);
      }
      ClickHouseServer remote = ClickHouseServer.fromEnvironment();
      server = remote != null ? remote : ClickHouseServer.startLocal();
      table = LogTable.windlass("jmh_latency").create(server);
      source = ClickHouseLogSource.builder().endpoint(server.url()).credentials(server.user(), server.password())
          .table(server.database(), table.name()).build();
    } else {
      try {
        file = Files.createTempFile("execflow-latency-", ".jsonl");
      } catch (IOException e) {
        throw new UncheckedIOException(e);
      }
      source = JsonlLogSource.open(file);
    }
    double now = System.currentTimeMillis() / 1000.0;
    write(List.of(
        new MutableLogRow().timestamp(now).sessionId("lat").traceId("root").nodeType("cascade").role("system")
            .cascadeId("latency"),
        new MutableLogRow().timestamp(now).sessionId("lat").traceId("p").nodeType("phase").role("phase_start")
            .phaseName("work")));
    hub = new FollowHub(source, FollowOptions.defaults());
    events = hub.follow("lat", null);
    if (events.next(Duration.ofSeconds(30)) == null) {
      throw new IllegalStateException("no snapshot");
    }
  }

  private void write(List<LogRow> rows) {
    if (table != null) {
      table.insert(server, rows);
      return;
    }
    try (OutputStream out = Files.newOutputStream(file, StandardOpenOption.APPEND);
        JsonlWriter writer = new JsonlWriter(out)) {
      rows.forEach(writer::accept);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  /** Rows of a running cascade come at irregular times. */
  @Setup(Level.Invocation)
  public void pause() throws InterruptedException {
    Thread.sleep(random.nextInt(500));
  }

  @Benchmark
  public FollowEvent insertToEvent() throws InterruptedException {
    calls++;
    double now = System.currentTimeMillis() / 1000.0;
    write(List.of(new MutableLogRow().timestamp(now).sessionId("lat").traceId("call-" + calls).nodeType("agent")
        .role("assistant").phaseName("work").cost(0.001)));
    totalCost = Math.round((totalCost + 0.001) * 1e6) / 1e6;
    while (true) {
      FollowEvent e = events.next(Duration.ofSeconds(30));
      if (e == null) {
        throw new IllegalStateException("no event for call " + calls + " within 30 s");
      }
      if (e.type() == EventType.COST && e.totalCost() != null && e.totalCost() >= totalCost - 1e-9) {
        return e;
      }
    }
  }

  @TearDown(Level.Trial)
  public void tearDown() throws IOException {
    if (events != null) {
      events.close();
    }
    if (hub != null) {
      hub.close();
    }
    if (source != null) {
      source.close();
    }
    if (server != null) {
      server.close();
    }
    if (file != null) {
      Files.deleteIfExists(file);
    }
  }
}
