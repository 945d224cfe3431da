package dev.execflow.examples.server;

import static dev.execflow.examples.server.FlowServerHttpTest.assertError;
import static dev.execflow.examples.server.FlowServerHttpTest.get;
import static dev.execflow.examples.server.FlowServerHttpTest.json;
import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import dev.execflow.cascade.CascadeCatalog;
import dev.execflow.examples.service.ExecutionFlowService;
import dev.execflow.testing.Samples;
import java.net.http.HttpResponse;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * {@code GET /api/compare} over real HTTP, on the samples and the further runs of the loop
 * sample's cascade ({@code sample-loop-2..4}; their numbers are in the samples' README, the deltas
 * below are worked out by hand from them).
 */
class FlowServerCompareTest {
  private static FlowServer server;

  @BeforeAll
  static void start() {
    server = FlowServer.start(new ExecutionFlowService(Samples.sourceWithOtherRuns(), CascadeCatalog.bundledSamples()),
        "127.0.0.1", 0);
  }

  @AfterAll
  static void stop() {
    server.close();
  }

  private static JsonNode phase(JsonNode body, String name) {
    for (JsonNode p : body.get("phases")) {
      if (p.get("phase").asText().equals(name)) {
        return p;
      }
    }
    throw new AssertionError("no phase " + name + " in " + body);
  }

  @Test
  void twoRunsOfOneCascadeShowEachPhasesDeltas() throws Exception {
    HttpResponse<String> r = get(server, "/api/compare?a=sample-loop&b=sample-loop-2");

    assertThat(r.statusCode()).isEqualTo(200);
    JsonNode body = json(r);
    assertThat(body.get("sameCascade").asBoolean()).isTrue();
    JsonNode draft = phase(body, "draft");
    assertThat(draft.get("a").get("cost").decimalValue()).isEqualByComparingTo("0.0018");
    assertThat(draft.get("a").get("visits").asInt()).isEqualTo(2);
    assertThat(draft.get("b").get("turns").asInt()).isEqualTo(2);
    assertThat(draft.get("delta").get("cost").decimalValue()).isEqualByComparingTo("0.0009");
    assertThat(draft.get("delta").get("durationMs").asLong()).isEqualTo(1000);
    assertThat(draft.get("delta").get("turns").asLong()).isEqualTo(-1);
    assertThat(phase(body, "review").get("delta").get("cost").decimalValue()).isEqualByComparingTo("-0.0001");
    assertThat(phase(body, "review").get("delta").get("durationMs").asLong()).isEqualTo(-500);
    assertThat(phase(body, "publish").get("delta").get("cost").decimalValue()).isEqualByComparingTo("0.0001");
  }

  @Test
  void theSummaryDeltaAndBothSidesAreInTheBody() throws Exception {
    JsonNode body = json(get(server, "/api/compare?a=sample-loop&b=sample-loop-2"));

    assertThat(body.get("a").get("sessionId").asText()).isEqualTo("sample-loop");
    assertThat(body.get("a").get("cascadeId").asText()).isEqualTo("draft_review_loop");
    assertThat(body.get("a").get("totalCost").decimalValue()).isEqualByComparingTo("0.0026");
    assertThat(body.get("a").get("durationMs").asLong()).isEqualTo(9000);
    assertThat(body.get("b").get("sessionId").asText()).isEqualTo("sample-loop-2");
    assertThat(body.get("b").get("turns").asLong()).isEqualTo(4);
    assertThat(body.get("summaryDelta").get("cost").decimalValue()).isEqualByComparingTo("0.0009");
    assertThat(body.get("summaryDelta").get("durationMs").asLong()).isEqualTo(1000);
    assertThat(body.get("summaryDelta").get("turns").asLong()).isEqualTo(-1);
  }

  @Test
  void aPhaseOnlyOneSideRanHasTheOtherSideAndTheDeltaNull() throws Exception {
    JsonNode body = json(get(server, "/api/compare?a=sample-loop-3&b=sample-loop"));

    JsonNode publish = body.get("phases").get(2);
    assertThat(publish.get("phase").asText()).isEqualTo("publish");
    assertThat(publish.get("a").isNull()).isTrue();
    assertThat(publish.get("delta").isNull()).isTrue();
    assertThat(publish.get("b").get("cost").decimalValue()).isEqualByComparingTo("0.0003");
  }

