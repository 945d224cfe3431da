package dev.execflow.examples.server;

import static dev.execflow.examples.server.FlowServerHttpTest.assertError;
import static dev.execflow.examples.server.FlowServerHttpTest.get;
import static dev.execflow.examples.server.FlowServerHttpTest.json;
import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import dev.execflow.cascade.CascadeCatalog;
import dev.execflow.examples.service.ExecutionFlowService;
import dev.execflow.source.jsonl.JsonlLogSource;
import java.net.URLEncoder;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code GET /api/session/{id}/phase/{name}/rows} over real HTTP on a JSONL export of the samples,
 * the loop sample's further runs and {@link PhaseRowsFixture#LONG}: which rows a phase's pages hold,
 * how they page, how content is cut, and what is refused.
 */
class FlowServerPhaseRowsTest {
  @TempDir static Path dir;
  private static FlowServer server;

  @BeforeAll
  static void start() {
    Path file = PhaseRowsFixture.jsonl(dir, PhaseRowsFixture.rows());
    server = FlowServer.start(new ExecutionFlowService(JsonlLogSource.open(file), CascadeCatalog.bundledSamples()),
        "127.0.0.1", 0);
  }

  @AfterAll
  static void stop() {
    server.close();
  }

  static JsonNode page(FlowServer server, String session, String phase, String query) throws Exception {
    HttpResponse<String> r = get(server, "/api/session/" + session + "/phase/" + phase + "/rows"
        + (query == null ? "" : "?" + query));
    assertThat(r.statusCode()).as(r.body()).isEqualTo(200);
    return json(r);
  }

  static List<String> traces(JsonNode page) {
    List<String> out = new ArrayList<>();
    page.get("rows").forEach(row -> out.add(row.get("traceId").asText()));
    return out;
  }

  /** Every row of the phase, page after page of {@code limit}, following nextCursor to its end. */
  static List<String> walk(FlowServer server, String session, String phase, String filter, int limit)
      throws Exception {
    List<String> all = new ArrayList<>();
    String cursor = null;
    for (int pages = 0; pages < 100; pages++) {
      String q = "limit=" + limit + (filter == null ? "" : "&" + filter)
          + (cursor == null ? "" : "&cursor=" + URLEncoder.encode(cursor, StandardCharsets.UTF_8));
      JsonNode p = page(server, session, phase, q);
      all.addAll(traces(p));
      if (p.get("nextCursor").isNull()) {
        return all;
      }
      cursor = p.get("nextCursor").asText();
    }
    throw new AssertionError("more than 100 pages");
  }

  @Test
  void aPageHoldsThePhasesRowsInTheFoldsOrderWithWhatTheySaid() throws Exception {
    JsonNode p = page(server, "sample-simple", "research", null);

    assertThat(p.get("sessionId").asText()).isEqualTo("sample-simple");
    assertThat(p.get("phase").asText()).isEqualTo("research");
    assertThat(p.get("visit").isNull()).isTrue();
    assertThat(p.get("contentLimit").asInt()).isEqualTo(65_536);
    // the tool call and its result name no phase: they descend from research's call by parent_id
    assertThat(traces(p)).containsExactly("sim-research", "sim-research-start", "sim-research-in", "sim-research-a1",
        "sim-research-tc1", "sim-research-tr1", "sim-research-a2", "sim-research-done");
    JsonNode call = p.get("rows").get(3);
    assertThat(call.get("kind").asText()).isEqualTo("llm_call");
    assertThat(call.get("nodeType").asText()).isEqualTo("agent");
    assertThat(call.get("role").asText()).isEqualTo("assistant");
    assertThat(call.get("visit").asInt()).isEqualTo(1);
    assertThat(call.get("content").asText()).isEqualTo("Let me search for current figures first.");
    assertThat(call.get("contentTruncated").asBoolean()).isFalse();
    assertThat(call.get("contentLength").asInt()).isEqualTo(40);
    assertThat(call.get("cost").decimalValue()).isEqualByComparingTo("0.001");
    assertThat(call.get("timestamp").asDouble()).isEqualTo(1736071203.0);
    assertThat(p.get("rows").get(4).get("kind").asText()).isEqualTo("conversation");
    assertThat(p.get("rows").get(4).get("content").asText()).startsWith("{\"tool\": \"web_search\"");
    assertThat(p.get("nextCursor").isNull()).isTrue();
    assertThat(p.get("warnings").get("count").asLong()).isZero();
  }

  @Test
  void aLateCostUpdateOfAnEarlierPhasesCallIsNotTheRunningPhasesRow() throws Exception {
    // sounding 2's cost_update (no phase_name, no parent) comes while finalize runs; it prices tagline's call
    JsonNode finalize = page(server, "sample-soundings", "finalize", null);

    assertThat(traces(finalize)).containsExactly("snd-finalize", "snd-finalize-start", "snd-finalize-a1",
        "snd-finalize-done");
  }

