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
}