  @Test
  void aMedianBaselineIsTheLastFinishedRunsOfTheCascadeWithoutA() throws Exception {
    HttpResponse<String> r = get(server, "/api/compare?a=sample-loop&median=3");

    assertThat(r.statusCode()).isEqualTo(200);
    JsonNode b = json(r).get("b");
    assertThat(b.get("sessionId").isNull()).isTrue();
    assertThat(b.get("median").asInt()).isEqualTo(3);
    assertThat(b.get("sessions")).extracting(JsonNode::asText)
        .containsExactly("sample-loop-4", "sample-loop-3", "sample-loop-2");
    assertThat(b.get("totalCost").decimalValue()).isEqualByComparingTo("0.0017");
    assertThat(b.get("durationMs").asLong()).isEqualTo(8000);
  }

  @Test
  void aMedianBaselineHasEachPhasesMedian() throws Exception {
    JsonNode body = json(get(server, "/api/compare?a=sample-loop&median=3"));

    JsonNode draft = phase(body, "draft");
    assertThat(draft.get("b").get("cost").decimalValue()).isEqualByComparingTo("0.0012");
    assertThat(draft.get("b").get("durationMs").asLong()).isEqualTo(3000);
    assertThat(draft.get("delta").get("cost").decimalValue()).isEqualByComparingTo("0.0006");
    assertThat(draft.get("delta").get("durationMs").asLong()).isEqualTo(500);
    assertThat(phase(body, "review").get("b").get("cost").decimalValue()).isEqualByComparingTo("0.0006");
    assertThat(body.get("summaryDelta").get("cost").decimalValue()).isEqualByComparingTo("0.0009");
  }

  @Test
  void aSmallerMedianTakesTheNewestRuns() throws Exception {
    JsonNode b = json(get(server, "/api/compare?a=sample-loop-2&median=2")).get("b");

    assertThat(b.get("sessions")).extracting(JsonNode::asText).containsExactly("sample-loop-4", "sample-loop-3");
  }

  @Test
  void aMedianWithMoreRunsAskedForThanThereAreUsesThoseThereAre() throws Exception {
    JsonNode b = json(get(server, "/api/compare?a=sample-loop-4&median=50")).get("b");

    assertThat(b.get("median").asInt()).isEqualTo(3);
    assertThat(b.get("sessions")).extracting(JsonNode::asText)
        .containsExactly("sample-loop-3", "sample-loop-2", "sample-loop");
  }

  @Test
  void aRunningSessionIsNoBaseline() throws Exception {
    // sample-running is the only run of its cascade, and it has not ended
    assertError(get(server, "/api/compare?a=sample-running&median=5"), 404, "no finished runs of cascade research_report");
  }

  @Test
  void anUnknownSessionIs404() throws Exception {
    assertError(get(server, "/api/compare?a=sample-loop&b=no-such-run"), 404, "unknown session: no-such-run");
    assertError(get(server, "/api/compare?a=no-such-run&b=sample-loop"), 404, "unknown session: no-such-run");
    assertError(get(server, "/api/compare?a=no-such-run&median=3"), 404, "unknown session: no-such-run");
  }

  @Test
  void badParametersAre400() throws Exception {
    assertError(get(server, "/api/compare?b=sample-loop"), 400, "missing parameter a");
    assertError(get(server, "/api/compare?a=sample-loop"), 400, "missing parameter b");
    assertError(get(server, "/api/compare?a=sample-loop&b=sample-loop-2&median=3"), 400, "not both");
    assertError(get(server, "/api/compare?a=sample-loop&median=0"), 400, "invalid median: expected a number from 1 to 50");
    assertError(get(server, "/api/compare?a=sample-loop&median=51"), 400, "invalid median");
    assertError(get(server, "/api/compare?a=sample-loop&median=three"), 400, "invalid median");
  }

  @Test
  void hostileIdsAre400AndNeverReachTheSource() throws Exception {
    assertError(get(server, "/api/compare?a=x%27%3B%20DROP%20TABLE%20unified_logs%3B--&b=sample-loop"), 400,
        "invalid session id a");
    assertError(get(server, "/api/compare?a=sample-loop&b=" + "z".repeat(300)), 400, "invalid session id b");
    assertError(get(server, "/api/compare?a=%E0%A4&b=sample-loop"), 400, "bad percent-encoding");
  }
}
