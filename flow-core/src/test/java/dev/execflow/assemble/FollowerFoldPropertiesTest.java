package dev.execflow.assemble;

import static dev.execflow.Theories.theories;
import static org.assertj.core.api.Assertions.assertThat;
import static org.quicktheories.generators.SourceDSL.integers;
import static org.quicktheories.generators.SourceDSL.lists;
import static org.quicktheories.generators.SourceDSL.longs;

import dev.execflow.follow.FollowOptions;
import dev.execflow.follow.SessionFollower;
import dev.execflow.spi.LogRow;
import dev.execflow.spi.MutableLogRow;
import dev.execflow.spi.SessionCursor;
import dev.execflow.spi.SessionTail;
import dev.execflow.spi.TailSink;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.quicktheories.core.Gen;

/**
 * The follower's law: however a session's rows are cut into polls (between or within runs of
 * equal timestamps), and whether rows of the window became visible late, the follower's state is
 * the one-pass fold of the rows.
 */
class FollowerFoldPropertiesTest {
  /** Rows of a random session; the grace never ends, so every batch is folded. */
  private static final FollowOptions OPTIONS = FollowOptions.defaults().toBuilder()
      .clock(Clock.fixed(Instant.ofEpochSecond(1000), ZoneOffset.UTC)).grace(Duration.ofDays(1)).build();

  private static Gen<List<Long>> seeds() {
    return lists().of(longs().all()).ofSizeBetween(0, 120);
  }

  private static Gen<List<Integer>> batchSizes() {
    return lists().of(integers().between(0, 30)).ofSizeBetween(1, 12);
  }

  /** A tail that hands out the batches it was given, one per poll. */
  private static final class Batches implements SessionTail {
    private final List<List<MutableLogRow>> batches;
    private final boolean late;
    private int next;

    Batches(List<List<MutableLogRow>> batches, boolean late) {
      this.batches = batches;
      this.late = late;
    }

    @Override public long poll(TailSink sink) {
      if (next >= batches.size()) {
        return 0;
      }
      List<MutableLogRow> batch = batches.get(next++);
      batch.forEach(sink::accept);
      return batch.size();
    }

    @Override public SessionCursor cursor() {
      return SessionCursor.START;
    }

    @Override public boolean deliversLateRows() {
      return late;
    }

    boolean done() {
      return next >= batches.size();
    }
  }

  private static List<List<MutableLogRow>> cut(List<MutableLogRow> rows, List<Integer> sizes) {
    List<List<MutableLogRow>> out = new ArrayList<>();
    int at = 0;
    for (int i = 0; at < rows.size(); i++) {
      int n = i < sizes.size() ? sizes.get(i) : rows.size() - at;
      out.add(new ArrayList<>(rows.subList(at, Math.min(rows.size(), at + n))));
      at += n;
    }
    return out;
  }

  private static dev.execflow.model.ExecutionData follow(List<List<MutableLogRow>> batches, boolean late,
      FollowOptions options) {
    Batches tail = new Batches(batches, late);
    SessionFollower follower = new SessionFollower(tail, "s", options);
    follower.poll();
    while (!tail.done()) {
      follower.poll();
    }
    return follower.executionData();
  }

  @Test
  void aFollowerFedInRandomBatchesHasTheOnePassFold() {
    theories(300).forAll(seeds(), batchSizes()).checkAssert((seeds, sizes) -> {
      List<MutableLogRow> rows = RandomSessions.rows(seeds, true);

      assertThat(follow(cut(rows, sizes), false, OPTIONS)).isEqualTo(RandomSessions.fold(rows).snapshot());
    });
  }

  @Test
  void aFollowerThatKeepsRowsOpenForLateOnesHasTheOnePassFoldToo() {
    FollowOptions shortWindow = OPTIONS.toBuilder().lookBack(Duration.ofMillis(500)).build();
    theories(300).forAll(seeds(), batchSizes()).checkAssert((seeds, sizes) -> {
      List<MutableLogRow> rows = RandomSessions.rows(seeds, true);

      assertThat(follow(cut(rows, sizes), true, shortWindow)).isEqualTo(RandomSessions.fold(rows).snapshot());
    });
  }

  @Test
  void rowsThatBecomeVisibleLateWithinTheWindowAreFoldedWhereAFullReadPutsThem() {
    FollowOptions wideWindow = OPTIONS.toBuilder().lookBack(Duration.ofDays(1)).build();
    theories(300).forAll(seeds(), batchSizes(), lists().of(integers().between(0, 2)).ofSize(120))
        .checkAssert((seeds, sizes, delays) -> {
          List<MutableLogRow> rows = RandomSessions.rows(seeds, false, true);
          List<List<MutableLogRow>> batches = cut(rows, sizes);
          // each row may show up one or two polls late
          List<List<MutableLogRow>> seen = new ArrayList<>();
          batches.forEach(b -> seen.add(new ArrayList<>()));
          seen.add(new ArrayList<>());
          seen.add(new ArrayList<>());
          int k = 0;
          for (int b = 0; b < batches.size(); b++) {
            for (MutableLogRow row : batches.get(b)) {
              seen.get(b + delays.get(k++ % delays.size())).add(row);
            }
          }

          assertThat(follow(seen, true, wideWindow)).isEqualTo(RandomSessions.fold(rows).snapshot());
        });
  }

  @Test
  void copyingAFoldByMergingItWithNothingLeavesItAsItWas() {
    theories(200).forAll(seeds(), integers().between(0, 120)).checkAssert((seeds, cut) -> {
      List<MutableLogRow> rows = RandomSessions.rows(seeds, true);
      int at = Math.min(cut, rows.size());
      ExecutionAssembler a = RandomSessions.fold(rows.subList(0, at));
      ExecutionAssembler copy = ExecutionAssembler.merge(a, new ExecutionAssembler());
      for (LogRow row : rows.subList(at, rows.size())) {
        copy.accept(row);
      }

      assertThat(copy.snapshot()).isEqualTo(RandomSessions.fold(rows).snapshot());
    });
  }
}
