package dev.execflow.spi;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

class CursorTailTest {
  private static final Duration WINDOW = Duration.ofSeconds(5);
  private final ListSource source = new ListSource();

  private static MutableLogRow call(double ts, String trace) {
    return new MutableLogRow().timestamp(ts).sessionId("s1").traceId(trace).nodeType("agent").role("assistant")
        .phaseName("draft").cost(0.001);
  }

  /** What polls delivered. */
  private static final class Got implements TailSink {
    final List<String> traces = new ArrayList<>();
    final List<String> warnings = new ArrayList<>();

    @Override public void accept(LogRow row) {
      traces.add(row.traceId());
    }

    @Override public void warning(String kind, String detail) {
      warnings.add(kind + ": " + detail);
    }

    @Override public void restart(String reason) {
      throw new AssertionError("a cursor tail never restarts");
    }
  }

  private CursorTail tail() {
    return new CursorTail(source, "s1", SessionCursor.START, WINDOW);
  }

  @Test
  void theFirstPollReadsTheWholeSessionAndLaterPollsOnlyTheWindow() {
    for (int i = 0; i < 20; i++) {
      source.add(call(100 + i, "t" + i));
    }
    CursorTail tail = tail();
    Got got = new Got();

    assertThat(tail.poll(got)).isEqualTo(20);
    assertThat(tail.poll(got)).isZero();
    assertThat(got.traces).hasSize(20).doesNotHaveDuplicates();
  }

  @Test
  void aRowVisibleLateWithinTheWindowIsDeliveredOnce() {
    source.add(call(100, "a")).add(call(104, "b"));
    CursorTail tail = tail();
    Got got = new Got();
    tail.poll(got);
    source.add(call(101, "late"));

    tail.poll(got);
    tail.poll(got);

    assertThat(got.traces).containsExactly("a", "b", "late");
  }

  @Test
  void aRowVisibleLaterThanTheWindowIsNotSeenByTheTail() {
    source.add(call(100, "a")).add(call(110, "b"));
    CursorTail tail = tail();
    Got got = new Got();
    tail.poll(got);
    source.add(call(104, "too-late"));

    tail.poll(got);

    assertThat(got.traces).containsExactly("a", "b");
  }

  @Test
  void exactCopiesAreDeliveredAsOftenAsTheStoreHoldsThem() {
    source.add(call(100, "a"));
    CursorTail tail = tail();
    Got got = new Got();
    tail.poll(got);
    source.add(call(100, "a")).add(call(101, "b"));

    tail.poll(got);
    tail.poll(got);

    assertThat(got.traces).containsExactly("a", "a", "b");
  }

  @Test
  void rowsOfOneTimestampThatDifferOnlyOutsideTheKeyAreDifferentRows() {
    source.add(call(100, "a").cost(0.001));
    CursorTail tail = tail();
    Got got = new Got();
    tail.poll(got);
    source.add(call(100, "a").cost(0.002));

    tail.poll(got);

    assertThat(got.traces).containsExactly("a", "a");
  }

  @Test
  void aWarningThatAReReadRepeatsIsForwardedOnce() {
    source.add(call(100, "a")).add(call(101, "bad")).add(call(102, "c"));
    source.bad.add(1);
    CursorTail tail = tail();
    Got got = new Got();

    tail.poll(got);
    source.add(call(99, "earlier")); // shifts the bad row's ordinal in the next read
    tail.poll(got);

    assertThat(got.warnings).hasSize(1);
    assertThat(got.traces).containsExactly("a", "c", "earlier");
  }

  @Test
  void rowsWithoutATimestampAreDeliveredOnce() {
    source.add(call(Double.NaN, "untimed")).add(call(100, "a"));
    CursorTail tail = tail();
    Got got = new Got();
    tail.poll(got);
    source.add(call(200, "b"));

    tail.poll(got);
    tail.poll(got);

    assertThat(got.traces).containsExactly("untimed", "a", "b");
  }

  @Test
  void aReadThatBreaksMidwayIsCompletedByTheNextPollWithoutRepeats() {
    for (int i = 0; i < 6; i++) {
      source.add(call(100 + i, "t" + i));
    }
    CursorTail tail = tail();
    Got got = new Got();
    source.failAfter = 3;

    assertThatThrownBy(() -> tail.poll(got)).isInstanceOf(LogSourceException.class);
    tail.poll(got);

    assertThat(got.traces).containsExactly("t0", "t1", "t2", "t3", "t4", "t5");
  }

  @Test
  void aTailFromACursorSkipsEverythingAtOrBeforeIt() {
    source.add(call(100, "a")).add(call(100, "b")).add(call(101, "c"));
    SessionCursor afterA = SessionCursor.at(source.rows.get(0));
    CursorTail tail = new CursorTail(source, "s1", afterA, WINDOW);
    Got got = new Got();

    tail.poll(got);

    assertThat(got.traces).containsExactly("b", "c");
  }

  @Test
  void theCursorAdvancesToTheGreatestRowDelivered() {
    source.add(call(100, "b")).add(call(100, "a"));
    CursorTail tail = tail();

    tail.poll(new Got());

    assertThat(tail.cursor()).isEqualTo(SessionCursor.at(source.rows.get(0)));
  }

  @Test
  void tailsPolledTogetherAreReadWithOneRequestAndEachGetsItsOwnRows() {
    source.add(call(100, "a1")).add(call(100, "b1").sessionId("s2"));
    CursorTail one = tail();
    CursorTail two = new CursorTail(source, "s2", SessionCursor.START, WINDOW);
    Got gotOne = new Got();
    Got gotTwo = new Got();
    CursorTail.pollAll(source, List.of(one, two), List.of(gotOne, gotTwo));
    source.add(call(101, "a2")).add(call(99, "b0-late").sessionId("s2"));

    long[] fresh = CursorTail.pollAll(source, List.of(one, two), List.of(gotOne, gotTwo));

    assertThat(source.requests).isEqualTo(2);
    assertThat(source.reads).isZero();
    assertThat(fresh).containsExactly(1, 1);
    assertThat(gotOne.traces).containsExactly("a1", "a2");
    assertThat(gotTwo.traces).containsExactly("b1", "b0-late");
  }

  @Test
  void twoTailsOfOneSessionCannotBePolledTogether() {
    org.assertj.core.api.Assertions.assertThatThrownBy(
        () -> CursorTail.pollAll(source, List.of(tail(), tail()), List.of(new Got(), new Got())))
        .isInstanceOf(IllegalArgumentException.class);
  }

  @Test
  void aFirstReadOfALongSessionKeepsOnlyAWindowOfKeys() {
    for (int i = 0; i < 20_000; i++) {
      source.add(call(1000 + i * 0.1, "t" + i));
    }
    CursorTail tail = tail();
    Got got = new Got();

    tail.poll(got);
    source.add(call(1000 + 19_999 * 0.1 - 1, "late-but-in-window"));
    tail.poll(got);

    assertThat(got.traces).hasSize(20_001).doesNotHaveDuplicates();
    assertThat(tail.rememberedKeys()).as("the keys of 5 s of rows at 10 rows/s").isBetween(45, 60);
  }
}
