package dev.execflow.source.clickhouse;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import dev.execflow.assemble.AssemblyOptions;
import dev.execflow.assemble.ExecutionAssembler;
import dev.execflow.follow.EventType;
import dev.execflow.follow.FollowEvent;
import dev.execflow.follow.FollowHub;
import dev.execflow.follow.FollowOptions;
import dev.execflow.follow.SessionFollower;
import dev.execflow.model.ExecutionData;
import dev.execflow.model.Status;
import dev.execflow.source.clickhouse.testing.ClickHouseServer;
import dev.execflow.source.clickhouse.testing.ClickHouseServerExtension;
import dev.execflow.source.clickhouse.testing.LogTable;
import dev.execflow.spi.LogRow;
import dev.execflow.spi.MutableLogRow;
import dev.execflow.spi.SessionQuery;
import dev.execflow.testing.SessionGenerator;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * Following a session while a writer thread inserts it into a real ClickHouse in bursts (runs of
 * equal timestamps split across inserts): the follower ends in {@code final} with the batch fold
 * of the very rows, none lost or counted twice, also when the server restarts mid-follow.
 */
@ExtendWith(ClickHouseServerExtension.class)
class ClickHouseFollowTest {
  private static final FollowOptions OPTIONS = FollowOptions.defaults().toBuilder()
      .interval(Duration.ofMillis(50)).grace(Duration.ofSeconds(1)).build();

  /**
   * A generated session re-timed to start now and run 100 times faster, so the writer inserts
   * rows as their time comes and the follower sees a live session. Each tool result shares its
   * timestamp with the row after it: runs of equal timestamps whose order within the run does not
   * matter to the fold (a result is a leaf placed by its parent, which came earlier), since
   * ClickHouse returns rows of one timestamp in no fixed order.
   */
  private static List<LogRow> liveSession(String id, long seed, int rows) {
    List<LogRow> generated = new SessionGenerator(seed).withSessionId(id).withOutcome(Status.COMPLETED)
        .materialize(rows);
    double first = generated.get(0).timestamp();
    double start = System.currentTimeMillis() / 1000.0 + 0.5;
    List<LogRow> live = new ArrayList<>();
    double tie = Double.NaN;
    for (LogRow r : generated) {
      double ts = Double.isNaN(tie) ? start + (r.timestamp() - first) / 100 : tie;
      live.add(new MutableLogRow().copyFrom(r).timestamp(ts));
      tie = "tool_result".equals(r.nodeType()) ? ts : Double.NaN;
    }
    return live;
  }

  /**
   * Inserts {@code rows} as their time comes, in bursts of random length; about half the bursts
   * end inside a run of equal timestamps, so the run is split across two inserts. Calls {@code
   * midway} once, half-way.
   */
  private static CompletableFuture<Integer> writer(ClickHouseServer server, LogTable table, List<LogRow> rows,
      long seed, Runnable midway) {
    return CompletableFuture.supplyAsync(() -> {
      Random random = new Random(seed);
      int at = 0;
      int splits = 0;
      boolean midwayDone = false;
      while (at < rows.size()) {
        sleep(20 + random.nextInt(80));
        double now = System.currentTimeMillis() / 1000.0;
        int end = at;
        while (end < rows.size() && rows.get(end).timestamp() <= now) {
          end++;
        }
        if (end < rows.size() && end - at > 1 && random.nextBoolean()) {
          // cut inside the last run of equal timestamps, if the burst ends in one
          int runStart = end - 1;
          while (runStart > at && rows.get(runStart - 1).timestamp() == rows.get(end - 1).timestamp()) {
            runStart--;
          }
          if (runStart < end - 1) {
            end = runStart + 1 + random.nextInt(end - 1 - runStart);
            splits++;
          }
        }
        if (end == at) {
          continue;
        }
        table.insert(server, rows.subList(at, end));
        at = end;
        if (!midwayDone && at >= rows.size() / 2) {
          midwayDone = true;
          midway.run();
        }
      }
      return splits;
    });
  }

  private static void sleep(long millis) {
    try {
      Thread.sleep(millis);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException(e);
    }
  }

  /** Polls until {@code final} (or a minute), returning every event. */
  private static List<FollowEvent> followToTheEnd(SessionFollower follower) {
    List<FollowEvent> events = new ArrayList<>();
    long deadline = System.nanoTime() + Duration.ofSeconds(60).toNanos();
    while (!follower.isFinished() && System.nanoTime() < deadline) {
      events.addAll(follower.poll());
      sleep(follower.nextPollIn().toMillis());
    }
    return events;
  }

