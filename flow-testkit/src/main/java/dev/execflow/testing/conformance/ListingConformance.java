package dev.execflow.testing.conformance;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

import dev.execflow.model.ExecutionData;
import dev.execflow.model.Status;
import dev.execflow.spi.LogRow;
import dev.execflow.spi.LogSourceException;
import dev.execflow.spi.MutableLogRow;
import dev.execflow.spi.SessionListQuery;
import dev.execflow.spi.SessionPage;
import dev.execflow.spi.SessionSummary;
import dev.execflow.testing.Samples;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * The instances listing: one line per session, newest first, paged by cursor, filtered by cascade
 * and status, and for every session the status and cost its fold gives (the listing == fold law).
 */
public abstract class ListingConformance extends ConformanceFamily {

  @BeforeEach
  void onlyForSourcesThatList() {
    Assumptions.assumeTrue(backend().listsSessions(), "the source does not list sessions");
  }

  private List<SessionSummary> list(String cascade, Status status) {
    return source().listSessions(new SessionListQuery(cascade, status, 1_000, null)).sessions();
  }

  @Test
  protected void everySessionIsListedWithTheStatusAndCostItsFoldGives() {
    String cascade = uniqueId("law");
    Map<String, Long> loaded = new LinkedHashMap<>();
    for (String name : Samples.names()) {
      String sessionId = uniqueId("law-" + name);
      loaded.put(sessionId, (long) loadSample(name, sessionId, cascade).size());
    }
    for (Status outcome : new Status[] {Status.COMPLETED, Status.ERROR, Status.RUNNING}) {
      String sessionId = uniqueId("law-generated-" + outcome);
      var generator = new dev.execflow.testing.SessionGenerator(31 + outcome.ordinal())
          .withSessionId(sessionId).withCascadeId(cascade).withOutcome(outcome);
      backend().load(generator.materialize(4_000));
      loaded.put(sessionId, 4_000L);
    }

    List<SessionSummary> listed = list(cascade, null);

    assertThat(listed).extracting(SessionSummary::sessionId).containsExactlyInAnyOrderElementsOf(loaded.keySet());
    for (SessionSummary line : listed) {
      ExecutionData data = fold(line.sessionId());
      assertThat(line.status()).as("status of %s", line.sessionId()).isEqualTo(data.summary().status());
      assertThat(line.cost()).as("cost of %s", line.sessionId()).isEqualTo(data.summary().totalCost());
      assertThat(line.rowCount()).as("rows of %s", line.sessionId()).isEqualTo(loaded.get(line.sessionId()));
      assertThat(line.firstTimestamp()).as("first of %s", line.sessionId()).isEqualTo(data.summary().startedAt());
      assertThat(line.cascadeId()).isEqualTo(cascade);
    }
  }

  @Test
  protected void listsNewestFirstThenByIdDescending() {
    String cascade = uniqueId("order");
    List<LogRow> rows = new ArrayList<>();
    rows.add(start(cascade + "-a", 100, cascade));
    rows.add(start(cascade + "-b", 300, cascade));
    rows.add(start(cascade + "-c", 200, cascade));
    rows.add(start(cascade + "-d", 300, cascade));
    backend().load(rows);

    assertThat(list(cascade, null)).extracting(SessionSummary::sessionId)
        .containsExactly(cascade + "-d", cascade + "-b", cascade + "-c", cascade + "-a");
  }

  @Test
  protected void pagesThroughSessionsThatStartedTogetherWithoutLosingOrRepeatingOne() {
    String cascade = uniqueId("pages");
    List<LogRow> rows = new ArrayList<>();
    for (int i = 0; i < 7; i++) {
      rows.add(start(cascade + "-s" + i, 50, cascade));
    }
    backend().load(rows);

    List<String> paged = new ArrayList<>();
    String cursor = null;
    int pages = 0;
    do {
      SessionPage page = source().listSessions(new SessionListQuery(cascade, null, 2, cursor));
      assertThat(page.sessions().size()).isLessThanOrEqualTo(2);
      page.sessions().forEach(s -> paged.add(s.sessionId()));
      cursor = page.nextCursor();
    } while (cursor != null && ++pages < 100);

    assertThat(pages).isEqualTo(3);
    assertThat(paged).isEqualTo(list(cascade, null).stream().map(SessionSummary::sessionId).toList());
    assertThat(paged).doesNotHaveDuplicates().hasSize(7);
  }

  @Test
  protected void filtersByCascadeAndStatus() {
    String cascade = uniqueId("filter");
    String completed = uniqueId("filter-completed");
    String running = uniqueId("filter-running");
    loadSample("simple", completed, cascade);
    loadSample("running", running, cascade);
    loadSample("simple", uniqueId("filter-elsewhere"), uniqueId("other-cascade"));

    assertThat(list(cascade, null)).extracting(SessionSummary::sessionId).containsExactlyInAnyOrder(completed, running);
    assertThat(list(cascade, Status.RUNNING)).extracting(SessionSummary::sessionId).containsExactly(running);
    assertThat(list(cascade, Status.COMPLETED)).extracting(SessionSummary::sessionId).containsExactly(completed);
    assertThat(list(cascade, Status.ERROR)).isEmpty();
  }

  @Test
  protected void aCursorThisSourceDidNotIssueIsBadInput() {
    LogSourceException e = catchThrowableOfType(LogSourceException.class,
        () -> source().listSessions(new SessionListQuery(null, null, 10, "not-a-cursor")));

    assertThat(e).isNotNull();
    assertThat(e.reason()).isEqualTo(LogSourceException.Reason.BAD_INPUT);
  }

  private static MutableLogRow start(String sessionId, double ts, String cascade) {
    return new MutableLogRow().timestamp(ts).sessionId(sessionId).nodeType("cascade").role("system")
        .cascadeId(cascade).traceId(sessionId + "-root");
  }
}
