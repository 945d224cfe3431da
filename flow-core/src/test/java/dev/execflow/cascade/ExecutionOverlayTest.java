package dev.execflow.cascade;

import static dev.execflow.cascade.Sessions.attempt;
import static dev.execflow.cascade.Sessions.failed;
import static dev.execflow.cascade.Sessions.passed;
import static dev.execflow.cascade.Sessions.phase;
import static dev.execflow.cascade.Sessions.reforge;
import static dev.execflow.cascade.Sessions.soundings;
import static dev.execflow.cascade.Sessions.turns;
import static dev.execflow.cascade.Sessions.wards;
import static org.assertj.core.api.Assertions.assertThat;

import dev.execflow.model.Edge;
import dev.execflow.model.ExecutionData;
import dev.execflow.model.PhaseExecution;
import dev.execflow.model.Progress;
import dev.execflow.model.ReforgeStep;
import dev.execflow.model.SoundingAttempt;
import dev.execflow.model.Status;
import dev.execflow.model.WardResult;
import dev.execflow.model.Warnings;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Nested;
import org.junit.jupiter.api.Test;

/**
 * The overlay on blog_flow (cascade/blog_flow.json): research (max_turns 3) -> draft (3 soundings,
 * reforge 2 steps, pre ward facts_present, post wards length_check advisory then tone_check
 * retry) -> review (max_turns 2; hands back to draft or on to publish) -> publish.
 */
class ExecutionOverlayTest {

  static final CascadeDefinition BLOG_FLOW = CascadeDefinitionReaderTest.resource("blog_flow.json").spec();

  static ExecutionData overlay(ExecutionData data) {
    return ExecutionOverlay.apply(data, BLOG_FLOW);
  }

  @Test
  void withoutADefinitionNothingChanges() {
    ExecutionData data = Sessions.of("blog_flow").ran("research", phase(Status.RUNNING, 0.01)).build();

    assertThat(ExecutionOverlay.apply(data, null)).isSameAs(data);
  }

  @Nested
  class Phases {

    @Test
    void everyDeclaredPhaseAppearsInDefinitionOrder() {
      ExecutionData data = Sessions.of("blog_flow")
          .ran("research", phase(Status.COMPLETED, 0.01))
          .ran("draft", phase(Status.RUNNING, 0.02))
          .build();

      assertThat(overlay(data).phases()).containsOnlyKeys("research", "draft", "review", "publish");
      assertThat(overlay(data).phases().keySet()).containsExactly("research", "draft", "review", "publish");
    }

    @Test
    void aPhaseThatNeverStartedIsPendingWithNothingSpent() {
      ExecutionData data = Sessions.of("blog_flow").ran("research", phase(Status.RUNNING, 0.01)).build();

      PhaseExecution publish = overlay(data).phases().get("publish");

      assertThat(publish.status()).isEqualTo(Status.PENDING);
      assertThat(publish.cost()).isZero();
      assertThat(publish.duration()).isZero();
      assertThat(publish.visits()).isZero();
      assertThat(publish.soundingWinner()).isNull();
      assertThat(publish.progress()).isNull();
    }

    @Test
    void aPendingPhaseShowsItsDeclaredSoundingsReforgeWardsAndHandoffs() {
      ExecutionData data = Sessions.of("blog_flow").ran("research", phase(Status.RUNNING, 0.01)).build();

      PhaseExecution draft = overlay(data).phases().get("draft");

      assertThat(draft.status()).isEqualTo(Status.PENDING);
      assertThat(draft.details().soundings().winnerIndex()).isNull();
      assertThat(draft.details().soundings().attempts()).containsExactly(
          new SoundingAttempt(0, Status.PENDING, null, 0, false),
          new SoundingAttempt(1, Status.PENDING, null, 0, false),
          new SoundingAttempt(2, Status.PENDING, null, 0, false));
      assertThat(draft.details().reforge().reforgeSteps()).containsExactly(
          new ReforgeStep(1, null, 0, 0), new ReforgeStep(2, null, 0, 0));
      assertThat(draft.details().wards()).containsExactly(
          Map.entry("pre_0", new WardResult(null, null, "facts_present", "blocking", false)),
          Map.entry("post_0", new WardResult(null, null, "length_check", "advisory", false)),
          Map.entry("post_1", new WardResult(null, null, "tone_check", "retry", false)));
      assertThat(draft.declaredHandoffs()).containsExactly("review");
    }

