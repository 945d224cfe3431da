package dev.execflow.compare;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.execflow.assemble.AssemblyOptions;
import dev.execflow.assemble.ExecutionAssembler;
import dev.execflow.json.ExecutionJson;
import dev.execflow.model.ExecutionData;
import dev.execflow.model.Status;
import dev.execflow.source.jsonl.JsonlLogSource;
import dev.execflow.spi.SessionQuery;
import dev.execflow.testing.Samples;
import java.util.List;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * Comparisons of runs of the {@code draft_review_loop} cascade: the {@code loop} sample and its
 * further runs {@code loop-2..4}, whose numbers are in the samples' README; every delta below is
 * worked out by hand from them.
 */
class ExecutionComparisonSamplesTest {
  private static JsonlLogSource source;

  @BeforeAll
  static void open() {
    source = Samples.sourceWithOtherRuns();
  }

  @AfterAll
  static void close() {
    source.close();
  }

  private static ExecutionData run(String name) {
    return ExecutionAssembler.assemble(source, SessionQuery.of(Samples.sessionId(name)), AssemblyOptions.defaults());
  }

  @Test
  void eachPhaseShowsBothRunsSideBySide() {
    ExecutionComparison c = ExecutionComparison.of(run("loop"), run("loop-2"));

    PhaseComparison draft = c.phase("draft").orElseThrow();
    assertThat(draft.a()).isEqualTo(new PhaseSide(Status.COMPLETED, 0.0018, 3500, 1, 2));
    assertThat(draft.b()).isEqualTo(new PhaseSide(Status.COMPLETED, 0.0009, 2500, 2, 1));
  }

  @Test
  void theDeltaOfEachPhaseIsAMinusB() {
    ExecutionComparison c = ExecutionComparison.of(run("loop"), run("loop-2"));

    assertThat(c.phases()).extracting(PhaseComparison::phase).containsExactly("draft", "review", "publish");
    assertThat(c.phase("draft").orElseThrow().delta()).isEqualTo(new Delta(0.0009, 1000, -1));
    assertThat(c.phase("review").orElseThrow().delta()).isEqualTo(new Delta(-0.0001, -500, 0));
    assertThat(c.phase("publish").orElseThrow().delta()).isEqualTo(new Delta(0.0001, 0, 0));
  }

  @Test
  void theSummaryDeltaIsTheDifferenceOfTheTotals() {
    ExecutionComparison c = ExecutionComparison.of(run("loop"), run("loop-2"));

    assertThat(c.a()).isEqualTo(new SessionSide("sample-loop", "draft_review_loop", Status.COMPLETED, 0.0026, 9000, 3,
        null, null));
    assertThat(c.b()).isEqualTo(new SessionSide("sample-loop-2", "draft_review_loop", Status.COMPLETED, 0.0017, 8000,
        4, null, null));
    assertThat(c.summaryDelta()).isEqualTo(new Delta(0.0009, 1000, -1));
    assertThat(c.sameCascade()).isTrue();
  }

  @Test
  void aPhaseOnlyBRanComesLastWithoutASideOrDelta() {
    // loop-3 failed in review and never published
    ExecutionComparison c = ExecutionComparison.of(run("loop-3"), run("loop"));

    assertThat(c.phases()).extracting(PhaseComparison::phase).containsExactly("draft", "review", "publish");
    PhaseComparison publish = c.phase("publish").orElseThrow();
    assertThat(publish.a()).isNull();
    assertThat(publish.b()).isEqualTo(new PhaseSide(Status.COMPLETED, 0.0003, 1000, 1, 1));
    assertThat(publish.delta()).isNull();
    assertThat(c.phase("review").orElseThrow().a().status()).isEqualTo(Status.ERROR);
  }

  @Test
  void aPhaseOnlyARanHasNoBSideOrDelta() {
    ExecutionComparison c = ExecutionComparison.of(run("loop"), run("loop-3"));

    PhaseComparison publish = c.phase("publish").orElseThrow();
    assertThat(publish.a()).isNotNull();
    assertThat(publish.b()).isNull();
    assertThat(publish.delta()).isNull();
  }

  @Test
  void runsOfTwoCascadesAreNotTheSameCascade() {
    ExecutionComparison c = ExecutionComparison.of(run("loop"), run("soundings"));

    assertThat(c.sameCascade()).isFalse();
    assertThat(c.phases()).extracting(PhaseComparison::phase)
        .containsExactly("draft", "review", "publish", "brief", "tagline", "finalize");
    assertThat(c.phases()).allSatisfy(p -> assertThat(p.delta()).isNull());
  }

