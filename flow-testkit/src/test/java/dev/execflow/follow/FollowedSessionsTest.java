package dev.execflow.follow;

import static org.assertj.core.api.Assertions.assertThat;
import static org.quicktheories.generators.SourceDSL.integers;
import static org.quicktheories.generators.SourceDSL.lists;

import dev.execflow.assemble.ExecutionAssembler;
import dev.execflow.model.ExecutionData;
import dev.execflow.model.Status;
import dev.execflow.source.jsonl.JsonlLogSource;
import dev.execflow.source.jsonl.JsonlWriter;
import dev.execflow.spi.LogRow;
import dev.execflow.spi.MutableLogRow;
import dev.execflow.spi.SessionCursor;
import dev.execflow.spi.SessionQuery;
import dev.execflow.spi.SessionTail;
import dev.execflow.spi.TailSink;
import dev.execflow.testing.Samples;
import dev.execflow.testing.SessionGenerator;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneId;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.MethodSource;
import org.quicktheories.QuickTheory;

/**
 * The samples and generated sessions, followed while they are written, end in {@code final} with
 * exactly the batch fold of their rows: through a JSONL file appended to in random chunks, and
 * through a tail that delivers random batches (rows of one timestamp split across them).
 */
class FollowedSessionsTest {
  @TempDir Path dir;

  /** A clock that stands where the writer is: at the newest row written. */
  private static final class WriterClock extends Clock {
    Instant now = Instant.EPOCH;

    void at(double epochSeconds) {
      Instant t = Instant.ofEpochMilli((long) Math.ceil(epochSeconds * 1000));
      if (t.isAfter(now)) {
        now = t;
      }
    }

    @Override public Instant instant() {
      return now;
    }

    @Override public ZoneId getZone() {
      return ZoneOffset.UTC;
    }

    @Override public Clock withZone(ZoneId zone) {
      return this;
    }
  }

  static List<String> samples() {
    return Samples.names();
  }

  private static List<LogRow> rowsOf(String sample) {
    List<LogRow> rows = new ArrayList<>();
    try (var source = Samples.source(sample)) {
      source.read(SessionQuery.of(Samples.sessionId(sample)), r -> rows.add(new MutableLogRow().copyFrom(r)));
    }
    return rows;
  }

  private static ExecutionData batchFold(List<? extends LogRow> rows) {
    ExecutionAssembler a = new ExecutionAssembler();
    rows.forEach(a::accept);
    return a.snapshot();
  }

  private static byte[] jsonl(List<? extends LogRow> rows) {
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    try (JsonlWriter writer = new JsonlWriter(out)) {
      rows.forEach(writer::accept);
    }
    return out.toByteArray();
  }

  /**
   * Appends {@code bytes} to a file in random chunks, polling after each, with the clock at the
   * newest whole row; then lets the grace period pass. Returns the events.
   */
  private List<FollowEvent> followGrowingFile(String sessionId, List<? extends LogRow> rows, long seed)
      throws IOException {
    Path file = dir.resolve(sessionId + ".jsonl");
    Files.write(file, new byte[0]);
    WriterClock clock = new WriterClock();
    clock.at(rows.get(0).timestamp());
    FollowOptions options = FollowOptions.defaults().toBuilder().clock(clock).build();
    List<FollowEvent> events = new ArrayList<>();
    try (SessionFollower follower = SessionFollower.open(JsonlLogSource.open(file), sessionId, options)) {
      appendInChunks(file, rows, rows.size(), new Random(seed), clock, follower, events);
      letTheGracePass(clock, follower, events);
    }
    return events;
  }