    @Test
    void anExecutedPhaseKeepsEverythingItDid() {
      PhaseExecution research = phase(Status.COMPLETED, 0.0123);
      ExecutionData data = Sessions.of("blog_flow").ran("research", research).build();

      PhaseExecution overlaid = overlay(data).phases().get("research");

      assertThat(overlaid.withDeclaredHandoffs(List.of())).isEqualTo(research);
      assertThat(overlaid.declaredHandoffs()).containsExactly("draft");
    }

    @Test
    void declaredHandoffsAreTheDefinitionsThenAnyTheRunLoggedBesides() {
      PhaseExecution review = phase(Status.COMPLETED, 0.01).withDeclaredHandoffs(List.of("publish", "archive"));
      ExecutionData data = Sessions.of("blog_flow").ran("review", review).build();

      assertThat(overlay(data).phases().get("review").declaredHandoffs()).containsExactly("draft", "publish", "archive");
    }

    @Test
    void aPhaseThatRanButIsNotDeclaredIsKeptAfterTheDeclaredOnesAndWarned() {
      PhaseExecution legacy = phase(Status.COMPLETED, 0.005);
      ExecutionData data = Sessions.of("blog_flow")
          .ran("research", phase(Status.COMPLETED, 0.01))
          .ran("fact_check", legacy)
          .build();

      ExecutionData overlaid = overlay(data);

      assertThat(overlaid.phases().keySet()).containsExactly("research", "draft", "review", "publish", "fact_check");
      assertThat(overlaid.phases().get("fact_check")).isEqualTo(legacy);
      assertThat(overlaid.warnings().byKind()).containsEntry(ExecutionOverlay.PHASE_NOT_IN_SPEC, 1L);
      assertThat(overlaid.warnings().samples()).containsExactly(
          "phase_not_in_spec: phase 'fact_check' ran but the definition of 'blog_flow' does not declare it");
    }

    @Test
    void theExecutedPathHandoffsAndTransitionsAreUntouched() {
      ExecutionData data = Sessions.of("blog_flow")
          .ran("research", phase(Status.COMPLETED, 0.01))
          .ran("draft", phase(Status.COMPLETED, 0.02))
          .ran("review", phase(Status.COMPLETED, 0.01))
          .again("draft")
          .build();

      ExecutionData overlaid = overlay(data);

      assertThat(overlaid.executedPath()).containsExactly("research", "draft", "review", "draft");
      assertThat(overlaid.executedHandoffs()).isEqualTo(data.executedHandoffs());
      assertThat(overlaid.transitions()).isEqualTo(data.transitions());
    }
  }

  @Nested
  class Soundings {

    @Test
    void attemptsNotStartedYetAreAddedAsPendingUpToTheFactor() {
      ExecutionData data = Sessions.of("blog_flow")
          .ran("draft", phase(Status.RUNNING, 0.03, soundings(null,
              attempt(0, Status.COMPLETED, 0.01), attempt(2, Status.RUNNING, 0.02))))
          .build();

      assertThat(overlay(data).phases().get("draft").details().soundings().attempts()).containsExactly(
          attempt(0, Status.COMPLETED, 0.01),
          new SoundingAttempt(1, Status.PENDING, null, 0, false),
          attempt(2, Status.RUNNING, 0.02));
    }