  @Test
  void theFirstPageEndsAtTheLimitWithACursor() throws Exception {
    JsonNode p = page(server, "sample-loop", "draft", "limit=3");

    assertThat(traces(p)).containsExactly("loop-draft-1", "loop-draft-1-start", "loop-draft-1-a1");
    assertThat(p.get("nextCursor").isTextual()).isTrue();
  }

  @Test
  void theSecondPageStartsAfterTheCursorAndTheLastHasNone() throws Exception {
    String cursor = page(server, "sample-loop", "draft", "limit=3").get("nextCursor").asText();

    JsonNode second = page(server, "sample-loop", "draft", "limit=3&cursor=" + cursor);
    assertThat(traces(second)).containsExactly("loop-draft-1-done", "loop-draft-2", "loop-draft-2-start");
    JsonNode third = page(server, "sample-loop", "draft", "limit=3&cursor=" + second.get("nextCursor").asText());
    assertThat(traces(third)).containsExactly("loop-draft-2-a1", "loop-draft-2-done");
    assertThat(third.get("nextCursor").isNull()).isTrue();
  }

  @Test
  void aPageThatEndsWithThePhasesLastRowHasNoCursor() throws Exception {
    JsonNode p = page(server, "sample-loop", "draft", "limit=8");

    assertThat(p.get("rows")).hasSize(8);
    assertThat(p.get("nextCursor").isNull()).isTrue();
  }

  @Test
  void pagesOfAnySizeHoldEveryRowOnceInOrder() throws Exception {
    List<String> whole = traces(page(server, "sample-loop-4", "review", "limit=500"));

    for (int limit = 1; limit <= 5; limit++) {
      assertThat(walk(server, "sample-loop-4", "review", null, limit)).as("pages of %d", limit).isEqualTo(whole);
    }
    assertThat(whole).hasSize(8);
  }

  @Test
  void aVisitOfALoopedPhaseHoldsThatVisitsRowsOnly() throws Exception {
    JsonNode p = page(server, "sample-loop", "draft", "visit=2");

    assertThat(p.get("visit").asInt()).isEqualTo(2);
    assertThat(traces(p)).containsExactly("loop-draft-2", "loop-draft-2-start", "loop-draft-2-a1", "loop-draft-2-done");
    p.get("rows").forEach(row -> assertThat(row.get("visit").asInt()).isEqualTo(2));
  }

  @Test
  void withoutAVisitTheRowsOfEveryVisitComeInTurnWithTheirVisit() throws Exception {
    JsonNode p = page(server, "sample-loop", "draft", null);

    List<Integer> visits = new ArrayList<>();
    p.get("rows").forEach(row -> visits.add(row.get("visit").asInt()));
    assertThat(visits).containsExactly(1, 1, 1, 1, 2, 2, 2, 2);
  }

  @Test
  void aVisitsPagesFollowTheirCursor() throws Exception {
    assertThat(walk(server, "sample-loop", "draft", "visit=1", 1))
        .containsExactly("loop-draft-1", "loop-draft-1-start", "loop-draft-1-a1", "loop-draft-1-done");
  }

  @Test
  void contentLongerThanTheBoundIsCutAndFlaggedWithItsLength() throws Exception {
    JsonNode row = page(server, PhaseRowsFixture.LONG, "answer", null).get("rows").get(2);

    assertThat(row.get("traceId").asText()).isEqualTo("la-a1");
    assertThat(row.get("content").asText()).isEqualTo(PhaseRowsFixture.TEXT_70K.substring(0, 65_536));
    assertThat(row.get("contentTruncated").asBoolean()).isTrue();
    assertThat(row.get("contentLength").asInt()).isEqualTo(70_000);
  }

  @Test
  void contentLongerThanTheReadBoundIsCutWithoutALength() throws Exception {
    JsonNode row = page(server, PhaseRowsFixture.LONG, "answer", null).get("rows").get(4);

    assertThat(row.get("traceId").asText()).isEqualTo("la-a2");
    assertThat(row.get("content").asText()).hasSize(65_536).isEqualTo(PhaseRowsFixture.TEXT_200K.substring(0, 65_536));
    assertThat(row.get("contentTruncated").asBoolean()).isTrue();
    assertThat(row.get("contentLength").isNull()).isTrue();
  }

  @Test
  void contentThatIsNoJsonStringIsShownAsLogged() throws Exception {
    JsonNode row = page(server, PhaseRowsFixture.LONG, "answer", null).get("rows").get(3);

    assertThat(row.get("traceId").asText()).isEqualTo("la-tc1");
    assertThat(row.get("content").asText()).isEqualTo(PhaseRowsFixture.TOOL_CALL);
    assertThat(row.get("contentTruncated").asBoolean()).isFalse();
    assertThat(row.get("contentLength").asInt()).isEqualTo(300);
  }

