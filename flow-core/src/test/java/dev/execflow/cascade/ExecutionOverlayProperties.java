package dev.execflow.cascade;

import static org.assertj.core.api.Assertions.assertThat;

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
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import java.util.TreeSet;
import java.util.stream.Collectors;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.Combinators;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;

/**
 * Whatever the session and whatever the definition (overlapping, disjoint, changed since the run),
 * the overlay never loses what executed.
 */
class ExecutionOverlayProperties {

  private static final List<String> NAMES = List.of("a", "b", "c", "d", "e", "f");
  private static final List<String> VALIDATORS = List.of("v1", "v2", "v3", "v4");

  @Property(tries = 200)
  void everyExecutedPhaseKeepsItsStatusCostDurationAndWinner(
      @ForAll("sessions") ExecutionData data, @ForAll("specs") CascadeDefinition spec) {
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
  }

  @Property(tries = 200)
  void everyWardResultThatRanIsStillThereUnderItsKind(
      @ForAll("sessions") ExecutionData data, @ForAll("specs") CascadeDefinition spec) {
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
  }

  @Property(tries = 200)
  void thePathHandoffsTransitionsAndTotalsNeverChange(
      @ForAll("sessions") ExecutionData data, @ForAll("specs") CascadeDefinition spec) {
    ExecutionData overlaid = ExecutionOverlay.apply(data, spec);

    assertThat(overlaid.executedPath()).isEqualTo(data.executedPath());
    assertThat(overlaid.executedHandoffs()).isEqualTo(data.executedHandoffs());
    assertThat(overlaid.transitions()).isEqualTo(data.transitions());
    assertThat(overlaid.summary()).isEqualTo(data.summary().withTotalPhases(spec.phases().size()));
    assertThat(overlaid.warnings().count()).isGreaterThanOrEqualTo(data.warnings().count());
  }

  @Property(tries = 200)
  void everyDeclaredPhaseIsThereAndOnlyDeclaredOrExecutedOnes(
      @ForAll("sessions") ExecutionData data, @ForAll("specs") CascadeDefinition spec) {
    ExecutionData overlaid = ExecutionOverlay.apply(data, spec);

    Set<String> expected = new TreeSet<>(spec.phaseNames());
    expected.addAll(data.phases().keySet());
    assertThat(new TreeSet<>(overlaid.phases().keySet())).isEqualTo(expected);
    spec.phaseNames().stream().filter(n -> !data.phases().containsKey(n))
        .forEach(n -> assertThat(overlaid.phases().get(n).status()).isEqualTo(Status.PENDING));
  }

  @Property(tries = 200)
  void everyHandoffTakenIsATakenEdge(@ForAll("sessions") ExecutionData data, @ForAll("specs") CascadeDefinition spec) {
    ExecutionData overlaid = ExecutionOverlay.apply(data, spec);

    for (Transition t : data.transitions()) {
      assertThat(overlaid.edges()).anySatisfy(edge -> {
        assertThat(edge.from()).isEqualTo(t.from());
        assertThat(edge.to()).isEqualTo(t.to());
        assertThat(edge.taken()).isTrue();
      });
    }
    assertThat(overlaid.edges()).allSatisfy(edge -> assertThat(edge.declared() || edge.taken()).isTrue());
  }

  // ---- generators ----

  @Provide
  Arbitrary<ExecutionData> sessions() {
    Arbitrary<List<String>> path = Arbitraries.of(NAMES).list().ofMinSize(0).ofMaxSize(8);
    return path.flatMap(visits -> {
      List<String> distinct = visits.stream().distinct().collect(Collectors.toList());
      return phaseExecution().list().ofSize(distinct.size()).map(executions -> {
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

  private Arbitrary<PhaseExecution> phaseExecution() {
    Arbitrary<Status> status = Arbitraries.of(Status.COMPLETED, Status.RUNNING, Status.ERROR);
    Arbitrary<Double> cost = Arbitraries.doubles().between(0, 1).ofScale(4);
    Arbitrary<Soundings> soundings = Arbitraries.integers().between(0, 7).set().ofMaxSize(5).flatMap(indexes -> {
      List<Integer> sorted = new ArrayList<>(new TreeSet<>(indexes));
      Arbitrary<Integer> winner = sorted.isEmpty() ? Arbitraries.just(null)
          : Arbitraries.of(sorted).injectNull(0.3);
      return winner.map(w -> new Soundings(w, sorted.stream()
          .map(i -> new SoundingAttempt(i, Status.COMPLETED, "p" + i, 0.001 * i, Objects.equals(w, i)))
          .collect(Collectors.toList())));
    }).injectNull(0.4);
    Arbitrary<Reforge> reforge = Arbitraries.integers().between(0, 4).set().ofMaxSize(3)
        .map(steps -> new Reforge(new TreeSet<>(steps).stream()
            .map(s -> new ReforgeStep(s, s % 2, 2, 0.001)).collect(Collectors.toList()), false))
        .injectNull(0.5);
    Arbitrary<Map<String, WardResult>> wards = Combinators.combine(
            Arbitraries.of(VALIDATORS).set().ofMaxSize(3), Arbitraries.of(VALIDATORS).set().ofMaxSize(3),
            Arbitraries.of(true, false))
        .as((pre, post, valid) -> {
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
    return Combinators.combine(status, cost, soundings, reforge, wards).as((s, c, snd, ref, w) ->
        new PhaseExecution(s, c, c * 10, 2, snd == null ? null : snd.winnerIndex(), new PhaseDetails(snd, ref, w),
            1, 1.0, null, 1, 1, List.of(), null, 3, null, List.of(), List.of(), null));
  }

  @Provide
  Arbitrary<CascadeDefinition> specs() {
    return Arbitraries.of(NAMES).set().ofMaxSize(NAMES.size())
        .flatMap(names -> phaseSpec(new ArrayList<>(names)));
  }

  private Arbitrary<CascadeDefinition> phaseSpec(List<String> names) {
    List<String> targets = new ArrayList<>(NAMES);
    targets.add("ghost");
    Arbitrary<PhaseSpec> one = Combinators.combine(
            Arbitraries.integers().between(1, 5).injectNull(0.5),
            Arbitraries.integers().between(1, 3).injectNull(0.6),
            Arbitraries.of(VALIDATORS).list().ofMaxSize(3),
            Arbitraries.of(VALIDATORS).list().ofMaxSize(3),
            Arbitraries.of(targets).list().ofMaxSize(3),
            Arbitraries.integers().between(1, 5).injectNull(0.5))
        .as((factor, steps, pre, post, handoffs, maxTurns) -> new PhaseSpec("?", null,
            new Rules(maxTurns, null, null),
            factor == null ? null : new SoundingsSpec(factor, null, null, null, null),
            steps == null ? null : new ReforgeSpec(steps, null, null),
            new WardsSpec(wardSpecs(pre), wardSpecs(post), List.of()),
            handoffs.stream().map(HandoffSpec::to).collect(Collectors.toList())));
    return one.list().ofSize(names.size()).map(phases -> {
      List<PhaseSpec> named = new ArrayList<>();
      for (int i = 0; i < names.size(); i++) {
        PhaseSpec p = phases.get(i);
        named.add(new PhaseSpec(names.get(i), p.instructions(), p.rules(), p.soundings(), p.reforge(), p.wards(),
            p.handoffs()));
      }
      return new CascadeDefinition("c", null, named, null);
    });
  }

  private static List<WardSpec> wardSpecs(List<String> validators) {
    return validators.stream().map(v -> new WardSpec(v, WardMode.ADVISORY)).collect(Collectors.toList());
  }
}
