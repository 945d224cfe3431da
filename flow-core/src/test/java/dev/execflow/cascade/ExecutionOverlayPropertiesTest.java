package dev.execflow.cascade;

import static dev.execflow.Theories.theories;
import static org.assertj.core.api.Assertions.assertThat;
import static org.quicktheories.generators.SourceDSL.booleans;
import static org.quicktheories.generators.SourceDSL.integers;
import static org.quicktheories.generators.SourceDSL.lists;

import dev.execflow.model.ExecutionData;
import dev.execflow.model.PhaseDetails;
import dev.execflow.model.PhaseExecution;
import dev.execflow.model.Reforge;
import dev.execflow.model.ReforgeStep;
import dev.execflow.model.SoundingAttempt;
import dev.execflow.model.Soundings;
import dev.execflow.model.Status;
import dev.execflow.model.Summary;
import dev.execflow.model.Transition;
import dev.execflow.model.WardResult;
import dev.execflow.model.Warnings;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import java.util.TreeSet;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;
import org.quicktheories.core.Gen;
import org.quicktheories.generators.Generate;

/**
 * Whatever the session and whatever the definition (overlapping, disjoint, changed since the run),
 * the overlay never loses what executed.
 */
class ExecutionOverlayPropertiesTest {

  private static final List<String> NAMES = List.of("a", "b", "c", "d", "e", "f");
  private static final List<String> VALIDATORS = List.of("v1", "v2", "v3", "v4");

  @Test
  void everyExecutedPhaseKeepsItsStatusCostDurationAndWinner() {
    theories(200).forAll(sessions(), specs()).checkAssert((data, spec) -> {
      ExecutionData overlaid = ExecutionOverlay.apply(data, spec);

      data.phases().forEach((name, executed) -> {
        PhaseExecution after = overlaid.phases().get(name);
        assertThat(after).as(name).isNotNull();
        assertThat(after.status()).isEqualTo(executed.status());
        assertThat(after.cost()).isEqualTo(executed.cost());
        assertThat(after.duration()).isEqualTo(executed.duration());
        assertThat(after.turnCount()).isEqualTo(executed.turnCount());
        assertThat(after.visits()).isEqualTo(executed.visits());
        assertThat(after.soundingWinner()).isEqualTo(executed.soundingWinner());
        if (executed.details().soundings() != null) {
          assertThat(after.details().soundings().winnerIndex()).isEqualTo(executed.details().soundings().winnerIndex());
          assertThat(after.details().soundings().attempts()).containsAll(executed.details().soundings().attempts());
        }
        if (executed.details().reforge() != null) {
          assertThat(after.details().reforge().reforgeSteps()).containsAll(executed.details().reforge().reforgeSteps());
        }
      });
    });
  }

  @Test
  void everyWardResultThatRanIsStillThereUnderItsKind() {
    theories(200).forAll(sessions(), specs()).checkAssert((data, spec) -> {
      ExecutionData overlaid = ExecutionOverlay.apply(data, spec);

      data.phases().forEach((name, executed) -> {
        Map<String, WardResult> after = overlaid.phases().get(name).details().wards();
        executed.details().wards().forEach((key, ward) -> {
          String kind = key.substring(0, key.indexOf('_'));
          assertThat(after.entrySet())
              .as("%s %s", name, key)
              .anySatisfy(entry -> {
                assertThat(entry.getKey()).startsWith(kind + "_");
                assertThat(entry.getValue().validator()).isEqualTo(ward.validator());
                assertThat(entry.getValue().valid()).isEqualTo(ward.valid());
                assertThat(entry.getValue().reason()).isEqualTo(ward.reason());
                assertThat(entry.getValue().blocked()).isEqualTo(ward.blocked());
              });
        });
      });
    });
  }

