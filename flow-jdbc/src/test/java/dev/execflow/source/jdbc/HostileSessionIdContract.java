package dev.execflow.source.jdbc;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

import dev.execflow.spi.LogRow;
import dev.execflow.spi.LogSource;
import dev.execflow.spi.LogSourceException;
import dev.execflow.spi.MutableLogRow;
import dev.execflow.spi.SessionListQuery;
import dev.execflow.spi.SessionPage;
import dev.execflow.spi.SessionQuery;
import dev.execflow.spi.SessionSummary;
import dev.execflow.testing.RecordingSink;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * Session ids are bound parameters: a hostile id selects exactly its own rows and its neighbours
 * (ids an injection or a lossy conversion would match as well) none. One subclass per engine.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
abstract class HostileSessionIdContract {
  private static final String LONG = "L".repeat(9_999) + "'";
  private LogSource source;

  static Stream<String> hostileIds() {
    return Stream.of("it's", "x' OR '1'='1", "back\\slash", "ends with backslash\\", "\\x41", "\\'",
        "a -- comment", "a /* block */ b", "nul\0byte", "new\nline", "cr\rlf\n", "tab\tbed", LONG,
        "ünïcødé 会话 😀", "{session_id:String}", "?", "; DROP TABLE unified_logs; --", " leading and trailing ");
  }

  private static final List<String> NEIGHBOURS = List.of(
      "it", "its", "x", "back", "backslash", "back\\\\slash", "A", "'", "a ", "nul", "nul0byte",
      "new", "newnline", "L".repeat(9_999), "ends with backslash", "leading and trailing");

  /** A source over a table holding {@code rows}. */
  protected abstract LogSource load(List<LogRow> rows) throws Exception;

  private LogSource source() throws Exception {
    if (source == null) {
      List<LogRow> rows = new ArrayList<>();
      double ts = 1736071200;
      for (String id : hostileIds().toList()) {
        rows.add(row(id, ts++, "own-1"));
        rows.add(row(id, ts++, "own-2"));
      }
      for (String id : NEIGHBOURS) {
        rows.add(row(id, ts++, "neighbour"));
      }
      source = load(rows);
    }
    return source;
  }

  private static LogRow row(String sessionId, double ts, String trace) {
    return new MutableLogRow().timestamp(ts).sessionId(sessionId).traceId(trace).nodeType("agent");
  }

  @AfterAll
  void closeSource() {
    if (source != null) {
      source.close();
    }
  }

  @ParameterizedTest
  @MethodSource("hostileIds")
  void selectsExactlyTheRowsOfThatSession(String id) throws Exception {
    RecordingSink sink = new RecordingSink();
    long n = source().read(SessionQuery.of(id), sink);
    assertThat(n).isEqualTo(2);
    assertThat(sink.rows).extracting(LogRow::traceId).containsExactly("own-1", "own-2");
    assertThat(sink.rows).extracting(LogRow::sessionId).containsOnly(id);
  }

  @Test
  void anIdWithAnUnpairedSurrogateIsBadInputRatherThanAQueryForAnotherId() throws Exception {
    LogSource s = source();
    LogSourceException e = catchThrowableOfType(LogSourceException.class,
        () -> s.read(SessionQuery.of("it\uD800s"), row -> {}));
    assertThat(e.reason()).isEqualTo(LogSourceException.Reason.BAD_INPUT);
  }

  @Test
  void listingReturnsEveryHostileIdIntactAndPagesPastThem() throws Exception {
    List<String> listed = new ArrayList<>();
    String cursor = null;
    int pages = 0;
    do {
      SessionPage page = source().listSessions(new SessionListQuery(null, null, 1, cursor));
      page.sessions().stream().map(SessionSummary::sessionId).forEach(listed::add);
      cursor = page.nextCursor();
      pages++;
    } while (cursor != null && pages < 100);
    List<String> all = new ArrayList<>(hostileIds().toList());
    all.addAll(NEIGHBOURS);
    assertThat(listed).containsExactlyInAnyOrderElementsOf(all);
  }
}