    @Test
    void theWinnerStaysTheWinner() {
      SoundingAttempt winner = new SoundingAttempt(1, Status.COMPLETED, "the best draft", 0.02, true);
      ExecutionData data = Sessions.of("blog_flow")
          .ran("draft", phase(Status.COMPLETED, 0.03, soundings(1, attempt(0, Status.COMPLETED, 0.01), winner)))
          .build();

      PhaseExecution draft = overlay(data).phases().get("draft");

      assertThat(draft.soundingWinner()).isEqualTo(1);
      assertThat(draft.details().soundings().winnerIndex()).isEqualTo(1);
      assertThat(draft.details().soundings().attempts()).contains(winner);
    }

    @Test
    void attemptsBeyondTheFactorAreKept() {
      ExecutionData data = Sessions.of("blog_flow")
          .ran("draft", phase(Status.COMPLETED, 0.01, soundings(5, attempt(5, Status.COMPLETED, 0.01))))
          .build();

      assertThat(overlay(data).phases().get("draft").details().soundings().attempts())
          .extracting(SoundingAttempt::index, SoundingAttempt::status)
          .containsExactly(
              org.assertj.core.groups.Tuple.tuple(0, Status.PENDING),
              org.assertj.core.groups.Tuple.tuple(1, Status.PENDING),
              org.assertj.core.groups.Tuple.tuple(2, Status.PENDING),
              org.assertj.core.groups.Tuple.tuple(5, Status.COMPLETED));
    }

    @Test
    void aPhaseWithoutDeclaredSoundingsKeepsItsOwn() {
      ExecutionData data = Sessions.of("blog_flow")
          .ran("research", phase(Status.COMPLETED, 0.01, soundings(0, attempt(0, Status.COMPLETED, 0.01))))
          .build();

      assertThat(overlay(data).phases().get("research").details().soundings().attempts())
          .containsExactly(attempt(0, Status.COMPLETED, 0.01));
    }

    @Test
    void aFactorComputedAtRunTimeAddsNoPendingAttempts() {
      CascadeDefinition spec = new CascadeDefinition("c", null, List.of(new PhaseSpec("a", null, Rules.NONE,
          new SoundingsSpec(null, "{{ n }}", null, null, null), null, WardsSpec.NONE, List.of())), null);
      ExecutionData data = Sessions.of("c")
          .ran("a", phase(Status.RUNNING, 0.01, soundings(null, attempt(0, Status.RUNNING, 0.01))))
          .build();

      assertThat(ExecutionOverlay.apply(data, spec).phases().get("a").details().soundings().attempts())
          .containsExactly(attempt(0, Status.RUNNING, 0.01));
    }
  }

  @Nested
  class Reforge {

    @Test
    void stepsNotRunYetAreAddedWithoutWinner() {
      ExecutionData data = Sessions.of("blog_flow")
          .ran("draft", phase(Status.RUNNING, 0.03, reforge(false, new ReforgeStep(1, 0, 2, 0.004))))
          .build();

      dev.execflow.model.Reforge reforge = overlay(data).phases().get("draft").details().reforge();

      assertThat(reforge.reforgeSteps()).containsExactly(new ReforgeStep(1, 0, 2, 0.004), new ReforgeStep(2, null, 0, 0));
      assertThat(reforge.thresholdMet()).isFalse();
    }

    @Test
    void anEarlyStopIsKept() {
      ExecutionData data = Sessions.of("blog_flow")
          .ran("draft", phase(Status.COMPLETED, 0.03, reforge(true, new ReforgeStep(1, 1, 2, 0.004))))
          .build();

      assertThat(overlay(data).phases().get("draft").details().reforge().thresholdMet()).isTrue();
    }
  }

  @Nested
  class Wards {