  @Test
  void aMedianBaselineTakesEachPhasesLowerMedianOverTheRunsThatRanIt() {
    ExecutionComparison c = ExecutionComparison.median(run("loop"), List.of(run("loop-4"), run("loop-3"), run("loop-2")));

    // draft: costs 0.0015 / 0.0012 / 0.0009, durations 3500 / 3000 / 2500, turns 1 / 1 / 2, visits 2 / 1 / 1
    assertThat(c.phase("draft").orElseThrow().b()).isEqualTo(new PhaseSide(Status.COMPLETED, 0.0012, 3000, 1, 1));
    // review: 0.0007 / 0.0004 / 0.0006, 3000 / 2000 / 2000; completed twice, error once
    assertThat(c.phase("review").orElseThrow().b()).isEqualTo(new PhaseSide(Status.COMPLETED, 0.0006, 2000, 1, 1));
    // publish ran in loop-4 (0.0005, 1500) and loop-2 (0.0002, 1000): the lower of the two
    assertThat(c.phase("publish").orElseThrow().b()).isEqualTo(new PhaseSide(Status.COMPLETED, 0.0002, 1000, 1, 1));
    assertThat(c.phase("draft").orElseThrow().delta()).isEqualTo(new Delta(0.0006, 500, 0));
    assertThat(c.phase("review").orElseThrow().delta()).isEqualTo(new Delta(-0.0001, -500, 0));
    assertThat(c.phase("publish").orElseThrow().delta()).isEqualTo(new Delta(0.0001, 0, 0));
  }

  @Test
  void aMedianBaselineNamesTheRunsItWasTakenOver() {
    ExecutionComparison c = ExecutionComparison.median(run("loop"), List.of(run("loop-4"), run("loop-3"), run("loop-2")));

    // totals 0.0027 / 0.0016 / 0.0017, durations 11500 / 6500 / 8000, turns 3 / 2 / 4
    assertThat(c.b()).isEqualTo(new SessionSide(null, "draft_review_loop", Status.COMPLETED, 0.0017, 8000, 3, 3,
        List.of("sample-loop-4", "sample-loop-3", "sample-loop-2")));
    assertThat(c.summaryDelta()).isEqualTo(new Delta(0.0009, 1000, 0));
    assertThat(c.sameCascade()).isTrue();
  }

  @Test
  void aMedianNeedsABaseline() {
    ExecutionData loop = run("loop");

    assertThatThrownBy(() -> ExecutionComparison.median(loop, List.of()))
        .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("at least one");
  }

  @Test
  void theJsonHasTheServicesShape() throws Exception {
    ExecutionComparison c = ExecutionComparison.of(run("loop"), run("loop-3"));

    JsonNode json = new ObjectMapper().readTree(ExecutionJson.write(c));

    assertThat(json.get("a").get("sessionId").asText()).isEqualTo("sample-loop");
    assertThat(json.get("a").get("durationMs").asLong()).isEqualTo(9000);
    assertThat(json.get("a").has("median")).isFalse();
    assertThat(json.get("b").get("status").asText()).isEqualTo("error");
    JsonNode publish = json.get("phases").get(2);
    assertThat(publish.get("phase").asText()).isEqualTo("publish");
    assertThat(publish.get("b").isNull()).isTrue();
    assertThat(publish.get("delta").isNull()).isTrue();
    assertThat(json.get("phases").get(0).get("delta").get("cost").decimalValue())
        .isEqualByComparingTo("0.0006"); // 0.0018 - 0.0012
    assertThat(json.get("summaryDelta").get("cost").decimalValue()).isEqualByComparingTo("0.001");
    assertThat(json.get("sameCascade").asBoolean()).isTrue();
  }

  @Test
  void theJsonOfAMedianHasNoSessionIdButItsRuns() throws Exception {
    ExecutionComparison c = ExecutionComparison.median(run("loop"), List.of(run("loop-2")));

    JsonNode b = new ObjectMapper().readTree(ExecutionJson.write(c)).get("b");

    assertThat(b.has("sessionId")).isTrue();
    assertThat(b.get("sessionId").isNull()).isTrue();
    assertThat(b.get("median").asInt()).isEqualTo(1);
    assertThat(b.get("sessions")).extracting(JsonNode::asText).containsExactly("sample-loop-2");
  }
}