  /** Appends the first {@code n} of {@code rows} to {@code file} in random chunks, polling after each. */
  private static void appendInChunks(Path file, List<? extends LogRow> rows, int n, Random random, WriterClock clock,
      SessionFollower follower, List<FollowEvent> events) throws IOException {
    byte[] bytes = jsonl(rows.subList(0, n));
    int at = 0;
    while (at < bytes.length) {
      int chunk = Math.min(bytes.length - at, 1 + random.nextInt(Math.max(2, bytes.length / 8)));
      try (OutputStream out = Files.newOutputStream(file, StandardOpenOption.APPEND)) {
        out.write(bytes, at, chunk);
      }
      at += chunk;
      if (!Double.isInfinite(newestWhole(bytes, at, rows))) {
        clock.at(newestWhole(bytes, at, rows));
      }
      events.addAll(follower.poll());
    }
  }

  private static void letTheGracePass(WriterClock clock, SessionFollower follower, List<FollowEvent> events) {
    for (int i = 0; i < 40 && !follower.isFinished(); i++) {
      clock.now = clock.now.plusMillis(500);
      events.addAll(follower.poll());
    }
  }

  /** The time of the newest row whose line is whole in the first {@code n} bytes. */
  private static double newestWhole(byte[] bytes, int n, List<? extends LogRow> rows) {
    int lines = 0;
    for (int i = 0; i < n; i++) {
      if (bytes[i] == '\n') {
        lines++;
      }
    }
    double newest = Double.NEGATIVE_INFINITY;
    for (int i = 0; i < lines; i++) {
      newest = Math.max(newest, rows.get(i).timestamp());
    }
    return newest;
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("samples")
  void aSampleWrittenInChunksIsFollowedToExactlyItsBatchFold(String sample) throws IOException {
    List<LogRow> rows = rowsOf(sample);

    List<FollowEvent> events = followGrowingFile(Samples.sessionId(sample), rows, sample.hashCode());

    assertThat(events.get(0).type()).isEqualTo(EventType.SNAPSHOT);
    ExecutionData batch = batchFold(rows);
    if (batch.summary().status() == Status.RUNNING) {
      assertThat(events).noneMatch(FollowEvent::isFinal);
    } else {
      FollowEvent last = events.get(events.size() - 1);
      assertThat(last.type()).isEqualTo(EventType.FINAL);
      assertThat(last.executionData()).isEqualTo(batch);
    }
    assertThat(events).extracting(FollowEvent::id).isSorted().doesNotHaveDuplicates();
  }

  @ParameterizedTest(name = "seed {0}, {1} rows")
  @CsvSource({"11, 500", "12, 3000", "13, 20000"})
  void aGeneratedSessionWrittenInChunksIsFollowedToExactlyItsBatchFold(long seed, int size) throws IOException {
    String id = "gen-" + seed;
    List<LogRow> rows = new SessionGenerator(seed).withSessionId(id).withOutcome(Status.COMPLETED).materialize(size);

    List<FollowEvent> events = followGrowingFile(id, rows, seed);

    FollowEvent last = events.get(events.size() - 1);
    assertThat(last.type()).isEqualTo(EventType.FINAL);
    assertThat(last.executionData()).isEqualTo(batchFold(rows));
  }

  @org.junit.jupiter.api.Test
  void aFileTruncatedMidFollowIsAWarningAndTheFollowStartsCleanlyOverWithWhatItNowHolds() throws IOException {
    // half of one run is written, then the file is cut to its first line and another run of the
    // same session id is written into it (a log started over in place)
    List<LogRow> before = new SessionGenerator(31).withSessionId("cut").withOutcome(Status.RUNNING).materialize(3_000);
    List<LogRow> after = new SessionGenerator(32).withSessionId("cut").withOutcome(Status.COMPLETED).materialize(2_000);
    Path file = dir.resolve("cut.jsonl");
    Files.write(file, new byte[0]);
    WriterClock clock = new WriterClock();
    clock.at(before.get(0).timestamp());
    FollowOptions options = FollowOptions.defaults().toBuilder().clock(clock).build();
    List<FollowEvent> events = new ArrayList<>();
    Random random = new Random(31);
    try (SessionFollower follower = SessionFollower.open(JsonlLogSource.open(file), "cut", options)) {
      appendInChunks(file, before, 1_500, random, clock, follower, events);
      int beforeCut = events.size();

      Files.write(file, jsonl(after.subList(0, 1)));
      appendInChunks(file, after.subList(1, after.size()), after.size() - 1, random, clock, follower, events);
      letTheGracePass(clock, follower, events);

      List<FollowEvent> afterCut = events.subList(beforeCut, events.size());
      assertThat(afterCut.get(0).type()).as("a new snapshot starts the follow over").isEqualTo(EventType.SNAPSHOT);
      FollowEvent last = events.get(events.size() - 1);
      assertThat(last.type()).isEqualTo(EventType.FINAL);
      ExecutionData data = last.executionData();
      assertThat(data.warnings().byKind()).containsExactly(java.util.Map.entry("follow_restarted", 1L));
      ExecutionData batch = batchFold(after);
      assertThat(data.withOverlay(data.phases(), data.summary(), data.edges(), batch.warnings()))
          .as("the rows of the file as it now is, nothing of the run cut away").isEqualTo(batch);
      assertThat(follower.rowsRead()).isEqualTo(1_500 + after.size());
      assertThat(events).extracting(FollowEvent::id).isSorted().doesNotHaveDuplicates();
    }
  }

  /** Delivers the given batches, one per poll; as a store with late visibility would. */
  private static final class Batches implements SessionTail {
    private final List<List<LogRow>> batches;
    private int next;

    Batches(List<List<LogRow>> batches) {
      this.batches = batches;
    }

    @Override public long poll(TailSink sink) {
      if (next >= batches.size()) {
        return 0;
      }
      List<LogRow> b = batches.get(next++);
      b.forEach(sink::accept);
      return b.size();
    }

    @Override public SessionCursor cursor() {
      return SessionCursor.START;
    }

    @Override public boolean deliversLateRows() {
      return true;
    }
  }

  /** The generator's rows with times cut to whole seconds: runs of equal timestamps. */
  private static List<LogRow> withTies(List<LogRow> rows) {
    List<LogRow> out = new ArrayList<>();
    rows.forEach(r -> out.add(new MutableLogRow().copyFrom(r).timestamp(Math.floor(r.timestamp()))));
    return out;
  }

  @org.junit.jupiter.api.Test
  void generatedSessionsWithTiesInRandomBatchesEndInFinalWithTheirBatchFold() {
    QuickTheory.qt().withFixedSeed(0x5EED_2026L).withExamples(40)
        .forAll(integers().between(1, 10_000), integers().between(50, 1500),
            lists().of(integers().between(1, 200)).ofSizeBetween(1, 30))
        .checkAssert((seed, size, sizes) -> {
          List<LogRow> rows = withTies(new SessionGenerator(seed).withSessionId("g").withOutcome(Status.COMPLETED)
              .materialize(size));
          List<List<LogRow>> batches = new ArrayList<>();
          int at = 0;
          for (int i = 0; at < rows.size(); i++) {
            int n = i < sizes.size() ? sizes.get(i) : rows.size() - at;
            batches.add(rows.subList(at, Math.min(rows.size(), at + n)));
            at += n;
          }
          WriterClock clock = new WriterClock();
          FollowOptions options = FollowOptions.defaults().toBuilder().clock(clock).build();
          SessionFollower follower = new SessionFollower(new Batches(batches), "g", options);
          FollowEvent last = null;
          for (List<LogRow> b : batches) {
            b.forEach(r -> clock.at(r.timestamp()));
            for (FollowEvent e : follower.poll()) {
              last = e;
            }
          }
          for (int i = 0; i < 40 && !follower.isFinished(); i++) {
            clock.now = clock.now.plus(Duration.ofMillis(500));
            for (FollowEvent e : follower.poll()) {
              last = e;
            }
          }

          assertThat(last).isNotNull();
          assertThat(last.type()).isEqualTo(EventType.FINAL);
          assertThat(last.executionData()).isEqualTo(batchFold(rows));
        });
  }
}
