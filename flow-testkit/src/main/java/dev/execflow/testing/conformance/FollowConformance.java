package dev.execflow.testing.conformance;

import static org.assertj.core.api.Assertions.assertThat;

import dev.execflow.spi.CursorTail;
import dev.execflow.spi.LogRow;
import dev.execflow.spi.LogSource;
import dev.execflow.spi.MutableLogRow;
import dev.execflow.spi.SessionCursor;
import dev.execflow.spi.SessionQuery;
import dev.execflow.spi.SessionTail;
import dev.execflow.spi.TailSink;
import dev.execflow.testing.LogRows;
import dev.execflow.testing.SessionGenerator;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Random;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * Following a running session ({@link dev.execflow.spi.LogSource#tail}): rows loaded between polls
 * come with the next poll, each exactly once, also when rows of one timestamp are split across
 * loads or a row becomes visible late within the look-back window; a tail resumed from a cursor
 * starts after it. Each load is one more write to the store (an INSERT, another file).
 */
public abstract class FollowConformance extends ConformanceFamily {
  /** The window the tests use; late rows are loaded well inside it. */
  protected static final Duration LOOK_BACK = SessionTail.DEFAULT_LOOK_BACK;

  private final List<SessionTail> tails = new ArrayList<>();

  @AfterEach
  void closeTails() {
    tails.forEach(SessionTail::close);
    tails.clear();
  }

  /** A tail of {@code sessionId} after {@code after}, closed after the test. */
  protected SessionTail tail(String sessionId, SessionCursor after) {
    SessionTail tail = source().tail(sessionId, after, LOOK_BACK);
    tails.add(tail);
    return tail;
  }

  /** Collects what a poll delivers, as row keys (copies of the flyweights). */
  protected static final class Collected implements TailSink {
    public final List<LogRow> rows = new ArrayList<>();
    public final List<String> warnings = new ArrayList<>();
    public int restarts;

    @Override public void accept(LogRow row) {
      rows.add(new MutableLogRow().copyFrom(row));
    }

    @Override public void warning(String kind, String detail) {
      warnings.add(kind + ": " + detail);
    }

    @Override public void restart(String reason) {
      restarts++;
      rows.clear();
    }

  }

  /** The rows as column maps, content left out where the store may cut it. */
  private List<Map<String, Object>> keysOf(List<? extends LogRow> rows) {
    boolean content = backend().deliversFullContent();
    return rows.stream().map(r -> LogRows.asMap(r, content)).toList();
  }

  private static List<LogRow> rows(String sessionId, double start, int n, String phase) {
    List<LogRow> rows = new ArrayList<>();
    for (int i = 0; i < n; i++) {
      rows.add(new MutableLogRow().timestamp(start + i).sessionId(sessionId).traceId(sessionId + ":" + phase + i)
          .nodeType("agent").role("assistant").phaseName(phase).cost(0.001).copy());
    }
    return rows;
  }

  @Test
  protected void aTailDeliversEveryRowOfTheSessionOnce() {
    String sessionId = uniqueId("follow-all");
    List<LogRow> loaded = loadSample("soundings", sessionId, null);
    Collected got = new Collected();

    long n = tail(sessionId, SessionCursor.START).poll(got);

    assertThat(n).isEqualTo(loaded.size());
    assertThat(keysOf(got.rows)).containsExactlyInAnyOrderElementsOf(keysOf(loaded));
    assertThat(foldOf(got.rows)).isEqualTo(fold(sessionId));
  }

  @Test
  protected void aPollWithNothingNewDeliversNothing() {
    String sessionId = uniqueId("follow-idle");
    loadSample("simple", sessionId, null);
    SessionTail tail = tail(sessionId, SessionCursor.START);
    tail.poll(new Collected());
    Collected again = new Collected();

    assertThat(tail.poll(again)).isZero();
    assertThat(again.rows).isEmpty();
    assertThat(again.warnings).isEmpty();
  }

  @Test
  protected void rowsLoadedAfterAPollComeWithTheNextPollAndOnlyThose() {
    String sessionId = uniqueId("follow-next");
    List<LogRow> first = rows(sessionId, 1_700_000_000.0, 5, "draft");
    List<LogRow> second = rows(sessionId, 1_700_000_010.0, 4, "review");
    backend().load(first);
    SessionTail tail = tail(sessionId, SessionCursor.START);
    Collected one = new Collected();
    tail.poll(one);
    backend().load(second);
    Collected two = new Collected();

    tail.poll(two);

    assertThat(keysOf(one.rows)).containsExactlyElementsOf(keysOf(first));
    assertThat(keysOf(two.rows)).containsExactlyElementsOf(keysOf(second));
  }

  @Test
  protected void rowsOfOneTimestampSplitAcrossLoadsAreNeitherSkippedNorRepeated() {
    String sessionId = uniqueId("follow-ties");
    double t = 1_700_000_100.0;
    List<LogRow> tie = new ArrayList<>();
    for (int i = 0; i < 6; i++) {
      // keys deliberately out of key order across the two loads
      tie.add(new MutableLogRow().timestamp(t).sessionId(sessionId).traceId(sessionId + ":" + (char) ('f' - i))
          .nodeType("agent").role("assistant").phaseName("draft").cost(0.001).copy());
    }
    backend().load(tie.subList(0, 3));
    SessionTail tail = tail(sessionId, SessionCursor.START);
    Collected one = new Collected();
    tail.poll(one);
    List<LogRow> rest = new ArrayList<>(tie.subList(3, 6));
    rest.addAll(rows(sessionId, t + 1, 2, "draft"));
    backend().load(rest);
    Collected two = new Collected();

    tail.poll(two);

    assertThat(keysOf(one.rows)).containsExactlyInAnyOrderElementsOf(keysOf(tie.subList(0, 3)));
    assertThat(keysOf(two.rows)).containsExactlyInAnyOrderElementsOf(keysOf(rest));
  }

  @Test
  protected void aRowVisibleLateWithinTheLookBackIsDeliveredOnce() {
    String sessionId = uniqueId("follow-late");
    double t = 1_700_000_200.0;
    backend().load(rows(sessionId, t, 4, "draft"));
    SessionTail tail = tail(sessionId, SessionCursor.START);
    tail.poll(new Collected());
    // written at t+1.5 but visible only after the row at t+3 was read
    List<LogRow> late = List.of(new MutableLogRow().timestamp(t + 1.5).sessionId(sessionId)
        .traceId(sessionId + ":late").nodeType("agent").role("assistant").phaseName("draft").cost(0.002).copy());
    backend().load(late);
    Collected two = new Collected();
    Collected three = new Collected();

    tail.poll(two);
    tail.poll(three);

    assertThat(keysOf(two.rows)).containsExactlyElementsOf(keysOf(late));
    assertThat(three.rows).isEmpty();
  }

  @Test
  protected void aSessionWithoutRowsYetIsFollowedUntilItsRowsCome() {
    String sessionId = uniqueId("follow-empty");
    SessionTail tail = tail(sessionId, SessionCursor.START);
    Collected before = new Collected();
    tail.poll(before);
    List<LogRow> rows = rows(sessionId, 1_700_000_300.0, 3, "draft");
    backend().load(rows);
    Collected after = new Collected();

    tail.poll(after);

    assertThat(before.rows).isEmpty();
    assertThat(tail.cursor()).isNotEqualTo(SessionCursor.START);
    assertThat(keysOf(after.rows)).containsExactlyElementsOf(keysOf(rows));
  }

  @Test
  protected void theCursorIsTheLastRowDelivered() {
    String sessionId = uniqueId("follow-cursor");
    List<LogRow> rows = rows(sessionId, 1_700_000_400.0, 3, "draft");
    backend().load(rows);
    SessionTail tail = tail(sessionId, SessionCursor.START);

    tail.poll(new Collected());

    assertThat(tail.cursor()).isEqualTo(SessionCursor.at(rows.get(2)));
  }

  @Test
  protected void aTailResumedFromACursorDeliversOnlyWhatCameAfterIt() {
    String sessionId = uniqueId("follow-resume");
    List<LogRow> first = rows(sessionId, 1_700_000_500.0, 4, "draft");
    backend().load(first);
    SessionTail tail = tail(sessionId, SessionCursor.START);
    tail.poll(new Collected());
    String saved = tail.cursor().encode();
    List<LogRow> second = rows(sessionId, 1_700_000_510.0, 3, "review");
    backend().load(second);
    Collected resumed = new Collected();

    tail(sessionId, SessionCursor.decode(saved)).poll(resumed);

    assertThat(keysOf(resumed.rows)).containsExactlyElementsOf(keysOf(second));
  }

  @Test
  protected void rowsOfOtherSessionsAreNeverDelivered() {
    String sessionId = uniqueId("follow-own");
    String other = sessionId + "-other";
    SessionTail tail = tail(sessionId, SessionCursor.START);
    backend().load(rows(other, 1_700_000_600.0, 3, "draft"));
    List<LogRow> own = rows(sessionId, 1_700_000_600.0, 2, "draft");
    backend().load(own);
    Collected got = new Collected();

    tail.poll(got);

    assertThat(keysOf(got.rows)).containsExactlyElementsOf(keysOf(own));
  }

  @Test
  protected void aGeneratedSessionLoadedInBurstsFoldsToTheWholeSessionsFold() {
    String sessionId = uniqueId("follow-bursts");
    List<LogRow> all = new SessionGenerator(33).withSessionId(sessionId).withCascadeId("generated_cascade")
        .materialize(3_000);
    Random random = new Random(33);
    SessionTail tail = tail(sessionId, SessionCursor.START);
    Collected got = new Collected();
    int at = 0;
    while (at < all.size()) {
      int burst = Math.min(all.size() - at, 1 + random.nextInt(600));
      backend().load(all.subList(at, at + burst));
      at += burst;
      tail.poll(got);
    }
    tail.poll(got);

    assertThat(got.rows).hasSize(all.size());
    assertThat(foldOf(got.rows)).isEqualTo(fold(sessionId));
  }

  @Test
  protected void readingSeveralSessionsAtOnceDeliversEachSessionsRangeToItsOwnSink() {
    String a = uniqueId("follow-many-a");
    String b = uniqueId("follow-many-b");
    List<LogRow> rowsA = rows(a, 1_700_000_700.0, 4, "draft");
    List<LogRow> rowsB = rows(b, 1_700_000_700.0, 5, "review");
    backend().load(rowsA);
    backend().load(rowsB);
    Collected gotA = new Collected();
    Collected gotB = new Collected();

    long n = source().readSessions(List.of(SessionQuery.of(a), SessionQuery.of(b).from(1_700_000_702.0)),
        id -> id.equals(a) ? gotA : gotB);

    assertThat(n).isEqualTo(4 + 3);
    assertThat(keysOf(gotA.rows)).containsExactlyElementsOf(keysOf(rowsA));
    assertThat(keysOf(gotB.rows)).containsExactlyElementsOf(keysOf(rowsB.subList(2, 5)));
  }

  @Test
  protected void cursorTailsPolledTogetherDeliverWhatTheirOwnPollsWould() {
    String a = uniqueId("follow-together-a");
    String b = uniqueId("follow-together-b");
    LogSource source = source();
    CursorTail tailA = new CursorTail(source, a, SessionCursor.START, LOOK_BACK);
    CursorTail tailB = new CursorTail(source, b, SessionCursor.START, LOOK_BACK);
    Collected gotA = new Collected();
    Collected gotB = new Collected();
    List<LogRow> first = rows(a, 1_700_000_800.0, 3, "draft");
    backend().load(first);
    CursorTail.pollAll(source, List.of(tailA, tailB), List.of(gotA, gotB));
    List<LogRow> late = List.of(new MutableLogRow().timestamp(1_700_000_801.5).sessionId(a).traceId(a + ":late")
        .nodeType("agent").role("assistant").phaseName("draft").cost(0.002).copy());
    List<LogRow> ofB = rows(b, 1_700_000_800.0, 2, "review");
    backend().load(late);
    backend().load(ofB);

    long[] fresh = CursorTail.pollAll(source, List.of(tailA, tailB), List.of(gotA, gotB));

    assertThat(fresh).containsExactly(1, 2);
    List<LogRow> allA = new ArrayList<>(first);
    allA.addAll(late);
    assertThat(keysOf(gotA.rows)).containsExactlyElementsOf(keysOf(allA));
    assertThat(keysOf(gotB.rows)).containsExactlyElementsOf(keysOf(ofB));
  }
}
