package dev.execflow.testing.conformance;

import static org.assertj.core.api.Assertions.assertThat;

import dev.execflow.spi.LogRow;
import dev.execflow.spi.MutableLogRow;
import dev.execflow.spi.SessionListQuery;
import dev.execflow.spi.SessionQuery;
import dev.execflow.spi.SessionSummary;
import dev.execflow.testing.RecordingSink;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * Session ids are data, never code: quotes, escapes, wildcards and comment markers select exactly
 * their own session and come back from the listing intact.
 */
public abstract class HostileIdConformance extends ConformanceFamily {
  /** Ids an attacker, a careless logger or another language might write. */
  protected static final List<String> HOSTILE = List.of(
      "it's", "x' OR '1'='1", "back\\slash", "ends with backslash\\", "\\x41", "\\'", "a -- comment",
      "a /* block */ b", "nul\0byte", "new\nline", "cr\rlf\n", "tab\tbed", "L".repeat(9_999) + "'",
      "ünïcødé 会话 😀", "{session_id:String}", "?", "$1", "percent%", "under_score", "*",
      "; DROP TABLE unified_logs; --", " leading and trailing ", "{\"json\": 1}");

  /** Ids that a broken escape or an injection would match instead of, or as well as, the real one. */
  protected static final List<String> NEIGHBOURS = List.of(
      "", "it", "its", "x", "back", "backslash", "back\\\\slash", "A", "'", "a ", "nul", "nul0byte",
      "new", "newnline", "L".repeat(9_999), "ends with backslash", "leading and trailing", "percentX", "underXscore");

  @Test
  protected void eachIdSelectsExactlyTheRowsOfItsSession() {
    String prefix = uniqueId("hostile");
    List<LogRow> rows = new ArrayList<>();
    for (String id : HOSTILE) {
      rows.add(row(prefix + id, 10, "own-1", prefix));
      rows.add(row(prefix + id, 11, "own-2", prefix));
    }
    for (String id : NEIGHBOURS) {
      rows.add(row(prefix + id, 12, "neighbour", prefix));
    }
    backend().load(rows);

    for (String id : HOSTILE) {
      RecordingSink sink = new RecordingSink();
      source().read(SessionQuery.of(prefix + id), sink);
      assertThat(sink.rows).as("rows of %s", id).extracting(LogRow::traceId).containsExactly("own-1", "own-2");
      assertThat(sink.rows).extracting(LogRow::sessionId).containsOnly(prefix + id);
    }
  }

  @Test
  protected void theListingReturnsEachIdIntactAndPagesPastIt() {
    org.junit.jupiter.api.Assumptions.assumeTrue(backend().listsSessions(), "the source does not list sessions");
    String prefix = uniqueId("hostile-list");
    List<LogRow> rows = new ArrayList<>();
    List<String> ids = new ArrayList<>();
    for (String id : HOSTILE) {
      ids.add(prefix + id);
      rows.add(row(prefix + id, 10, "own", prefix));
    }
    backend().load(rows);

    List<String> listed = new ArrayList<>();
    String cursor = null;
    int pages = 0;
    do {
      // page size 1: every hostile id travels through a cursor once
      var page = source().listSessions(new SessionListQuery(prefix, null, 1, cursor));
      page.sessions().stream().map(SessionSummary::sessionId).forEach(listed::add);
      cursor = page.nextCursor();
    } while (cursor != null && ++pages < 100);

    assertThat(listed).containsExactlyInAnyOrderElementsOf(ids);
  }

  private static MutableLogRow row(String sessionId, double ts, String trace, String cascade) {
    return new MutableLogRow().timestamp(ts).sessionId(sessionId).traceId(trace).nodeType("agent")
        .cascadeId(cascade);
  }
}
