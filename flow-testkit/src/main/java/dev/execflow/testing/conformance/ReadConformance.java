package dev.execflow.testing.conformance;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.execflow.model.ExecutionData;
import dev.execflow.model.Status;
import dev.execflow.spi.LogRow;
import dev.execflow.spi.LogSource;
import dev.execflow.spi.MutableLogRow;
import dev.execflow.spi.SessionQuery;
import dev.execflow.testing.ExecutionDataAssert;
import dev.execflow.testing.LogRows;
import dev.execflow.testing.RecordingSink;
import dev.execflow.testing.Samples;
import dev.execflow.testing.SessionGenerator;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** Reading one session: its rows, all of them, in time order, and what they fold to. */
public abstract class ReadConformance extends ConformanceFamily {

  @Test
  protected void eachSampleFoldsToItsHandWorkedExecutionData() {
    for (String name : Samples.names()) {
      String sessionId = uniqueId("read-" + name);
      loadSample(name, sessionId, null);

      ExecutionData data = fold(sessionId);

      ExecutionDataAssert.assertThat(data).matchesSample(name).hasNoWarnings();
    }
  }

  @Test
  protected void aGeneratedSessionFoldsToItsGeneratorsTotals() {
    String sessionId = uniqueId("read-generated");
    SessionGenerator.Expected expected = loadGenerated(11, 5_000, sessionId, "generated_cascade");

    ExecutionData data = fold(sessionId);

    assertThat(data.summary().rowCount()).isEqualTo(expected.rows());
    assertThat(data.summary().totalCost()).isEqualTo(expected.totalCost());
    assertThat(data.summary().phaseCount()).isEqualTo(expected.distinctPhases());
    assertThat(data.executedPath()).hasSize(expected.phaseVisits());
    assertThat(data.summary().status()).isEqualTo(Status.COMPLETED);
    assertThat(data.summary().startedAt()).isEqualTo(expected.firstTimestamp());
    assertThat(data.warnings().count()).as("%s", data.warnings()).isZero();
  }

  @Test
  protected void deliversEveryRowOfTheSessionInTimeOrder() {
    String sessionId = uniqueId("read-rows");
    List<LogRow> loaded = loadSample("soundings", sessionId, null);
    loadSample("simple", uniqueId("read-rows-other"), null);

    RecordingSink sink = new RecordingSink();
    long delivered = source().read(SessionQuery.of(sessionId), sink);

    assertThat(delivered).isEqualTo(loaded.size());
    assertThat(sink.warnings).isEmpty();
    assertThat(sink.rows).extracting(LogRow::timestamp).isSorted();
    List<Map<String, Object>> expected = new ArrayList<>();
    loaded.forEach(row -> expected.add(LogRows.asMap(row, backend().deliversFullContent())));
    assertThat(sink.maps(backend().deliversFullContent())).containsExactlyInAnyOrderElementsOf(expected);
  }

  @Test
  protected void aQueryWithContentDeliversEveryRowsContentCutAtItsBound() {
    String sessionId = uniqueId("read-content");
    String answer = "\"" + "The tide turns twice a day. ".repeat(40) + "\"";           // a JSON string, 1,122 code points
    String toolCall = "{\"tool\": \"search\", \"arguments\": {\"q\": \"" + "tide ".repeat(60) + "\"}}";
    List<LogRow> rows = List.of(
        new MutableLogRow().timestamp(10).sessionId(sessionId).traceId("t-start").nodeType("phase")
            .role("phase_start").phaseName("draft").contentJson("\"draft\""),
        new MutableLogRow().timestamp(11).sessionId(sessionId).traceId("t-call").parentId("t-start")
            .nodeType("agent").role("assistant").phaseName("draft").contentJson(answer),
        new MutableLogRow().timestamp(12).sessionId(sessionId).traceId("t-tool").parentId("t-call")
            .nodeType("tool_call").role("tool").contentJson(toolCall),
        new MutableLogRow().timestamp(13).sessionId(sessionId).traceId("t-short").parentId("t-start")
            .nodeType("agent").role("assistant").phaseName("draft").contentJson("\"ok\""));
    backend().load(rows);

    RecordingSink sink = new RecordingSink();
    source().read(SessionQuery.of(sessionId).withContent(100), sink);

    // every row's content (the fold reads none of these rows' content, yet each comes), cut at 100
    // code points; a cut JSON string closed again, a cut object as its raw text
    assertThat(sink.rows).extracting(LogRow::contentJson).containsExactly("\"draft\"",
        answer.substring(0, 100) + "\"", toolCall.substring(0, 100), "\"ok\"");
  }

  @Test
  protected void aSinkThatThrowsEndsTheReadWithItsOwnExceptionAndTheSourceReadsOn() {
    String sessionId = uniqueId("read-stop");
    List<LogRow> loaded = loadSample("soundings", sessionId, null);
    LogSource source = source();
    IllegalStateException enough = new IllegalStateException("enough rows");
    int[] seen = {0};

    assertThatThrownBy(() -> source.read(SessionQuery.of(sessionId), row -> {
      if (++seen[0] == 3) {
        throw enough;
      }
    })).isSameAs(enough);

    assertThat(seen[0]).isEqualTo(3);
    assertThat(source.read(SessionQuery.of(sessionId), row -> {})).isEqualTo(loaded.size());
  }

  @Test
  protected void anUnknownSessionDeliversNoRows() {
    loadSample("simple", uniqueId("read-known"), null);
    List<LogRow> rows = new ArrayList<>();

    assertThat(source().read(SessionQuery.of(uniqueId("no-such-session")), rows::add)).isZero();
    assertThat(rows).isEmpty();
  }
}