  private static ExecutionData batchFold(ClickHouseLogSource source, String id) {
    return ExecutionAssembler.assemble(source, SessionQuery.of(id), AssemblyOptions.defaults());
  }

  private static ExecutionData foldOf(List<LogRow> rows) {
    ExecutionAssembler a = new ExecutionAssembler();
    rows.forEach(a::accept);
    return a.snapshot();
  }

  @Test
  void aSessionInsertedInBurstsIsFollowedToExactlyItsBatchFold(ClickHouseServer server) {
    LogTable table = LogTable.windlass("follow_bursts").create(server);
    List<LogRow> rows = liveSession("live-1", 41, 3_000);
    try (ClickHouseLogSource source = TestServers.source(server, table.name()).build();
        SessionFollower follower = SessionFollower.open(source, "live-1", OPTIONS)) {
      CompletableFuture<Integer> writing = writer(server, table, rows, 41, () -> {});

      List<FollowEvent> events = followToTheEnd(follower);
      int splits = writing.join();

      assertThat(splits).as("runs of equal timestamps split across inserts").isPositive();
      assertThat(events.get(0).type()).isEqualTo(EventType.SNAPSHOT);
      FollowEvent last = events.get(events.size() - 1);
      assertThat(last.type()).isEqualTo(EventType.FINAL);
      assertThat(follower.rowsRead()).as("no row lost or read twice").isEqualTo(rows.size());
      assertThat(last.executionData()).isEqualTo(batchFold(source, "live-1"));
      assertThat(last.executionData().summary().rowCount()).isEqualTo(foldOf(rows).summary().rowCount());
      assertThat(last.executionData().summary().totalCost()).isEqualTo(foldOf(rows).summary().totalCost());
    }
  }

  @Test
  void aServerRestartMidFollowIsReportedAndTheFollowEndsWithTheBatchFold() {
    assumeTrue(ClickHouseServer.findBinary() != null, "needs a local clickhouse-server to restart");
    try (ClickHouseServer restarting = ClickHouseServer.startLocal()) {
      LogTable table = LogTable.windlass("follow_restart").create(restarting);
      List<LogRow> rows = liveSession("live-2", 42, 2_000);
      AtomicInteger outages = new AtomicInteger();
      try (ClickHouseLogSource source = TestServers.source(restarting, table.name()).build();
          SessionFollower follower = SessionFollower.open(source, "live-2", OPTIONS)) {
        CompletableFuture<Integer> writing = writer(restarting, table, rows, 42, () -> {
          restarting.stop();
          sleep(1_500);
          restarting.start();
          outages.incrementAndGet();
        });

        List<FollowEvent> events = followToTheEnd(follower);
        writing.join();

        assertThat(outages).hasValue(1);
        assertThat(events).filteredOn(e -> e.type() == EventType.HEARTBEAT && e.error() != null)
            .as("the outage is reported").isNotEmpty();
        FollowEvent last = events.get(events.size() - 1);
        assertThat(last.type()).isEqualTo(EventType.FINAL);
        assertThat(follower.rowsRead()).isEqualTo(rows.size());
        assertThat(last.executionData()).isEqualTo(batchFold(source, "live-2"));
      }
    }
  }

  @Test
  void sessionsFollowedThroughOneHubEndWithTheirBatchFolds(ClickHouseServer server)
      throws InterruptedException {
    LogTable table = LogTable.windlass("follow_hub").create(server);
    int sessions = 8;
    List<List<LogRow>> all = new ArrayList<>();
    for (int i = 0; i < sessions; i++) {
      all.add(liveSession("hub-" + i, 50 + i, 400));
    }
    try (ClickHouseLogSource source = TestServers.source(server, table.name()).build();
        FollowHub hub = new FollowHub(source, OPTIONS)) {
      List<FollowHub.Subscription> subscriptions = new ArrayList<>();
      for (int i = 0; i < sessions; i++) {
        subscriptions.add(hub.follow("hub-" + i, null));
      }
      List<CompletableFuture<Integer>> writers = new ArrayList<>();
      for (int i = 0; i < sessions; i++) {
        writers.add(writer(server, table, all.get(i), 60 + i, () -> {}));
      }
      writers.forEach(CompletableFuture::join);

      for (int i = 0; i < sessions; i++) {
        FollowEvent last = null;
        FollowEvent e;
        while ((e = subscriptions.get(i).next(Duration.ofSeconds(30))) != null) {
          last = e;
          if (e.isFinal()) {
            break;
          }
        }
        assertThat(last).isNotNull();
        assertThat(last.type()).as("hub-%d", i).isEqualTo(EventType.FINAL);
        assertThat(last.executionData()).as("hub-%d", i).isEqualTo(batchFold(source, "hub-" + i));
      }
    }
  }
}
