package dev.execflow.follow;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.execflow.source.jsonl.JsonlLogSource;
import dev.execflow.spi.LogSource;
import dev.execflow.spi.RowSink;
import dev.execflow.spi.SessionQuery;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Many readers, one follower per session: a real JSONL file being appended to. */
class FollowHubTest {
  @TempDir Path dir;
  private FollowHub hub;

  private static final FollowOptions FAST = FollowOptions.defaults().toBuilder()
      .interval(Duration.ofMillis(20)).idleInterval(Duration.ofMillis(40)).grace(Duration.ofMillis(200)).build();

  /** A store read through its time ranges (the cursor tail), counting the reads. */
  private static final class CountingSource implements LogSource {
    final LogSource store;
    final AtomicLong reads = new AtomicLong();

    CountingSource(LogSource store) {
      this.store = store;
    }

    @Override public long read(SessionQuery query, RowSink sink) {
      reads.incrementAndGet();
      return store.read(query, sink);
    }
  }

  /** A store that reads many sessions with one request (as ClickHouse does), counting requests. */
  private static final class BatchingSource implements LogSource {
    final LogSource store;
    final AtomicLong reads = new AtomicLong();
    final AtomicLong requests = new AtomicLong();
    final AtomicLong largest = new AtomicLong();

    BatchingSource(LogSource store) {
      this.store = store;
    }

    @Override public long read(SessionQuery query, RowSink sink) {
      reads.incrementAndGet();
      return store.read(query, sink);
    }

    @Override public long readSessions(List<SessionQuery> queries, java.util.function.Function<String, RowSink> sinks) {
      requests.incrementAndGet();
      largest.accumulateAndGet(queries.size(), Math::max);
      long n = 0;
      for (SessionQuery q : queries) {
        n += store.read(q, sinks.apply(q.sessionId()));
      }
      return n;
    }
  }

  @AfterEach
  void close() {
    if (hub != null) {
      hub.close();
    }
  }

  private static String line(String session, double ts, String nodeType, String role, String phase) {
    return "{\"timestamp\": " + ts + ", \"session_id\": \"" + session + "\", \"trace_id\": \"" + session + ts
        + "\", \"node_type\": \"" + nodeType + "\", \"role\": \"" + role + "\""
        + (phase == null ? "" : ", \"phase_name\": \"" + phase + "\"") + "}\n";
  }

  private Path logs(String text) throws IOException {
    Path file = dir.resolve("logs.jsonl");
    Files.writeString(file, text);
    return file;
  }

  private static void append(Path file, String text) throws IOException {
    Files.writeString(file, text, StandardOpenOption.APPEND);
  }

  private static double now() {
    return System.currentTimeMillis() / 1000.0;
  }

  private static List<FollowEvent> take(FollowHub.Subscription s, int n) throws InterruptedException {
    List<FollowEvent> got = new ArrayList<>();
    while (got.size() < n) {
      FollowEvent e = s.next(Duration.ofSeconds(5));
      assertThat(e).as("event %d of %d", got.size() + 1, n).isNotNull();
      got.add(e);
    }
    return got;
  }

  @Test
  void twoHundredReadersOfOneSessionCauseOneReadPerTick() throws Exception {
    double t = now();
    Path file = logs(line("s1", t, "cascade", "system", null) + line("s1", t + 0.1, "phase", "phase_start", "a"));
    CountingSource source = new CountingSource(JsonlLogSource.open(file));
    hub = new FollowHub(source, FAST);
    List<FollowHub.Subscription> readers = new ArrayList<>();
    for (int i = 0; i < 200; i++) {
      readers.add(hub.follow("s1", null));
    }
    for (FollowHub.Subscription r : readers) {
      assertThat(take(r, 1).get(0).type()).isEqualTo(EventType.SNAPSHOT);
    }
    Thread.sleep(300);

    long reads = source.reads.get();
    assertThat(reads).isEqualTo(hub.polls());
    assertThat(reads).isLessThan(300 / 20 + 3);
    assertThat(hub.followedSessions()).isOne();
  }

  @Test
  void everyReaderGetsTheSameEventsInOrder() throws Exception {
    double t = now();
    Path file = logs(line("s1", t, "cascade", "system", null));
    hub = new FollowHub(JsonlLogSource.open(file), FAST);
    FollowHub.Subscription a = hub.follow("s1", null);
    FollowHub.Subscription b = hub.follow("s1", null);
    take(a, 1);
    take(b, 1);
    append(file, line("s1", t + 0.1, "phase", "phase_start", "a") + line("s1", t + 0.2, "phase", "phase_complete", "a"));

    List<FollowEvent> ofA = take(a, 2);
    List<FollowEvent> ofB = take(b, 2);

    assertThat(ofA).isEqualTo(ofB);
    assertThat(ofA).extracting(FollowEvent::type).containsExactly(EventType.PHASE_START, EventType.PHASE_COMPLETE);
  }

  @Test
  void aReaderThatResumesFromTheLastEventItSawGetsNoRepeatsAndNoGaps() throws Exception {
    double t = now();
    Path file = logs(line("s1", t, "cascade", "system", null));
    hub = new FollowHub(JsonlLogSource.open(file), FAST);
    FollowHub.Subscription first = hub.follow("s1", null);
    FollowHub.Subscription witness = hub.follow("s1", null);
    long seen = take(first, 1).get(0).id();
    take(witness, 1);
    first.close();
    append(file, line("s1", t + 0.1, "phase", "phase_start", "a") + line("s1", t + 0.2, "phase", "phase_complete", "a"));
    List<FollowEvent> missed = take(witness, 2);

    FollowHub.Subscription resumed = hub.follow("s1", seen);

    assertThat(take(resumed, 2)).isEqualTo(missed);
  }