    @Test
    void wardsAreKeyedInTheDefinitionsOrderNotTheOrderTheyRan() {
      // tone_check ran before length_check, so the assembler keyed it post_0
      ExecutionData data = Sessions.of("blog_flow")
          .ran("draft", phase(Status.COMPLETED, 0.03, wards(
              "pre_0", passed("facts_present", "blocking"),
              "post_0", passed("tone_check", "retry"),
              "post_1", failed("length_check", "advisory", "too long: 1200 words"))))
          .build();

      assertThat(overlay(data).phases().get("draft").details().wards()).containsExactly(
          Map.entry("pre_0", passed("facts_present", "blocking")),
          Map.entry("post_0", failed("length_check", "advisory", "too long: 1200 words")),
          Map.entry("post_1", passed("tone_check", "retry")));
    }

    @Test
    void aDeclaredWardThatHasNotRunIsPending() {
      ExecutionData data = Sessions.of("blog_flow")
          .ran("draft", phase(Status.RUNNING, 0.01, wards("pre_0", passed("facts_present", "blocking"))))
          .build();

      Map<String, WardResult> wards = overlay(data).phases().get("draft").details().wards();

      assertThat(wards.get("post_0")).isEqualTo(new WardResult(null, null, "length_check", "advisory", false));
      assertThat(wards.get("post_1").valid()).isNull();
    }

    @Test
    void theModeTheRunLoggedWinsOverTheDeclaredOne() {
      ExecutionData data = Sessions.of("blog_flow")
          .ran("draft", phase(Status.COMPLETED, 0.01, wards(
              "pre_0", passed("facts_present", "advisory"),
              "post_0", new WardResult(true, "fine", "length_check", null, false))))
          .build();

      Map<String, WardResult> wards = overlay(data).phases().get("draft").details().wards();

      assertThat(wards.get("pre_0").mode()).isEqualTo("advisory");
      assertThat(wards.get("post_0").mode()).isEqualTo("advisory");
      assertThat(wards.get("post_0").reason()).isEqualTo("fine");
    }

    @Test
    void aBlockedWardStaysBlocked() {
      WardResult blocked = new WardResult(false, "no facts", "facts_present", "blocking", true);
      ExecutionData data = Sessions.of("blog_flow")
          .ran("draft", phase(Status.ERROR, 0.01, wards("pre_0", blocked)))
          .build();

      assertThat(overlay(data).phases().get("draft").details().wards().get("pre_0")).isEqualTo(blocked);
    }

    @Test
    void aWardThatRanButIsNotDeclaredFollowsTheDeclaredOnesAndIsWarned() {
      ExecutionData data = Sessions.of("blog_flow")
          .ran("draft", phase(Status.COMPLETED, 0.01, wards(
              "pre_0", passed("spell_check", "advisory"),
              "pre_1", passed("facts_present", "blocking"))))
          .build();

      ExecutionData overlaid = overlay(data);

      assertThat(overlaid.phases().get("draft").details().wards()).containsExactly(
          Map.entry("pre_0", passed("facts_present", "blocking")),
          Map.entry("pre_1", passed("spell_check", "advisory")),
          Map.entry("post_0", new WardResult(null, null, "length_check", "advisory", false)),
          Map.entry("post_1", new WardResult(null, null, "tone_check", "retry", false)));
      assertThat(overlaid.warnings().byKind()).containsEntry(ExecutionOverlay.WARD_NOT_IN_SPEC, 1L);
    }

    @Test
    void wardsOfAPhaseWithoutDeclaredWardsAreKeptAndWarned() {
      ExecutionData data = Sessions.of("blog_flow")
          .ran("research", phase(Status.COMPLETED, 0.01, wards("post_0", passed("json_valid", "blocking"))))
          .build();

      ExecutionData overlaid = overlay(data);

      assertThat(overlaid.phases().get("research").details().wards())
          .containsExactly(Map.entry("post_0", passed("json_valid", "blocking")));
      assertThat(overlaid.warnings().byKind()).containsEntry(ExecutionOverlay.WARD_NOT_IN_SPEC, 1L);
    }
  }

  @Nested
  class ProgressOfTheRunningPhase {

    @Test
    void turnsStartedOfTheDeclaredMaximum() {
      ExecutionData data = Sessions.of("blog_flow").ran("research", turns(Status.RUNNING, 2, null)).build();

      assertThat(overlay(data).phases().get("research").progress()).isEqualTo(new Progress(2, 3, null, null, null, null));
    }