  @Test
  void thePathHandoffsTransitionsAndTotalsNeverChange() {
    theories(200).forAll(sessions(), specs()).checkAssert((data, spec) -> {
      ExecutionData overlaid = ExecutionOverlay.apply(data, spec);

      assertThat(overlaid.executedPath()).isEqualTo(data.executedPath());
      assertThat(overlaid.executedHandoffs()).isEqualTo(data.executedHandoffs());
      assertThat(overlaid.transitions()).isEqualTo(data.transitions());
      assertThat(overlaid.summary()).isEqualTo(data.summary().withTotalPhases(spec.phases().size()));
      assertThat(overlaid.warnings().count()).isGreaterThanOrEqualTo(data.warnings().count());
    });
  }

  @Test
  void everyDeclaredPhaseIsThereAndOnlyDeclaredOrExecutedOnes() {
    theories(200).forAll(sessions(), specs()).checkAssert((data, spec) -> {
      ExecutionData overlaid = ExecutionOverlay.apply(data, spec);

      Set<String> expected = new TreeSet<>(spec.phaseNames());
      expected.addAll(data.phases().keySet());
      assertThat(new TreeSet<>(overlaid.phases().keySet())).isEqualTo(expected);
      spec.phaseNames().stream().filter(n -> !data.phases().containsKey(n))
          .forEach(n -> assertThat(overlaid.phases().get(n).status()).isEqualTo(Status.PENDING));
    });
  }

  @Test
  void everyHandoffTakenIsATakenEdge() {
    theories(200).forAll(sessions(), specs()).checkAssert((data, spec) -> {
      ExecutionData overlaid = ExecutionOverlay.apply(data, spec);

      for (Transition t : data.transitions()) {
        assertThat(overlaid.edges()).anySatisfy(edge -> {
          assertThat(edge.from()).isEqualTo(t.from());
          assertThat(edge.to()).isEqualTo(t.to());
          assertThat(edge.taken()).isTrue();
        });
      }
      assertThat(overlaid.edges()).allSatisfy(edge -> assertThat(edge.declared() || edge.taken()).isTrue());
    });
  }

  // ---- generators ----

  private static Gen<ExecutionData> sessions() {
    Gen<List<String>> path = lists().of(Generate.pick(NAMES)).ofSizeBetween(0, 8);
    return path.flatMap(visits -> {
      List<String> distinct = visits.stream().distinct().collect(Collectors.toList());
      return lists().of(phaseExecution()).ofSize(distinct.size()).map(executions -> {
        Map<String, PhaseExecution> phases = new LinkedHashMap<>();
        for (int i = 0; i < distinct.size(); i++) {
          phases.put(distinct.get(i), executions.get(i));
        }
        List<Transition> transitions = new ArrayList<>();
        Map<String, String> handoffs = new LinkedHashMap<>();
        for (int i = 1; i < visits.size(); i++) {
          transitions.add(new Transition(visits.get(i - 1), visits.get(i), (double) i));
          handoffs.put(visits.get(i - 1), visits.get(i));
        }
        double cost = phases.values().stream().mapToDouble(PhaseExecution::cost).sum();
        Summary summary = new Summary(phases.size(), cost, 5, Status.RUNNING, 10, 0, 0, 0.0, null, 0, null);
        return new ExecutionData("s", "c", visits, handoffs, phases, summary, transitions, null,
            new Warnings(1, Map.of("x", 1L), List.of("x: one")));
      });
    });
  }

  /** A set of up to {@code max} distinct picks, in the order first drawn. */
  private static <T> Gen<Set<T>> setOf(Gen<T> element, int max) {
    return lists().of(element).ofSizeBetween(0, max).map(l -> (Set<T>) new LinkedHashSet<>(l));
  }

  /** {@code gen}, or null in about {@code percent}% of cases. */
  private static <T> Gen<T> orNull(Gen<T> gen, int percent) {
    return gen.toOptionals(percent).map(o -> o.orElse(null));
  }