  @Test
  void aReaderWithoutALastEventIdGetsASnapshotOfNowWithTheLastIdItCovers() throws Exception {
    double t = now();
    Path file = logs(line("s1", t, "cascade", "system", null));
    hub = new FollowHub(JsonlLogSource.open(file), FAST);
    FollowHub.Subscription early = hub.follow("s1", null);
    take(early, 1);
    append(file, line("s1", t + 0.1, "phase", "phase_start", "a"));
    FollowEvent started = take(early, 1).get(0);

    FollowEvent joined = take(hub.follow("s1", null), 1).get(0);

    assertThat(joined.type()).isEqualTo(EventType.SNAPSHOT);
    assertThat(joined.id()).isEqualTo(started.id());
    assertThat(joined.executionData().phases()).containsKey("a");
  }

  @Test
  void aReaderWhoseLastEventIdTheHubDoesNotKnowGetsASnapshot() throws Exception {
    Path file = logs(line("s1", now(), "cascade", "system", null));
    hub = new FollowHub(JsonlLogSource.open(file), FAST);
    take(hub.follow("s1", null), 1);

    FollowEvent joined = take(hub.follow("s1", 999L), 1).get(0);

    assertThat(joined.type()).isEqualTo(EventType.SNAPSHOT);
  }

  @Test
  void theFinalEndsEveryReadersStreamAndTheFollowStops() throws Exception {
    double t = now();
    Path file = logs(line("s1", t, "cascade", "system", null));
    hub = new FollowHub(JsonlLogSource.open(file), FAST, 10, Duration.ZERO, 16);
    FollowHub.Subscription reader = hub.follow("s1", null);
    take(reader, 1);
    append(file, line("s1", t + 0.1, "cascade_completed", "system", null));

    List<FollowEvent> end = take(reader, 2);

    assertThat(end).extracting(FollowEvent::type).containsExactly(EventType.CASCADE_COMPLETE, EventType.FINAL);
    assertThat(reader.next(Duration.ofMillis(50))).isNull();
    assertThat(reader.isEnded()).isTrue();
    Thread.sleep(200);
    assertThat(hub.follows("s1")).isFalse();
  }

  @Test
  void aSessionNobodyWatchesIsDroppedAfterTheLinger() throws Exception {
    Path file = logs(line("s1", now(), "cascade", "system", null));
    hub = new FollowHub(JsonlLogSource.open(file), FAST, 10, Duration.ofMillis(100), 16);
    FollowHub.Subscription reader = hub.follow("s1", null);
    take(reader, 1);

    reader.close();
    boolean followedRightAfter = hub.follows("s1");
    Thread.sleep(400);

    assertThat(followedRightAfter).isTrue();
    assertThat(hub.follows("s1")).isFalse();
  }

  @Test
  void oneSessionMoreThanTheBoundIsRefused() throws IOException {
    Path file = logs("");
    hub = new FollowHub(JsonlLogSource.open(file), FAST, 2, Duration.ofSeconds(30), 16);
    hub.follow("s1", null);
    hub.follow("s2", null);
    hub.follow("s1", null); // already followed: not one more

    assertThatThrownBy(() -> hub.follow("s3", null)).isInstanceOf(FollowHub.Full.class)
        .hasMessageContaining("2 sessions");
  }

  @Test
  void theStreamOfEverythingCarriesTheEventsOfEverySessionFollowed() throws Exception {
    double t = now();
    Path file = logs(line("s1", t, "cascade", "system", null) + line("s2", t, "cascade", "system", null));
    hub = new FollowHub(JsonlLogSource.open(file), FAST);
    FollowHub.Subscription all = hub.all();
    take(hub.follow("s1", null), 1);
    take(hub.follow("s2", null), 1);

    List<FollowEvent> got = take(all, 2);

    assertThat(got).extracting(FollowEvent::sessionId).containsExactlyInAnyOrder("s1", "s2");
  }

  @Test
  void sessionsOfASourceThatReadsManyAtOnceArePolledWithOneRequestPerRound() throws Exception {
    double t = now();
    StringBuilder text = new StringBuilder();
    for (int i = 0; i < 50; i++) {
      text.append(line("s" + i, t, "cascade", "system", null));
    }
    Path file = logs(text.toString());
    BatchingSource source = new BatchingSource(JsonlLogSource.open(file));
    hub = new FollowHub(source, FAST);
    List<FollowHub.Subscription> readers = new ArrayList<>();
    for (int i = 0; i < 50; i++) {
      readers.add(hub.follow("s" + i, null));
    }
    for (FollowHub.Subscription r : readers) {
      take(r, 1);
    }
    long requests = source.requests.get();
    Thread.sleep(500);

    assertThat(source.reads).as("no session read on its own").hasValue(0);
    assertThat(source.largest.get()).as("all due sessions in one request").isEqualTo(50);
    assertThat(source.requests.get() - requests).as("requests in 500 ms at rounds of 10 ms").isBetween(3L, 60L);
  }
}
