package dev.execflow.assemble;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import dev.execflow.model.ExecutionData;
import dev.execflow.model.PhaseExecution;
import dev.execflow.model.Status;
import dev.execflow.model.WardResult;
import dev.execflow.spi.MutableLogRow;
import java.time.Clock;
import java.time.Instant;
import java.time.ZoneOffset;
import org.junit.jupiter.api.Nested;
import org.junit.jupiter.api.Test;

/** One test per pitfall of the original data listed in DESIGN.md. */
class PitfallsTest {
  private final Rows r = new Rows();

  @Nested
  class CostIsCountedOncePerCall {
    @Test
    void aCostCopiedOntoASecondRowOfTheSameCallCountsOnce() {
      r.phaseStart(0, "draft");
      r.llmCall(1, "draft", "call-1", 0.25);
      r.add(1.5, "message", "assistant").phaseName("draft").traceId("call-1").cost(0.25);
      r.completed(2);

      assertThat(r.fold().phases().get("draft").cost()).isEqualTo(0.25);
    }

    @Test
    void aLateCostUpdatePricesTheCallsPhaseWhileALaterPhaseRuns() {
      r.phaseStart(0, "draft");
      r.llmCall(1, "draft", "call-1", Double.NaN);
      r.phaseStart(2, "review");
      r.add(3, "cost_update", "system").traceId("call-1").cost(0.5).tokensIn(100).tokensOut(20);
      r.completed(4);

      ExecutionData data = r.fold();
      assertThat(data.phases().get("draft").cost()).isEqualTo(0.5);
      assertThat(data.phases().get("draft").tokensIn()).isEqualTo(100);
      assertThat(data.phases().get("review").cost()).isZero();
      assertThat(data.summary().totalCost()).isEqualTo(0.5);
    }

    @Test
    void aCostUpdateAfterTheTerminalRowStillCounts() {
      r.phaseStart(0, "draft");
      r.llmCall(1, "draft", "call-1", Double.NaN);
      r.completed(2);
      r.add(5, "cost_update", "system").traceId("call-1").cost(0.125);

      ExecutionData data = r.fold();
      assertThat(data.phases().get("draft").cost()).isEqualTo(0.125);
      assertThat(data.summary().status()).isEqualTo(Status.COMPLETED);
      assertThat(data.summary().totalDuration()).isEqualTo(2.0);
    }

    @Test
    void aCostUpdateForACallThatAlreadyHadItsCostIsNotAddedAgain() {
      r.phaseStart(0, "draft");
      r.llmCall(1, "draft", "call-1", 0.25);
      r.add(2, "cost_update", "system").traceId("call-1").cost(0.25);

      assertThat(r.fold().phases().get("draft").cost()).isEqualTo(0.25);
    }

    @Test
    void tokenCountsNoCallCanHaveAreWarnedAndDoNotWrapTheTotals() {
      r.phaseStart(0, "draft");
      r.llmCall(1, "draft", "call-1", 0.25).tokensIn(Long.MAX_VALUE - 1).tokensOut(10);
      r.llmCall(2, "draft", "call-2", 0.25).tokensIn(Long.MAX_VALUE - 1).tokensOut(-5);
      r.llmCall(3, "draft", "call-3", 0.25).tokensIn(100).tokensOut(20);

      ExecutionData data = r.fold();
      assertThat(data.summary().tokensIn()).isEqualTo(100);
      assertThat(data.summary().tokensOut()).isEqualTo(30);
      assertThat(data.warnings().byKind()).containsEntry("bad_tokens", 3L);
    }

    @Test
    void aNegativeOrAbsurdCostIsWarnedAndNotCounted() {
      r.phaseStart(0, "draft");
      r.llmCall(1, "draft", "call-1", -0.5);
      r.llmCall(2, "draft", "call-2", 5e6);
      r.llmCall(3, "draft", "call-3", 0.25);

      ExecutionData data = r.fold();
      assertThat(data.summary().totalCost()).isEqualTo(0.25);
      assertThat(data.warnings().byKind()).containsEntry("bad_cost", 2L);
    }

    @Test
    void theTotalIsExactNotASumOfDoubles() {
      r.phaseStart(0, "plan");
      r.llmCall(1, "plan", "call-1", 0.1);
      r.phaseStart(2, "draft");
      r.llmCall(3, "draft", "call-2", 0.2);
      r.phaseStart(4, "review");
      r.llmCall(5, "review", "call-3", 0.3);

      assertThat(0.1 + 0.2 + 0.3).isNotEqualTo(0.6); // what a double sum would report
      assertThat(r.fold().summary().totalCost()).isEqualTo(0.6);
    }

