package dev.execflow.examples.service;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.execflow.json.ExecutionJson;
import dev.execflow.model.ExecutionData;
import dev.execflow.spi.LogRow;
import dev.execflow.spi.LogSource;
import dev.execflow.spi.RowSink;
import dev.execflow.spi.SessionQuery;
import dev.execflow.testing.SessionGenerator;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import org.junit.jupiter.api.Test;

/**
 * What a page of a phase's rows reads from its source: the rows of the visits it covers, not the
 * session; and a fold of the session only when its visits are not known yet. Counted on a generated
 * 20,000-row session (many phases, loops, late cost updates) held by a source that records every
 * query and the rows it delivered.
 */
class PhaseRowsCostTest {
  private static final ObjectMapper JSON = new ObjectMapper();
  private static final String ID = "generated-20k";

  /** A source over rows in memory that counts what it is asked and what it delivers. */
  private static final class CountingSource implements LogSource {
    final List<LogRow> rows;
    final List<SessionQuery> queries = new ArrayList<>();
    long delivered;

    CountingSource(List<LogRow> rows) {
      this.rows = rows;
    }

    @Override
    public long read(SessionQuery query, RowSink sink) {
      queries.add(query);
      long n = 0;
      for (LogRow row : rows) {
        if (row.sessionId().equals(query.sessionId()) && query.covers(row.timestamp())) {
          n++;
          delivered++;
          sink.accept(row);
        }
      }
      return n;
    }

    void reset() {
      queries.clear();
      delivered = 0;
    }
  }

  private final CountingSource source =
      new CountingSource(new SessionGenerator(7).withSessionId(ID).materialize(20_000));
  private final ExecutionFlowService service = new ExecutionFlowService(source);

  private ExecutionData flow() {
    return ExecutionJson.read(service.executionFlow(ID).body());
  }

  private JsonNode page(String phase, String query) throws Exception {
    ApiResponse r = service.handle("GET", "/api/session/" + ID + "/phase/" + phase + "/rows", query);
    assertThat(r.status()).as(r.body()).isEqualTo(200);
    return JSON.readTree(r.body());
  }

  /** The phase that ran most often. */
  private static String loopedPhase(ExecutionData data) {
    return data.phases().entrySet().stream().max((x, y) -> Integer.compare(x.getValue().visits(), y.getValue().visits()))
        .orElseThrow().getKey();
  }

  @Test
  void afterTheSessionsFlowAPageReadsOnlyTheRowsOfItsVisit() throws Exception {
    ExecutionData data = flow();
    String phase = loopedPhase(data);
    assertThat(data.phases().get(phase).visits()).isGreaterThan(1);
    source.reset();

    JsonNode p = page(phase, "visit=2&limit=5");

    assertThat(p.get("rows")).hasSize(5);
    assertThat(source.queries).hasSize(1);
    SessionQuery q = source.queries.get(0);
    assertThat(q.wantsContent()).isTrue();
    double from = q.fromTimestamp();
    double to = q.toTimestamp();
    long inWindow = source.rows.stream().filter(r -> r.timestamp() >= from && r.timestamp() < to).count();
    // the visit's time range, read from its start until the page had its rows and one more
    assertThat(inWindow).isLessThan(20_000 / 20);
    assertThat(source.delivered).isLessThanOrEqualTo(inWindow).isGreaterThanOrEqualTo(6);
    assertThat(p.get("rows").get(0).get("timestamp").asDouble()).isEqualTo(from);
  }

  @Test
  void theFirstPageOfASessionNotFoldedYetFoldsItOnce() throws Exception {
    String phase = loopedPhase(ExecutionJson.read(new ExecutionFlowService(source).executionFlow(ID).body()));
    source.reset();
    JsonNode first = page(phase, "limit=5");
    long fold = source.queries.stream().filter(q -> !q.wantsContent()).count();
    source.reset();

    page(phase, "limit=5&cursor=" + first.get("nextCursor").asText());

    assertThat(fold).isEqualTo(1);
    assertThat(source.queries).allSatisfy(q -> assertThat(q.wantsContent()).isTrue());
  }

  @Test
  void noRowIsListedUnderTwoPhasesAndEveryRowNamingAPhaseIsListedUnderIt() throws Exception {
    ExecutionData data = flow();
    Set<String> listed = new HashSet<>();
    long named = 0;
    for (String phase : data.phases().keySet()) {
      String cursor = null;
      do {
        JsonNode p = page(phase, "limit=500" + (cursor == null ? "" : "&cursor=" + cursor));
        for (JsonNode row : p.get("rows")) {
          String key = row.get("timestamp").asText() + " " + row.get("traceId").asText() + " "
              + row.get("nodeType").asText() + " " + row.get("role").asText();
          assertThat(listed.add(key)).as("%s listed twice (again under %s)", key, phase).isTrue();
        }
        cursor = p.get("nextCursor").isNull() ? null : p.get("nextCursor").asText();
      } while (cursor != null);
    }
    for (LogRow row : source.rows) {
      if (row.phaseName() != null && !row.phaseName().isBlank()) {
        named++;
        String key = JSON.readTree(JSON.writeValueAsString(row.timestamp())).asText() + " " + row.traceId() + " "
            + row.nodeType() + " " + row.role();
        assertThat(listed).as("a row of %s", row.phaseName()).contains(key);
      }
    }
    assertThat(named).isGreaterThan(1_000);
  }
}
