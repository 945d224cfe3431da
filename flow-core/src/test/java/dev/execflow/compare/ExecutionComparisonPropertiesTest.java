package dev.execflow.compare;

import static dev.execflow.Theories.theories;
import static org.assertj.core.api.Assertions.assertThat;
import static org.quicktheories.generators.SourceDSL.integers;
import static org.quicktheories.generators.SourceDSL.lists;

import dev.execflow.model.ExecutionData;
import dev.execflow.model.PhaseExecution;
import dev.execflow.model.Status;
import dev.execflow.model.Summary;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;
import org.quicktheories.core.Gen;
import org.quicktheories.generators.Generate;

/** Laws of comparing runs, over random runs of a handful of phases (some on one side only). */
class ExecutionComparisonPropertiesTest {
  private static final List<String> NAMES = List.of("a", "b", "c", "d", "e");
  private static final List<String> CASCADES = List.of("c1", "c2");

  @Test
  void aRunComparedWithItselfDiffersInNothing() {
    theories(300).forAll(runs()).checkAssert(x -> {
      ExecutionComparison c = ExecutionComparison.of(x, x);

      assertThat(c.summaryDelta()).isEqualTo(Delta.ZERO);
      assertThat(c.phases()).allSatisfy(p -> {
        assertThat(p.delta()).as(p.phase()).isEqualTo(Delta.ZERO);
        assertThat(p.a()).as(p.phase()).isEqualTo(p.b());
      });
      assertThat(c.phases()).extracting(PhaseComparison::phase)
          .containsExactlyElementsOf(x.executedPath().stream().distinct().toList());
    });
  }

  @Test
  void swappingTheRunsNegatesEveryDelta() {
    theories(300).forAll(runs(), runs()).checkAssert((a, b) -> {
      ExecutionComparison ab = ExecutionComparison.of(a, b);
      ExecutionComparison ba = ExecutionComparison.of(b, a);

      assertThat(ba.summaryDelta()).isEqualTo(ab.summaryDelta().negated());
      assertThat(ba.a()).isEqualTo(ab.b());
      assertThat(ba.b()).isEqualTo(ab.a());
      assertThat(ba.sameCascade()).isEqualTo(ab.sameCascade());
      assertThat(ba.phases()).hasSameSizeAs(ab.phases());
      for (PhaseComparison p : ab.phases()) {
        assertThat(ba.phase(p.phase())).as(p.phase()).contains(p.swapped());
      }
    });
  }

  @Test
  void theMedianOfOneRunIsThatRun() {
    theories(200).forAll(runs(), runs()).checkAssert((a, b) -> {
      ExecutionComparison median = ExecutionComparison.median(a, List.of(b));
      ExecutionComparison pair = ExecutionComparison.of(a, b);

      assertThat(median.phases()).isEqualTo(pair.phases());
      assertThat(median.summaryDelta()).isEqualTo(pair.summaryDelta());
      assertThat(median.b().sessions()).containsExactly(b.sessionId());
    });
  }

  @Test
  void aMedianLiesBetweenTheSmallestAndLargestBaseline() {
    theories(200).forAll(runs(), lists().of(runs()).ofSizeBetween(1, 6)).checkAssert((a, baselines) -> {
      ExecutionComparison c = ExecutionComparison.median(a, baselines);

      for (PhaseComparison p : c.phases()) {
        if (p.b() == null) {
          continue;
        }
        List<PhaseExecution> ran = baselines.stream().map(r -> r.phases().get(p.phase()))
            .filter(x -> x != null).toList();
        assertThat(ran).as(p.phase()).isNotEmpty();
        assertThat(ran.stream().map(PhaseSide::of).map(PhaseSide::cost).toList()).as(p.phase()).contains(p.b().cost());
        assertThat(ran.stream().map(PhaseSide::of).map(PhaseSide::durationMs).toList()).contains(p.b().durationMs());
      }
    });
  }

  /** Runs of up to five phases, each visited once or more, with costs in whole hundredths of a cent. */
  private static Gen<ExecutionData> runs() {
    Gen<List<String>> path = lists().of(Generate.pick(NAMES)).ofSizeBetween(0, 7);
    Gen<Integer> id = integers().between(1, 1_000_000);
    return path.zip(id, Generate.pick(CASCADES), (visits, n, cascade) -> new Object[] {visits, n, cascade})
        .flatMap(parts -> {
          @SuppressWarnings("unchecked")
          List<String> visits = (List<String>) parts[0];
          List<String> distinct = visits.stream().distinct().collect(Collectors.toList());
          return lists().of(phase()).ofSize(distinct.size()).map(executions -> {
            Map<String, PhaseExecution> phases = new LinkedHashMap<>();
            long picos = 0;
            double seconds = 0;
            for (int i = 0; i < distinct.size(); i++) {
              PhaseExecution p = executions.get(i).toBuilder()
                  .visits((int) visits.stream().filter(distinct.get(i)::equals).count()).build();
              phases.put(distinct.get(i), p);
              picos += Math.round(p.cost() * 1e12);
              seconds += p.duration();
            }
            Summary summary = Summary.builder().phaseCount(phases.size()).totalCost(picos / 1e12)
                .totalDuration(seconds).status(Status.COMPLETED).build();
            return new ExecutionData("s" + parts[1], (String) parts[2], visits, Map.of(), phases, summary, List.of(),
                null, null);
          });
        });
  }

  private static Gen<PhaseExecution> phase() {
    Gen<Status> status = Generate.pick(List.of(Status.COMPLETED, Status.ERROR, Status.RUNNING));
    return status.zip(integers().between(0, 500), integers().between(0, 60_000), integers().between(0, 9),
        (s, hundredthsOfACent, millis, turns) -> PhaseExecution.builder().status(s).cost(hundredthsOfACent / 10_000.0)
            .duration(millis / 1000.0).turnCount(turns).build());
  }
}
