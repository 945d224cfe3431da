package dev.execflow.source.clickhouse;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

import dev.execflow.source.clickhouse.testing.ClickHouseServer;
import dev.execflow.source.clickhouse.testing.ClickHouseServerExtension;
import dev.execflow.source.clickhouse.testing.LogTable;
import dev.execflow.model.Status;
import dev.execflow.spi.LogRow;
import dev.execflow.spi.LogSourceException;
import dev.execflow.spi.MutableLogRow;
import dev.execflow.spi.SessionListQuery;
import dev.execflow.spi.SessionPage;
import dev.execflow.spi.SessionSummary;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/** The instances grid: one aggregating query per page, newest first, keyed-cursor paging. */
@ExtendWith(ClickHouseServerExtension.class)
class SessionListingTest {
  private static final String TABLE = "listing_test";
  private static final int TIED = 7;
  private static ClickHouseLogSource source;

  @BeforeAll
  static void load(ClickHouseServer server) {
    List<LogRow> rows = new ArrayList<>();
    // "priced": a call priced on its row and on a copy (once), a call priced only by a late
    // cost_update, and a call priced on both (its own row wins); failed, then completed later
    rows.add(row("priced", 100, "cascade", null).cascadeId("billing"));
    rows.add(row("priced", 101, "agent", "assistant").traceId("c1").cost(0.25));
    rows.add(row("priced", 102, "follow_up", "assistant").traceId("c1").cost(0.25));
    rows.add(row("priced", 103, "agent", "assistant").traceId("c2"));
    rows.add(row("priced", 104, "agent", "assistant").traceId("c3").cost(0.5));
    rows.add(row("priced", 105, "cost_update", "system").traceId("c3").cost(0.75));
    rows.add(row("priced", 106, "cascade_failed", "system"));
    rows.add(row("priced", 109, "cost_update", "system").traceId("c2").cost(1.0));
    rows.add(row("priced", 110, "cascade_completed", "system"));
    // "open": no terminal row
    rows.add(row("open", 200, "cascade", null).cascadeId("search"));
    rows.add(row("open", 201, "agent", "assistant").traceId("o1").cost(0.125));
    // sessions that all start at the same second: order falls back to the id, descending
    for (int i = 0; i < TIED; i++) {
      rows.add(row("tied-" + i, 50, "cascade", null).cascadeId("batch"));
      rows.add(row("tied-" + i, 51 + i, "cascade_completed", "system"));
    }
    LogTable.windlass(TABLE).create(server).insert(server, rows);
    source = TestServers.source(server, TABLE).build();
  }

  private static MutableLogRow row(String session, double ts, String nodeType, String role) {
    return new MutableLogRow().timestamp(ts).sessionId(session).nodeType(nodeType).role(role);
  }

  @AfterAll
  static void close() {
    source.close();
  }

  private static SessionSummary only(String cascade) {
    List<SessionSummary> sessions = source.listSessions(new SessionListQuery(cascade, null, 10, null)).sessions();
    assertThat(sessions).hasSize(1);
    return sessions.get(0);
  }

  @Test
  void countsEachLlmCallsCostOnceFromItsOwnRowElseFromItsCostUpdate() {
    assertThat(only("billing").cost()).isEqualTo(0.25 + 1.0 + 0.5);
  }

  @Test
  void statusComesFromTheLatestTerminalRowAndIsRunningWithoutOne() {
    assertThat(only("billing").status()).isEqualTo(Status.COMPLETED);
    assertThat(only("search").status()).isEqualTo(Status.RUNNING);
  }

  @Test
  void summarisesTimesCascadeAndRowCount() {
    SessionSummary priced = only("billing");
    assertThat(priced.sessionId()).isEqualTo("priced");
    assertThat(priced.firstTimestamp()).isEqualTo(100);
    assertThat(priced.lastTimestamp()).isEqualTo(110);
    assertThat(priced.rowCount()).isEqualTo(9);
  }

  @Test
  void listsNewestFirstThenByIdDescending() {
    List<SessionSummary> all = source.listSessions(SessionListQuery.firstPage(100)).sessions();
    assertThat(all).extracting(SessionSummary::sessionId).containsExactly("open", "priced",
        "tied-6", "tied-5", "tied-4", "tied-3", "tied-2", "tied-1", "tied-0");
  }

  @Test
  void pagesThroughSessionsThatStartedAtTheSameTimeWithoutLosingOrRepeatingOne() {
    List<String> ids = new ArrayList<>();
    String cursor = null;
    int pages = 0;
    do {
      SessionPage page = source.listSessions(new SessionListQuery("batch", null, 3, cursor));
      page.sessions().forEach(s -> ids.add(s.sessionId()));
      cursor = page.nextCursor();
      pages++;
    } while (cursor != null);
    assertThat(ids).containsExactly("tied-6", "tied-5", "tied-4", "tied-3", "tied-2", "tied-1", "tied-0");
    assertThat(pages).isEqualTo(3);
  }

  @Test
  void theLastPageHasNoCursor() {
    assertThat(source.listSessions(new SessionListQuery(null, null, 9, null)).nextCursor()).isNull();
    assertThat(source.listSessions(new SessionListQuery(null, null, 8, null)).nextCursor()).isNotNull();
  }

  @Test
  void filtersByStatus() {
    assertThat(source.listSessions(new SessionListQuery(null, Status.RUNNING, 100, null)).sessions())
        .extracting(SessionSummary::sessionId).containsExactly("open");
    assertThat(source.listSessions(new SessionListQuery(null, Status.PENDING, 100, null)).sessions()).isEmpty();
  }

  @Test
  void aCursorThisSourceDidNotIssueIsBadInput() {
    LogSourceException e = catchThrowableOfType(LogSourceException.class,
        () -> source.listSessions(new SessionListQuery(null, null, 5, "not-a-cursor")));
    assertThat(e.reason()).isEqualTo(LogSourceException.Reason.BAD_INPUT);
  }
}