    @Test
    void anExactDuplicateRowIsFoldedOnce() {
      r.phaseStart(0, "draft");
      r.llmCall(1, "draft", "call-1", 0.25).messageId("m-1").turnNumber(0);
      r.llmCall(1, "draft", "call-1", 0.25).messageId("m-1").turnNumber(0);
      r.llmCall(1, "draft", "call-2", 0.5).messageId("m-2").turnNumber(1);

      ExecutionData data = r.fold();
      assertThat(data.phases().get("draft").cost()).isEqualTo(0.75);
      assertThat(data.summary().rowCount()).isEqualTo(3);
    }

    @Test
    void aRowWrittenTwiceInTwoShapesCountsOnce() {
      r.phaseStart(0, "draft");
      r.add(1, "tool_call", "tool_call").phaseName("draft").traceId("tool-1").parentId("x");
      r.add(1, "tool_call", "assistant").traceId("tool-1").cost(0.1);
      r.add(1, "tool_call", "tool").traceId("tool-1").cost(0.1);

      ExecutionData data = r.fold();
      assertThat(data.summary().rowCount()).isEqualTo(2);
      assertThat(data.phases().get("draft").rowCount()).isEqualTo(2);
    }
  }

  @Nested
  class RowsWithoutPhaseName {
    @Test
    void followTheirParentChainNotTheRunningPhase() {
      r.phaseStart(0, "draft").traceId("phase-draft");
      r.add(1, "agent", "assistant").traceId("call-1").parentId("phase-draft").cost(0.25);
      r.add(2, "tool_call", "tool_call").traceId("tool-1").parentId("call-1");
      r.phaseStart(3, "review").traceId("phase-review");
      // A slow tool result of draft's call arrives while review runs.
      r.add(4, "tool_result", "tool").traceId("tool-1-result").parentId("tool-1").cost(0.5);

      ExecutionData data = r.fold();
      assertThat(data.phases().get("draft").cost()).isEqualTo(0.75);
      assertThat(data.phases().get("draft").rowCount()).isEqualTo(4);
      assertThat(data.phases().get("review").rowCount()).isEqualTo(1);
    }

    @Test
    void aPhaseStartWithoutNameIsNamedByItsContent() {
      r.add(0, "phase", "phase_start").contentJson("\"outline\"");
      r.llmCall(1, "outline", "c1", 0.1);

      ExecutionData data = r.fold();
      assertThat(data.executedPath()).containsExactly("outline");
      assertThat(data.phases().get("outline").visits()).isEqualTo(1);
    }

    @Test
    void aBlockingWardRowWithoutPhaseNameBelongsToTheRunningPhase() {
      r.phaseStart(0, "draft");
      r.add(1, "pre_ward", "ward").phaseName("draft")
          .metadataJson("{\"validator\":\"length\",\"mode\":\"blocking\",\"valid\":false,\"reason\":\"too long\"}");
      r.add(2, "ward_block", "pre_ward_blocked").metadataJson("{\"validator\":\"length\"}");
      r.failed(3);

      PhaseExecution draft = r.fold().phases().get("draft");
      assertThat(draft.status()).isEqualTo(Status.ERROR);
      assertThat(draft.details().wards().get("pre_0").blocked()).isTrue();
      assertThat(draft.error()).contains("blocked by pre ward length");
    }
  }

  @Nested
  class PhaseEnds {
    @Test
    void withoutCompleteRowsAPhaseEndsWhereTheNextStarts() {
      r.phaseStart(10, "a");
      r.phaseStart(13, "b");
      r.completed(20);

      ExecutionData data = r.fold();
      assertThat(data.phases().get("a").duration()).isEqualTo(3.0);
      assertThat(data.phases().get("a").status()).isEqualTo(Status.COMPLETED);
      assertThat(data.phases().get("b").duration()).isEqualTo(7.0);
      assertThat(data.summary().totalDuration()).isEqualTo(10.0);
    }

    @Test
    void durationsAreWallClockFromTimestampsNotDurationMs() {
      r.phaseStart(100.25, "a");
      r.llmCall(101, "a", "c1", 0.1).durationMs(999_999);
      r.phaseComplete(102.75, "a");

      assertThat(r.fold().phases().get("a").duration()).isEqualTo(2.5);
    }

