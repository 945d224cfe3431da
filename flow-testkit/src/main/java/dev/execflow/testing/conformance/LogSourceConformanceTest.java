package dev.execflow.testing.conformance;

import static org.assertj.core.api.Assertions.assertThat;

import dev.execflow.assemble.AssemblyOptions;
import dev.execflow.assemble.ExecutionAssembler;
import dev.execflow.json.ExecutionJson;
import dev.execflow.model.ExecutionData;
import dev.execflow.testing.Samples;
import dev.execflow.spi.LogRow;
import dev.execflow.spi.LogSource;
import dev.execflow.spi.LogSourceException;
import dev.execflow.spi.SessionListQuery;
import dev.execflow.spi.SessionPage;
import dev.execflow.spi.SessionQuery;
import dev.execflow.spi.SessionSummary;
import dev.execflow.testing.RecordingSink;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * What every {@link LogSource} must do, in the style of Zipkin's storage tests: a source holding
 * the bundled sample sessions ({@link Samples}) must give, for each of them, exactly the {@link
 * ExecutionData} the JSONL source gives for the same rows, and deliver the same rows.
 *
 * <pre>{@code
 * class MyStoreConformanceTest extends LogSourceConformanceTest {
 *   @Override protected LogSource sourceWithSamples() {
 *     MyStore store = ...;                      // load every row of Samples.source() into it
 *     return store.asLogSource();
 *   }
 * }
 * }</pre>
 *
 * <p>One instance per class: {@link #sourceWithSamples()} is called once (load the samples there)
 * and the source is closed by {@link #closeSource()} if a subclass calls it from an
 * {@code @AfterAll}; sources that cannot list sessions skip the listing tests by returning false
 * from {@link #listsSessions()}.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
public abstract class LogSourceConformanceTest {
  /** A fixed clock, so that a running session's durations do not depend on when the test runs. */
  private static final AssemblyOptions OPTIONS = AssemblyOptions.defaults()
      .withClock(java.time.Clock.fixed(java.time.Instant.parse("2025-01-05T12:00:00Z"), java.time.ZoneOffset.UTC));

  private LogSource source;

  /** The source under test, holding (at least) every row of every bundled sample session. */
  protected abstract LogSource sourceWithSamples();

  /** Whether the source under test implements {@link LogSource#listSessions}. */
  protected boolean listsSessions() {
    return true;
  }

  /**
   * Whether the source delivers a row's full content. A source may cut content (or leave it out
   * for rows the fold does not read it from); rows are then compared without it.
   */
  protected boolean deliversFullContent() {
    return false;
  }

  protected final LogSource source() {
    if (source == null) {
      source = sourceWithSamples();
    }
    return source;
  }

  /** Closes the source under test; call it from an {@code @AfterAll} of the subclass. */
  protected final void closeSource() {
    if (source != null) {
      source.close();
      source = null;
    }
  }

  static Stream<String> samples() {
    return Samples.names().stream();
  }

  private static ExecutionData fold(LogSource from, String sessionId) {
    return ExecutionAssembler.assemble(from, SessionQuery.of(sessionId), OPTIONS);
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("samples")
  void assemblesEachSampleExactlyAsTheJsonlSourceDoes(String name) {
    String sessionId = Samples.sessionId(name);
    ExecutionData expected;
    try (LogSource jsonl = Samples.source()) {
      expected = fold(jsonl, sessionId);
    }
    ExecutionData actual = fold(source(), sessionId);
    // compared as JSON for a readable diff, then as values
    assertThat(ExecutionJson.writePretty(actual)).isEqualTo(ExecutionJson.writePretty(expected));
    assertThat(actual).isEqualTo(expected);
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("samples")
  void deliversTheSameRowsAsTheJsonlSourceInTheSameOrder(String name) {
    String sessionId = Samples.sessionId(name);
    List<Map<String, Object>> expected;
    try (LogSource jsonl = Samples.source()) {
      expected = rows(jsonl, sessionId);
    }
    List<Map<String, Object>> actual = rows(source(), sessionId);
    assertThat(actual).hasSize(expected.size());
    // rows with equal timestamps may come in either order
    assertThat(actual).containsExactlyInAnyOrderElementsOf(expected);
    assertThat(actual).extracting(m -> m.get("timestamp"))
        .containsExactlyElementsOf(expected.stream().map(m -> m.get("timestamp")).toList());
  }

  private List<Map<String, Object>> rows(LogSource from, String sessionId) {
    RecordingSink sink = new RecordingSink();
    long n = from.read(SessionQuery.of(sessionId), sink);
    assertThat(n).isEqualTo(sink.rows.size());
    assertThat(sink.warnings).isEmpty();
    return sink.maps(deliversFullContent());
  }

  @Test
  void anUnknownSessionDeliversNoRows() {
    List<LogRow> rows = new ArrayList<>();
    assertThat(source().read(SessionQuery.of("no-such-session"), rows::add)).isZero();
    assertThat(rows).isEmpty();
  }

  @Test
  void aTimeRangeDeliversTheRowsItCovers() {
    String sessionId = Samples.sessionId("soundings");
    List<Double> all = new ArrayList<>();
    source().read(SessionQuery.of(sessionId), row -> all.add(row.timestamp()));
    double from = all.get(3);
    double until = all.get(all.size() - 3);
    List<Double> part = new ArrayList<>();
    source().read(SessionQuery.of(sessionId).from(from).until(until), row -> part.add(row.timestamp()));
    assertThat(part).isEqualTo(all.stream().filter(t -> t >= from && t < until).toList());
  }

  @Test
  void listsTheSameSessionsAsTheJsonlSource() {
    if (!listsSessions()) {
      assertThat(org.assertj.core.api.Assertions.catchThrowableOfType(LogSourceException.class,
          () -> source().listSessions(SessionListQuery.firstPage(10))).reason())
          .isEqualTo(LogSourceException.Reason.UNSUPPORTED);
      return;
    }
    List<SessionSummary> expected;
    try (LogSource jsonl = Samples.source()) {
      expected = jsonl.listSessions(SessionListQuery.firstPage(100)).sessions();
    }
    List<SessionSummary> actual = source().listSessions(SessionListQuery.firstPage(100)).sessions().stream()
        .filter(s -> expected.stream().anyMatch(e -> e.sessionId().equals(s.sessionId())))
        .toList();
    assertThat(actual).hasSameSizeAs(expected);
    for (int i = 0; i < expected.size(); i++) {
      SessionSummary e = expected.get(i);
      SessionSummary a = actual.get(i);
      assertThat(a.sessionId()).isEqualTo(e.sessionId());
      assertThat(a.cascadeId()).as("cascade of %s", e.sessionId()).isEqualTo(e.cascadeId());
      assertThat(a.firstTimestamp()).as("first of %s", e.sessionId()).isEqualTo(e.firstTimestamp());
      assertThat(a.lastTimestamp()).as("last of %s", e.sessionId()).isEqualTo(e.lastTimestamp());
      assertThat(a.status()).as("status of %s", e.sessionId()).isEqualTo(e.status());
      assertThat(a.cost()).as("cost of %s", e.sessionId())
          .isCloseTo(e.cost(), org.assertj.core.api.Assertions.within(1e-12));
      assertThat(a.rowCount()).as("rows of %s", e.sessionId()).isEqualTo(e.rowCount());
    }
  }

  @Test
  void pagesThroughTheSessionsWithoutLosingOrRepeatingOne() {
    if (!listsSessions()) {
      return;
    }
    List<String> all = new ArrayList<>();
    source().listSessions(SessionListQuery.firstPage(1000)).sessions().forEach(s -> all.add(s.sessionId()));
    List<String> paged = new ArrayList<>();
    String cursor = null;
    int pages = 0;
    do {
      SessionPage page = source().listSessions(new SessionListQuery(null, null, 2, cursor));
      assertThat(page.sessions().size()).isLessThanOrEqualTo(2);
      page.sessions().forEach(s -> paged.add(s.sessionId()));
      cursor = page.nextCursor();
    } while (cursor != null && ++pages < 1000);
    assertThat(paged).isEqualTo(all);
  }

  @Test
  void filtersTheListingByCascadeAndStatus() {
    if (!listsSessions()) {
      return;
    }
    String cascade = Samples.get("soundings").cascadeId();
    assertThat(source().listSessions(new SessionListQuery(cascade, null, 100, null)).sessions())
        .extracting(SessionSummary::sessionId).containsExactly(Samples.sessionId("soundings"));
    assertThat(source().listSessions(new SessionListQuery(null, dev.execflow.model.Status.RUNNING, 100, null))
        .sessions()).extracting(SessionSummary::sessionId).contains(Samples.sessionId("running"))
        .doesNotContain(Samples.sessionId("simple"));
  }
}