  @Test
  void whatTheSourceCouldNotReadIsCountedInTheWarnings() throws Exception {
    Path broken = dir.resolve("broken");
    Files.createDirectories(broken);
    Path file = PhaseRowsFixture.jsonl(broken, PhaseRowsFixture.rows());
    Files.writeString(file, Files.readString(file).replace("{\"timestamp\":1736000103", "{not json\n{\"timestamp\":1736000103"));
    try (FlowServer b = FlowServer.start(new ExecutionFlowService(JsonlLogSource.open(file)), "127.0.0.1", 0)) {
      JsonNode p = page(b, PhaseRowsFixture.LONG, "answer", null);

      assertThat(p.get("warnings").get("count").asLong()).isEqualTo(1);
      assertThat(p.get("warnings").get("byKind").get("bad_json_line").asLong()).isEqualTo(1);
      assertThat(traces(p)).contains("la-tc1");
    }
  }

  @Test
  void aPhaseThatDidNotRunIs404() throws Exception {
    assertError(get(server, "/api/session/sample-running/phase/review/rows"), 404,
        "phase review did not run in session sample-running");
  }

  @Test
  void anUnknownSessionIs404() throws Exception {
    assertError(get(server, "/api/session/no-such-session/phase/draft/rows"), 404, "unknown session: no-such-session");
  }

  @Test
  void aVisitThePhaseDidNotMakeIs404() throws Exception {
    assertError(get(server, "/api/session/sample-loop/phase/draft/rows?visit=3"), 404,
        "phase draft ran 2 times in session sample-loop; there is no visit 3");
  }

  @Test
  void badParametersAre400() throws Exception {
    String rows = "/api/session/sample-loop/phase/draft/rows";
    assertError(get(server, rows + "?limit=0"), 400, "invalid limit: expected a number from 1 to 500");
    assertError(get(server, rows + "?limit=501"), 400, "invalid limit");
    assertError(get(server, rows + "?visit=0"), 400, "invalid visit");
    assertError(get(server, rows + "?visit=two"), 400, "invalid visit");
    assertError(get(server, rows + "?cursor=not-a-cursor"), 400, "invalid cursor");
  }

  @Test
  void aCursorOfAnotherPhaseOrVisitIs400() throws Exception {
    String ofDraft = page(server, "sample-loop", "draft", "limit=1").get("nextCursor").asText();
    String ofVisit1 = page(server, "sample-loop", "draft", "limit=1&visit=1").get("nextCursor").asText();

    assertError(get(server, "/api/session/sample-loop/phase/review/rows?cursor=" + ofDraft), 400, "invalid cursor");
    assertError(get(server, "/api/session/sample-loop-2/phase/draft/rows?cursor=" + ofDraft), 400, "invalid cursor");
    assertError(get(server, "/api/session/sample-loop/phase/draft/rows?visit=2&cursor=" + ofVisit1), 400,
        "invalid cursor");
  }

  @Test
  void hostileIdsAre400AndHostilePhaseNamesFindNothing() throws Exception {
    assertError(get(server, "/api/session/x%27%3B%20DROP%20TABLE%20unified_logs%3B--/phase/draft/rows"), 400,
        "invalid session id");
    assertError(get(server, "/api/session/" + "s".repeat(300) + "/phase/draft/rows"), 400, "invalid session id");
    assertError(get(server, "/api/session/sample-loop/phase/" + "p".repeat(300) + "/rows"), 400, "invalid phase name");
    assertError(get(server, "/api/session/sample-loop/phase/%E0%A4/rows"), 400, "invalid phase name: bad percent-encoding");
    assertError(get(server, "/api/session/sample-loop/phase/d%27%20OR%20%271%27%3D%271/rows"), 404,
        "phase d' OR '1'='1 did not run");
  }

  @Test
  void anEncodedSlashStaysInItsSegment() throws Exception {
    assertError(get(server, "/api/session/sample-loop/phase/a%2Fb/rows"), 404, "phase a/b did not run");
    assertError(get(server, "/api/session/sample%2Floop/phase/draft/rows"), 400, "invalid session id");
  }

  @Test
  void aPhaseNameIsDecodedOnce() throws Exception {
    // %2561 is "%61" once decoded, not "a"
    assertError(get(server, "/api/session/sample-loop/phase/dr%2561ft/rows"), 404, "phase dr%61ft did not run");
    assertThat(traces(page(server, "sample-loop", "dr%61ft", "visit=2"))).hasSize(4);
  }
}