  private static Gen<PhaseExecution> phaseExecution() {
    Gen<Status> status = Generate.pick(List.of(Status.COMPLETED, Status.RUNNING, Status.ERROR));
    Gen<Double> cost = integers().between(0, 10_000).map(i -> i / 10_000.0);
    Gen<Soundings> soundings = orNull(setOf(integers().between(0, 7), 5).flatMap(indexes -> {
      List<Integer> sorted = new ArrayList<>(new TreeSet<>(indexes));
      Gen<Integer> winner = sorted.isEmpty() ? Generate.constant((Integer) null) : orNull(Generate.pick(sorted), 30);
      return winner.map(w -> new Soundings(w, sorted.stream()
          .map(i -> new SoundingAttempt(i, Status.COMPLETED, "p" + i, 0.001 * i, Objects.equals(w, i)))
          .collect(Collectors.toList())));
    }), 40);
    Gen<Reforge> reforge = orNull(setOf(integers().between(0, 4), 3)
        .map(steps -> new Reforge(new TreeSet<>(steps).stream()
            .map(s -> new ReforgeStep(s, s % 2, 2, 0.001)).collect(Collectors.toList()), false)), 50);
    Gen<Map<String, WardResult>> wards = setOf(Generate.pick(VALIDATORS), 3).zip(
        setOf(Generate.pick(VALIDATORS), 3), booleans().all(), (pre, post, valid) -> {
          Map<String, WardResult> map = new LinkedHashMap<>();
          int i = 0;
          for (String v : pre) {
            map.put("pre_" + i++, new WardResult(valid, "r-" + v, v, "blocking", false));
          }
          i = 0;
          for (String v : post) {
            map.put("post_" + i++, new WardResult(!valid, "s-" + v, v, null, !valid));
          }
          return map;
        });
    return status.zip(cost, soundings, reforge, wards, (s, c, snd, ref, w) ->
        new PhaseExecution(s, c, c * 10, 2, snd == null ? null : snd.winnerIndex(), new PhaseDetails(snd, ref, w),
            1, 1.0, null, 1, 1, List.of(), null, 3, null, List.of(), List.of(), null));
  }

  private static Gen<CascadeDefinition> specs() {
    return setOf(Generate.pick(NAMES), NAMES.size()).flatMap(names -> phaseSpec(new ArrayList<>(names)));
  }

  private static Gen<CascadeDefinition> phaseSpec(List<String> names) {
    List<String> targets = new ArrayList<>(NAMES);
    targets.add("ghost");
    Gen<List<String>> validators = lists().of(Generate.pick(VALIDATORS)).ofSizeBetween(0, 3);
    Gen<List<String>> handoffTargets = lists().of(Generate.pick(targets)).ofSizeBetween(0, 3);
    Gen<Integer> factor = orNull(integers().between(1, 5), 50);
    Gen<Integer> steps = orNull(integers().between(1, 3), 60);
    Gen<Integer> maxTurns = orNull(integers().between(1, 5), 50);
    Gen<PhaseShape> shape = factor.zip(steps, validators, validators, PhaseShape::new);
    Gen<PhaseSpec> one = shape.zip(handoffTargets, maxTurns, (p, handoffs, turns) -> new PhaseSpec("?", null,
        new Rules(turns, null, null),
        p.factor() == null ? null : new SoundingsSpec(p.factor(), null, null, null, null),
        p.steps() == null ? null : new ReforgeSpec(p.steps(), null, null),
        new WardsSpec(wardSpecs(p.pre()), wardSpecs(p.post()), List.of()),
        handoffs.stream().map(HandoffSpec::to).collect(Collectors.toList())));
    return lists().of(one).ofSize(names.size()).map(phases -> {
      List<PhaseSpec> named = new ArrayList<>();
      for (int i = 0; i < names.size(); i++) {
        PhaseSpec p = phases.get(i);
        named.add(new PhaseSpec(names.get(i), p.instructions(), p.rules(), p.soundings(), p.reforge(), p.wards(),
            p.handoffs()));
      }
      return new CascadeDefinition("c", null, named, null);
    });
  }

  private record PhaseShape(Integer factor, Integer steps, List<String> pre, List<String> post) {}

  private static List<WardSpec> wardSpecs(List<String> validators) {
    return validators.stream().map(v -> new WardSpec(v, WardMode.ADVISORY)).collect(Collectors.toList());
  }
}