    @Test
    void aPhaseWhoseLastEventWasAnErrorEndsInErrorEvenWhenTheCascadeGoesOn() {
      r.phaseStart(0, "a");
      r.add(1, "error", "error").phaseName("a").contentJson("\"tool crashed\"");
      r.phaseStart(2, "b");
      r.completed(3);

      ExecutionData data = r.fold();
      assertThat(data.phases().get("a").status()).isEqualTo(Status.ERROR);
      assertThat(data.phases().get("a").error()).isEqualTo("tool crashed");
      assertThat(data.phases().get("b").status()).isEqualTo(Status.COMPLETED);
    }

    @Test
    void anErrorFollowedByCompleteIsARecoveredError() {
      r.phaseStart(0, "a");
      r.add(1, "error", "error").phaseName("a").contentJson("\"rate limited\"");
      r.phaseComplete(2, "a");

      PhaseExecution a = r.fold().phases().get("a");
      assertThat(a.status()).isEqualTo(Status.COMPLETED);
      assertThat(a.error()).isEqualTo("rate limited");
    }

    @Test
    void thePhaseRunningWhenTheSessionFailsIsInError() {
      r.phaseStart(0, "a");
      r.phaseComplete(1, "a");
      r.phaseStart(2, "b");
      r.failed(3);

      ExecutionData data = r.fold();
      assertThat(data.phases().get("a").status()).isEqualTo(Status.COMPLETED);
      assertThat(data.phases().get("b").status()).isEqualTo(Status.ERROR);
      assertThat(data.summary().status()).isEqualTo(Status.ERROR);
    }

    @Test
    void aRunningPhaseLastsUntilTheLastRowOrTheClock() {
      r.phaseStart(100, "a");
      r.llmCall(104, "a", "c1", 0.1);

      assertThat(r.fold().phases().get("a").duration()).isEqualTo(4.0);
      Clock clock = Clock.fixed(Instant.ofEpochSecond(110), ZoneOffset.UTC);
      ExecutionData live = r.fold(AssemblyOptions.defaults().withClock(clock));
      assertThat(live.phases().get("a").status()).isEqualTo(Status.RUNNING);
      assertThat(live.phases().get("a").duration()).isEqualTo(10.0);
      assertThat(live.phases().get("a").endedAt()).isNull();
      assertThat(live.summary().status()).isEqualTo(Status.RUNNING);
    }
  }

  @Nested
  class Turns {
    @Test
    void turnCountIsHighestZeroBasedTurnPlusOne() {
      r.phaseStart(0, "a");
      r.llmCall(1, "a", "c0", 0.1).turnNumber(0);
      r.llmCall(2, "a", "c1", 0.1).turnNumber(1);
      r.llmCall(3, "a", "c2", 0.1).turnNumber(2);

      assertThat(r.fold().phases().get("a").turnCount()).isEqualTo(3);
    }

    @Test
    void aPhaseThatCalledTheModelWithoutTurnNumbersHasOneTurn() {
      r.phaseStart(0, "a");
      r.llmCall(1, "a", "c0", 0.1);

      assertThat(r.fold().phases().get("a").turnCount()).isEqualTo(1);
    }

    @Test
    void aTurnThatStartedCountsEvenIfItsModelCallFailed() {
      r.phaseStart(0, "a");
      r.llmCall(1, "a", "c0", 0.1).turnNumber(0);
      r.add(2, "turn", "structure").phaseName("a").metadataJson("{\"turn_number\": 2, \"max_turns\": 5}");
      r.add(3, "error", "error").phaseName("a");

      PhaseExecution a = r.fold().phases().get("a");
      assertThat(a.turnCount()).isEqualTo(2);
      assertThat(a.maxTurns()).isEqualTo(5);
    }

    @Test
    void aPhaseWithoutModelCallsHasNoTurns() {
      r.phaseStart(0, "a");
      r.phaseComplete(1, "a");

      assertThat(r.fold().phases().get("a").turnCount()).isZero();
    }
  }

  @Nested
  class Winners {
    private void soundings() {
      r.phaseStart(0, "a");
      for (int i = 0; i < 3; i++) {
        r.llmCall(1 + i, "a", "c" + i, 0.125 * (i + 1)).soundingIndex(i);
        r.add(4 + i, "sounding_attempt", "sounding_attempt").phaseName("a").soundingIndex(i)
            .contentJson("\"answer " + i + "\"");
      }
    }

    @Test
    void fromTheEvaluatorsMetadata() {
      soundings();
      r.add(8, "evaluator", "assistant").phaseName("a").metadataJson("{\"winner_index\": 2}");

      ExecutionData data = r.fold();
      assertThat(data.phases().get("a").soundingWinner()).isEqualTo(2);
      assertThat(data.phases().get("a").details().soundings().winnerIndex()).isEqualTo(2);
      assertThat(data.phases().get("a").details().soundings().attempts())
          .extracting(a -> a.cost()).containsExactly(0.125, 0.25, 0.375);
    }

