package dev.execflow.source.jsonl;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.within;

import dev.execflow.model.Status;
import dev.execflow.spi.LogSourceException;
import dev.execflow.spi.SessionListQuery;
import dev.execflow.spi.SessionPage;
import dev.execflow.spi.SessionSummary;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class JsonlSessionListingTest {
  @TempDir Path dir;
  private JsonlLogSource source;

  /*
   * Four sessions spread over two files: a (alpha, oldest, completed), b (beta, failed),
   * c and d (alpha, same start time; c still running, d completed).
   */
  @BeforeEach
  void writeSessions() throws IOException {
    Files.writeString(dir.resolve("1.jsonl"), """
        {"timestamp": 100, "session_id": "a", "trace_id": "a0", "node_type": "cascade", "role": "system", "cascade_id": "alpha"}
        {"timestamp": 101, "session_id": "a", "trace_id": "a1", "node_type": "agent", "role": "assistant", "phase_name": "p", "cost": 0.001}
        {"timestamp": 101, "session_id": "a", "trace_id": "a1", "node_type": "follow_up", "role": "assistant", "cost": 0.001}
        {"timestamp": 102, "session_id": "a", "trace_id": "a2", "node_type": "agent", "role": "assistant", "phase_name": "p"}
        {"timestamp": 200, "session_id": "b", "trace_id": "b0", "node_type": "cascade", "role": "system", "cascade_id": "beta"}
        {"timestamp": 201, "session_id": "b", "trace_id": "b1", "node_type": "agent", "role": "assistant", "cost": "0.0005"}
        {"timestamp": 103, "session_id": "a", "trace_id": "a2", "node_type": "cost_update", "role": "system", "cost": 0.002}
        {"timestamp": 103, "session_id": "a", "trace_id": "a9", "node_type": "cascade_completed", "role": "system"}
        """);
    Files.writeString(dir.resolve("2.jsonl"), """
        {"timestamp": 202, "session_id": "b", "trace_id": "b9", "node_type": "cascade_failed", "role": "system"}
        {"timestamp": 300, "session_id": "c", "trace_id": "c0", "node_type": "cascade", "role": "system", "cascade_id": "alpha"}
        {"timestamp": 300, "session_id": "d", "trace_id": "d0", "node_type": "cascade", "role": "system", "cascade_id": "alpha"}
        {"timestamp": 301, "session_id": "c", "trace_id": "c1", "node_type": "agent", "role": "assistant", "cost": 0.004}
        {"timestamp": 305, "session_id": "d", "trace_id": "d9", "node_type": "cascade_completed", "role": "system"}
        {"timestamp": 310, "session_id": "d", "trace_id": "d1", "node_type": "cost_update", "role": "system", "cost": 0.003}
        """);
    source = JsonlLogSource.open(dir);
  }

  private static String ids(SessionPage page) {
    return String.join(",", page.sessions().stream().map(SessionSummary::sessionId).toList());
  }

  @Test
  void summarisesEachSession() {
    SessionPage page = source.listSessions(SessionListQuery.firstPage(10));
    SessionSummary a = page.sessions().get(3);

    assertThat(a.cascadeId()).isEqualTo("alpha");
    assertThat(a.firstTimestamp()).isEqualTo(100.0);
    assertThat(a.lastTimestamp()).isEqualTo(103.0);
    assertThat(a.status()).isEqualTo(Status.COMPLETED);
    assertThat(a.rowCount()).isEqualTo(6);
    assertThat(page.sessions()).extracting(SessionSummary::status)
        .containsExactly(Status.COMPLETED, Status.RUNNING, Status.ERROR, Status.COMPLETED);
  }

  @Test
  void classifiesRowsWithTheFoldsVocabulary() throws IOException {
    // cascade_complete is the newer spelling of cascade_completed; an agent row is an LLM call
    // whatever its role: the listing once said running / $0.125 where the fold says completed / $0.375
    Files.writeString(dir.resolve("3.jsonl"), """
        {"timestamp": 400, "session_id": "e", "trace_id": "e0", "node_type": "cascade", "role": "system", "cascade_id": "gamma"}
        {"timestamp": 401, "session_id": "e", "trace_id": "e1", "node_type": "phase", "role": "phase_start", "phase_name": "p"}
        {"timestamp": 402, "session_id": "e", "trace_id": "e2", "node_type": "agent", "phase_name": "p", "cost": 0.25}
        {"timestamp": 403, "session_id": "e", "trace_id": "e3", "node_type": "agent", "role": "assistant", "phase_name": "p", "cost": 0.125}
        {"timestamp": 404, "session_id": "e", "trace_id": "e9", "node_type": "cascade_complete", "role": "system"}
        """);
    SessionSummary e = source.listSessions(new SessionListQuery("gamma", null, 10, null)).sessions().get(0);
    var fold = dev.execflow.assemble.ExecutionAssembler.assemble(source, dev.execflow.spi.SessionQuery.of("e"),
        dev.execflow.assemble.AssemblyOptions.defaults()).summary();

    assertThat(e.status()).isEqualTo(Status.COMPLETED).isEqualTo(fold.status());
    assertThat(e.cost()).isEqualTo(0.375).isEqualTo(fold.totalCost());
  }

  @Test
  void countsEachLlmCallsCostOnceIncludingLateCostUpdates() {
    SessionPage page = source.listSessions(SessionListQuery.firstPage(10));

    // a: call a1 priced on two rows (once) + call a2 priced by its cost_update
    assertThat(page.sessions().get(3).cost()).isCloseTo(0.003, within(1e-12));
    assertThat(page.sessions().get(2).cost()).isCloseTo(0.0005, within(1e-12));
    // d: a cost_update after the terminal row still counts
    assertThat(page.sessions().get(0).cost()).isCloseTo(0.003, within(1e-12));
  }

  @Test
  void pagesWithAKeyedCursor() {
    SessionPage first = source.listSessions(SessionListQuery.firstPage(2));
    SessionPage second = source.listSessions(new SessionListQuery(null, null, 2, first.nextCursor()));

    assertThat(ids(first)).isEqualTo("d,c");
    assertThat(first.nextCursor()).isNotNull();
    assertThat(ids(second)).isEqualTo("b,a");
    assertThat(second.nextCursor()).isNull();
  }

  @Test
  void aCursorStaysValidWhenNewerSessionsArrive() throws IOException {
    SessionPage first = source.listSessions(SessionListQuery.firstPage(2));
    Files.writeString(dir.resolve("3.jsonl"),
        "{\"timestamp\": 400, \"session_id\": \"e\", \"node_type\": \"cascade\", \"cascade_id\": \"alpha\"}\n");

    SessionPage second = source.listSessions(new SessionListQuery(null, null, 2, first.nextCursor()));

    assertThat(ids(second)).isEqualTo("b,a");
  }

  @Test
  void pagesThroughAFilteredList() {
    SessionPage first = source.listSessions(new SessionListQuery("alpha", null, 2, null));
    SessionPage second = source.listSessions(new SessionListQuery("alpha", null, 2, first.nextCursor()));

    assertThat(ids(first)).isEqualTo("d,c");
    assertThat(ids(second)).isEqualTo("a");
    assertThat(second.nextCursor()).isNull();
  }

  @Test
  void aForeignCursorIsABadInput() {
    assertThatThrownBy(() -> source.listSessions(new SessionListQuery(null, null, 2, "not-a-cursor")))
        .isInstanceOf(LogSourceException.class)
        .hasMessage("Not a session list cursor: not-a-cursor");
  }

  @Test
  void atItsBoundTheListingKeepsTheNewestSessionsAndSaysHowManyItLeftOut() {
    SessionPage page = source.withMaxListedSessions(2).listSessions(SessionListQuery.firstPage(10));

    // a and b come first in the files, but c and d are newer
    assertThat(ids(page)).isEqualTo("d,c");
    assertThat(page.warnings()).singleElement().asString()
        .contains("the newest 2 are listed, 2 older ones (").contains("rows) were left out");
  }

  @Test
  void laterRowsOfASessionLeftOutDoNotComeBackAsAPartialOne() throws IOException {
    Files.writeString(dir.resolve("3.jsonl"), """
        {"timestamp": 400, "session_id": "e", "trace_id": "e0", "node_type": "cascade", "role": "system", "cascade_id": "alpha"}
        {"timestamp": 401, "session_id": "f", "trace_id": "f0", "node_type": "cascade", "role": "system", "cascade_id": "alpha"}
        {"timestamp": 500, "session_id": "a", "trace_id": "a7", "node_type": "agent", "role": "assistant", "cost": 9.0}
        """);

    SessionPage page = source.withMaxListedSessions(2).listSessions(SessionListQuery.firstPage(10));

    assertThat(ids(page)).isEqualTo("f,e");
    assertThat(page.warnings()).singleElement().asString().contains("4 older ones");
  }

  @Test
  void aCompleteListingHasNoWarnings() {
    assertThat(source.listSessions(SessionListQuery.firstPage(10)).warnings()).isEmpty();
  }

  @Test
  void skipsBadLinesWhileListingAndSaysSoInThePage() throws IOException {
    Files.writeString(dir.resolve("4.jsonl"), "{not json\n");

    SessionPage page = source.listSessions(SessionListQuery.firstPage(10));

    assertThat(ids(page)).isEqualTo("d,c,b,a");
    assertThat(page.warnings()).singleElement().asString().startsWith("1 problem reading ")
        .contains("bad_json_line=1").contains("4.jsonl:1");
  }
}