    @Test
    void withoutADeclaredMaximumTheLoggedOneIsUsed() {
      ExecutionData data = Sessions.of("blog_flow").ran("publish", turns(Status.RUNNING, 1, 4)).build();

      assertThat(overlay(data).phases().get("publish").progress()).isEqualTo(new Progress(1, 4, null, null, null, null));
    }

    @Test
    void finishedAttemptsOfTheFactorAndTheReforgeStepReached() {
      PhaseExecution draft = phase(Status.RUNNING, 0.05, new dev.execflow.model.PhaseDetails(
          new dev.execflow.model.Soundings(null, List.of(
              attempt(0, Status.COMPLETED, 0.01), attempt(1, Status.ERROR, 0.01), attempt(2, Status.RUNNING, 0.01))),
          new dev.execflow.model.Reforge(List.of(new ReforgeStep(1, 0, 2, 0.01)), false),
          Map.of()));
      ExecutionData data = Sessions.of("blog_flow").ran("draft", draft).build();

      assertThat(overlay(data).phases().get("draft").progress()).isEqualTo(new Progress(null, null, 2, 3, 1, 2));
    }

    @Test
    void beforeAnyAttemptFinishedItIsZeroOfTheFactor() {
      ExecutionData data = Sessions.of("blog_flow").ran("draft", phase(Status.RUNNING, 0)).build();

      assertThat(overlay(data).phases().get("draft").progress()).isEqualTo(new Progress(null, null, 0, 3, 0, 2));
    }

    @Test
    void onlyTheRunningPhaseHasProgress() {
      ExecutionData data = Sessions.of("blog_flow")
          .ran("research", turns(Status.COMPLETED, 3, null))
          .ran("draft", phase(Status.ERROR, 0.01))
          .status(Status.ERROR)
          .build();

      assertThat(overlay(data).phases().values()).extracting(PhaseExecution::progress).containsOnlyNulls();
    }

    @Test
    void aRunningPhaseWithoutAnyLimitHasNoProgress() {
      ExecutionData data = Sessions.of("blog_flow").ran("publish", turns(Status.RUNNING, 1, null)).build();

      assertThat(overlay(data).phases().get("publish").progress()).isNull();
    }
  }

  @Nested
  class Edges {

    @Test
    void declaredHandoffsWithTheOnesTakenFlagged() {
      ExecutionData data = Sessions.of("blog_flow")
          .ran("research", phase(Status.COMPLETED, 0.01))
          .ran("draft", phase(Status.COMPLETED, 0.02))
          .ran("review", phase(Status.RUNNING, 0.01))
          .build();

      assertThat(overlay(data).edges()).containsExactly(
          new Edge("research", "draft", true, true),
          new Edge("draft", "review", true, true),
          new Edge("review", "draft", true, false),
          new Edge("review", "publish", true, false));
    }

    @Test
    void aLoopBackIsTakenToo() {
      ExecutionData data = Sessions.of("blog_flow")
          .ran("draft", phase(Status.COMPLETED, 0.02))
          .ran("review", phase(Status.COMPLETED, 0.01))
          .again("draft")
          .build();

      assertThat(overlay(data).edges()).contains(new Edge("review", "draft", true, true));
    }

    @Test
    void aHandoffTakenButNotDeclaredIsAnUndeclaredEdge() {
      ExecutionData data = Sessions.of("blog_flow")
          .ran("research", phase(Status.COMPLETED, 0.01))
          .ran("publish", phase(Status.COMPLETED, 0.01))
          .build();

      List<Edge> edges = overlay(data).edges();

      assertThat(edges).contains(new Edge("research", "draft", true, false));
      assertThat(edges).last().isEqualTo(new Edge("research", "publish", false, true));
    }