    @Test
    void fromIsWinnerOnTheResultRow() {
      soundings();
      r.add(8, "soundings_result", "system").phaseName("a").soundingIndex(1).isWinner(true);

      assertThat(r.fold().phases().get("a").soundingWinner()).isEqualTo(1);
    }

    @Test
    void fromIsWinnerOnAnAttemptRow() {
      soundings();
      r.add(8, "sounding_attempt", "sounding_attempt").phaseName("a").soundingIndex(0).isWinner(true);

      assertThat(r.fold().phases().get("a").soundingWinner()).isZero();
    }

    @Test
    void fromTheWinningSoundingIndexColumn() {
      soundings();
      r.add(8, "phase", "phase_complete").phaseName("a").winningSoundingIndex(1);

      assertThat(r.fold().phases().get("a").soundingWinner()).isEqualTo(1);
    }

    @Test
    void unknownUntilSomethingSaysSo() {
      soundings();

      ExecutionData data = r.fold();
      assertThat(data.phases().get("a").soundingWinner()).isNull();
      assertThat(data.phases().get("a").details().soundings().attempts())
          .extracting(a -> a.preview()).containsExactly("answer 0", "answer 1", "answer 2");
    }

    @Test
    void reforgeRowsCarryingASoundingIndexAreNotSoundings() {
      soundings();
      r.add(8, "evaluator", "assistant").phaseName("a").metadataJson("{\"winner_index\": 2}");
      r.add(9, "reforge_attempt", "assistant").phaseName("a").reforgeStep(0).soundingIndex(7)
          .traceId("rf-0-7").cost(1.0);
      r.add(10, "reforge_attempt", "assistant").phaseName("a").reforgeStep(0).soundingIndex(8)
          .traceId("rf-0-8").cost(1.0);
      r.add(11, "reforge_winner", "system").phaseName("a").reforgeStep(0).metadataJson("{\"winner_index\": 8}");

      PhaseExecution a = r.fold().phases().get("a");
      assertThat(a.details().soundings().attempts()).extracting(x -> x.index()).containsExactly(0, 1, 2);
      assertThat(a.details().reforge().reforgeSteps()).singleElement().satisfies(step -> {
        assertThat(step.winnerIndex()).isEqualTo(8);
        assertThat(step.attempts()).isEqualTo(2);
        assertThat(step.cost()).isEqualTo(2.0);
      });
      assertThat(a.soundingWinner()).isEqualTo(2);
      assertThat(a.cost()).isEqualTo(0.75 + 2.0);
    }
  }

  @Test
  void aPhaseThatRunsTwiceIsTwiceInThePath() {
    r.phaseStart(0, "draft");
    r.phaseComplete(1, "draft");
    r.phaseStart(2, "review");
    r.phaseComplete(3, "review");
    r.phaseStart(4, "draft");
    r.phaseComplete(6, "draft");
    r.completed(7);

    ExecutionData data = r.fold();
    assertThat(data.executedPath()).containsExactly("draft", "review", "draft");
    assertThat(data.executedHandoffs()).containsEntry("draft", "review").containsEntry("review", "draft");
    assertThat(data.transitions()).hasSize(2);
    assertThat(data.phases().get("draft").visits()).isEqualTo(2);
    assertThat(data.phases().get("draft").duration()).isEqualTo(3.0);
    assertThat(data.summary().phaseCount()).isEqualTo(2);
  }

  @Test
  void theStructureRowAndThePhaseStartOfOneRunAreOneVisit() {
    r.add(0, "phase", "structure").phaseName("a").metadataJson("{\"handoffs\": [\"b\", {\"target\": \"c\"}]}");
    r.phaseStart(0.5, "a");
    r.phaseStart(1, "b");

    ExecutionData data = r.fold();
    assertThat(data.executedPath()).containsExactly("a", "b");
    assertThat(data.phases().get("a").declaredHandoffs()).containsExactly("b", "c");
  }

  @Test
  void wardsAreNumberedPerKindWithValidAndReasonFromMetadata() {
    r.phaseStart(0, "a");
    r.add(1, "pre_ward", "ward").phaseName("a")
        .metadataJson("{\"validator\":\"safety\",\"mode\":\"blocking\",\"valid\":true,\"reason\":\"ok\"}")
        .contentJson("\"FAILED: this text says failed but the metadata says valid\"");
    r.add(2, "pre_ward", "ward").phaseName("a").metadataJson("{\"validator\":\"format\",\"valid\":\"true\"}");
    r.add(3, "post_ward", "ward").phaseName("a")
        .metadataJson("{\"validator\":\"length\",\"mode\":\"advisory\",\"valid\":false,\"reason\":\"Length check failed\"}");

    var wards = r.fold().phases().get("a").details().wards();
    assertThat(wards).containsOnlyKeys("pre_0", "pre_1", "post_0");
    assertThat(wards.get("pre_0")).isEqualTo(new WardResult(true, "ok", "safety", "blocking", false));
    assertThat(wards.get("pre_1").valid()).isTrue();
    assertThat(wards.get("post_0")).isEqualTo(new WardResult(false, "Length check failed", "length", "advisory", false));
  }

  @Test
  void aHugeSoundingIndexAllocatesNothingByIndex() {
    r.phaseStart(0, "a");
    r.add(1, "sounding_attempt", "sounding_attempt").phaseName("a").soundingIndex(Integer.MAX_VALUE - 1);

    var attempts = r.fold().phases().get("a").details().soundings().attempts();
    assertThat(attempts).singleElement().satisfies(a -> assertThat(a.index()).isEqualTo(Integer.MAX_VALUE - 1));
  }

  @Test
  void soundingIndicesBeyondTheBoundAreCountedNotKept() {
    r.phaseStart(0, "a");
    for (int i = 0; i < 5; i++) {
      r.add(1 + i, "sounding_attempt", "sounding_attempt").phaseName("a").soundingIndex(i * 1000);
    }
    ExecutionData data = r.fold(AssemblyOptions.defaults().withLimits(10, 10, 3, 3, 3));

    assertThat(data.phases().get("a").details().soundings().attempts()).hasSize(3);
    assertThat(data.warnings().byKind()).containsEntry("attempt_limit", 2L);
  }

  @Test
  void malformedMetadataIsAWarningNotAnException() {
    r.phaseStart(0, "a");
    r.add(1, "turn", "structure").phaseName("a").metadataJson("{turn_number: oops");

    ExecutionData data = r.fold();
    assertThat(data.warnings().byKind()).containsEntry("bad_metadata_json", 1L);
    assertThat(data.phases().get("a").rowCount()).isEqualTo(2);
  }

  @Test
  void unknownNodeTypesAreCountedInWarnings() {
    r.phaseStart(0, "a");
    r.add(1, "hologram", "wizard").phaseName("a");

    ExecutionData data = r.fold();
    assertThat(data.warnings().byKind()).containsEntry("unknown_node_type", 1L);
    assertThat(data.warnings().samples()).anyMatch(s -> s.contains("hologram"));
    assertThat(data.phases().get("a").rowCount()).isEqualTo(2);
  }

  @Test
  void aRowWithEveryNullableColumnNullIsCountedAndWarned() {
    r.rows.add(new MutableLogRow());
    r.phaseStart(1, "a");
    r.rows.add(new MutableLogRow());

    ExecutionData data = r.fold();
    assertThat(data.summary().rowCount()).isEqualTo(3);
    assertThat(data.warnings().byKind()).containsKeys("missing_timestamp", "unknown_node_type");
    assertThat(data.executedPath()).containsExactly("a");
  }

  @Test
  void aSubCascadeIsListedButItsCostsStayInItsOwnSession() {
    r.phaseStart(0, "a");
    r.add(1, "link", "sub_cascade_start").phaseName("a").metadataJson("{\"sub_session_id\": \"child-1\"}");

    PhaseExecution a = r.fold().phases().get("a");
    assertThat(a.subCascades()).containsExactly("child-1");
    assertThat(a.cost()).isZero();
  }

  @Test
  void previewsAreCutToCharactersNotBytes() {
    r.phaseStart(0, "a");
    r.add(1, "sounding_attempt", "sounding_attempt").phaseName("a").soundingIndex(0)
        .contentJson("\"" + "é😀".repeat(40) + "\"");

    String preview = r.fold(AssemblyOptions.defaults().withPreviewLength(5))
        .phases().get("a").details().soundings().attempts().get(0).preview();
    assertThat(preview).isEqualTo("é😀é😀é...");
  }

  @Test
  void totalsAddUpOverPhases() {
    r.phaseStart(0, "a");
    r.llmCall(1, "a", "c1", 0.1);
    r.phaseStart(2, "b");
    r.llmCall(3, "b", "c2", 0.2);

    ExecutionData data = r.fold();
    assertThat(data.summary().totalCost()).isCloseTo(0.3, within(1e-12));
    assertThat(data.summary().phaseCount()).isEqualTo(2);
  }
}