    @Test
    void aHandoffKnownOnlyFromExecutedHandoffsCountsAsTaken() {
      ExecutionData built = Sessions.of("blog_flow")
          .ran("research", phase(Status.COMPLETED, 0.01))
          .ran("draft", phase(Status.RUNNING, 0.01))
          .build();
      // e.g. data read back from JSON written before transitions existed
      ExecutionData data = new ExecutionData(built.sessionId(), built.cascadeId(), built.executedPath(),
          built.executedHandoffs(), built.phases(), built.summary(), List.of(), null, built.warnings());

      assertThat(overlay(data).edges()).contains(new Edge("research", "draft", true, true));
    }

    @Test
    void aDeclaredHandoffToAPhaseNobodyHasIsLeftOutAndWarned() {
      CascadeDefinition spec = new CascadeDefinition("c", null,
          List.of(PhaseSpec.named("a", "b", "ghost"), PhaseSpec.named("b")), null);
      ExecutionData data = Sessions.of("c").ran("a", phase(Status.RUNNING, 0)).build();

      ExecutionData overlaid = ExecutionOverlay.apply(data, spec);

      assertThat(overlaid.edges()).containsExactly(new Edge("a", "b", true, false));
      assertThat(overlaid.warnings().samples()).containsExactly(
          "spec_handoff_to_unknown_phase: phase 'a' declares a handoff to 'ghost', which is not a phase");
    }

    @Test
    void aDeclaredHandoffToAPhaseThatRanButIsNotDeclaredIsAnEdge() {
      CascadeDefinition spec = new CascadeDefinition("c", null, List.of(PhaseSpec.named("a", "legacy")), null);
      ExecutionData data = Sessions.of("c")
          .ran("a", phase(Status.COMPLETED, 0))
          .ran("legacy", phase(Status.RUNNING, 0))
          .build();

      assertThat(ExecutionOverlay.apply(data, spec).edges()).containsExactly(new Edge("a", "legacy", true, true));
    }
  }

  @Nested
  class SummaryAndWarnings {

    @Test
    void theSummaryGainsTheNumberOfDeclaredPhasesAndKeepsTheRest() {
      ExecutionData data = Sessions.of("blog_flow")
          .ran("research", phase(Status.COMPLETED, 0.01))
          .ran("draft", phase(Status.RUNNING, 0.02))
          .build();

      ExecutionData overlaid = overlay(data);

      assertThat(overlaid.summary()).isEqualTo(data.summary().withTotalPhases(4));
      assertThat(overlaid.summary().phaseCount()).isEqualTo(2);
    }

    @Test
    void theOverlaysWarningsAddToTheSessions() {
      Warnings existing = new Warnings(3, Map.of("unknown_node_type", 3L), List.of("unknown_node_type: x"));
      ExecutionData data = Sessions.of("blog_flow")
          .ran("fact_check", phase(Status.COMPLETED, 0.01))
          .warnings(existing)
          .build();

      Warnings warnings = overlay(data).warnings();

      assertThat(warnings.count()).isEqualTo(4);
      assertThat(warnings.byKind()).containsExactly(
          Map.entry("unknown_node_type", 3L), Map.entry(ExecutionOverlay.PHASE_NOT_IN_SPEC, 1L));
      assertThat(warnings.samples()).hasSize(2).first().isEqualTo("unknown_node_type: x");
    }

    @Test
    void aCleanOverlayAddsNoWarnings() {
      ExecutionData data = Sessions.of("blog_flow").ran("research", phase(Status.RUNNING, 0.01)).build();

      assertThat(overlay(data).warnings()).isEqualTo(Warnings.NONE);
    }

    @Test
    void aDefinitionOfAnotherCascadeIsWarned() {
      ExecutionData data = Sessions.of("other_flow").ran("research", phase(Status.RUNNING, 0.01)).build();

      assertThat(overlay(data).warnings().samples()).containsExactly(
          "spec_cascade_mismatch: session of cascade 'other_flow' overlaid on the definition of 'blog_flow'");
    }
  }
}
