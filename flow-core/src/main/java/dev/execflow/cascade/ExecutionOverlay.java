package dev.execflow.cascade;

import dev.execflow.model.WardKind;
import dev.execflow.spi.WarningCounter;
import dev.execflow.spi.WarningKind;

import dev.execflow.model.Edge;
import dev.execflow.model.ExecutionData;
import dev.execflow.model.PhaseDetails;
import dev.execflow.model.PhaseExecution;
import dev.execflow.model.Progress;
import dev.execflow.model.Reforge;
import dev.execflow.model.ReforgeStep;
import dev.execflow.model.SoundingAttempt;
import dev.execflow.model.Soundings;
import dev.execflow.model.Status;
import dev.execflow.model.Summary;
import dev.execflow.model.Transition;
import dev.execflow.model.WardResult;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * Overlays a session's execution on its cascade's definition, so a viewer can draw the whole
 * graph with the execution on it.
 *
 * <pre>{@code
 * ExecutionData data = ExecutionAssembler.assemble(source, SessionQuery.of("sess-42"), AssemblyOptions.defaults());
 * ExecutionData overlaid = ExecutionOverlay.apply(data, catalog.find(data.cascadeId()).orElse(null));
 * }</pre>
 *
 * <p>What changes (nothing executed is ever dropped or altered: executed phases keep their
 * status, cost, duration, turns, attempts and winners; {@code executedPath}, {@code
 * executedHandoffs} and {@code transitions} stay as they are):
 *
 * <ul>
 *   <li>{@code phases}: every phase of the definition, in definition order; one that never
 *       started is {@code pending} with cost and duration 0 (also when the session has ended: it
 *       never ran). Phases that ran but are not in the definition (it changed since the run) follow
 *       in their original order, unchanged, each counted as warning {@value #PHASE_NOT_IN_SPEC}.
 *   <li>soundings: attempts {@code 0..factor-1} that did not start are added as {@code pending}
 *       (executed attempts, also those past the factor, are kept; a factor computed at run time
 *       adds none). A phase whose definition has soundings gets a soundings entry even before any
 *       attempt ran.
 *   <li>reforge: steps {@code 1..steps} that did not run are added with no winner and 0 attempts
 *       (the original numbers refinement steps from 1; executed steps are kept whatever their
 *       number).
 *   <li>wards: re-keyed in the definition's order per kind ({@code pre_0} is the first pre ward of
 *       the definition) and carrying the validator's name and mode (the logged mode when the run
 *       logged one, else the declared one). Executed results are matched to declared wards by
 *       validator name (the first unmatched executed result of that kind and validator); a
 *       declared ward without a result is pending ({@code valid} null). Executed results that match
 *       no declared ward keep their order after the declared ones ({@code pre_2, ...}), each
 *       counted as warning {@value #WARD_NOT_IN_SPEC}.
 *   <li>{@code progress} on every {@code running} phase: turns started of {@code max_turns} (the
 *       definition's, else the limit the run logged), soundings attempts finished (completed or
 *       error) of {@code factor}, highest reforge step seen (0 before the first) of {@code steps};
 *       a pair is null when there is no such limit, and no progress is set when all are null.
 *   <li>{@code declaredHandoffs}: the definition's targets, then any the run's structure rows
 *       declared besides.
 *   <li>{@code edges}: each declared handoff (deduplicated) whose target is a phase, in definition
 *       order, {@code taken} when the session went that way (in {@code transitions} or {@code
 *       executedHandoffs}); then each handoff taken but not declared ({@code declared=false}) in
 *       the order first taken. A declared handoff to a phase that neither the definition nor the
 *       run has is left out and counted as warning {@value #HANDOFF_TO_UNKNOWN_PHASE}.
 *   <li>{@code summary.totalPhases}: the number of phases the definition declares ({@code
 *       phaseCount} stays the number that ran).
 *   <li>{@code warnings}: the session's warnings plus the overlay's ({@value #CASCADE_MISMATCH}
 *       when the definition is for another cascade id than the session logged).
 * </ul>
 *
 * Without a definition ({@code spec == null}) the data is returned as is.
 */
public final class ExecutionOverlay {

  /** Warning kind: a phase ran that the definition does not declare. */
  public static final String PHASE_NOT_IN_SPEC = "phase_not_in_spec"; // WarningKind.PHASE_NOT_IN_SPEC
  /** Warning kind: a ward ran that the definition does not declare for that phase and kind. */
  public static final String WARD_NOT_IN_SPEC = "ward_not_in_spec";
  /** Warning kind: the definition declares a handoff to a phase nobody has. */
  public static final String HANDOFF_TO_UNKNOWN_PHASE = "spec_handoff_to_unknown_phase";
  /** Warning kind: the definition's cascade id differs from the session's. */
  public static final String CASCADE_MISMATCH = "spec_cascade_mismatch";

  // bound on the words kept for people; counts are always complete
  private static final int MAX_SAMPLES = 20;

  private ExecutionOverlay() {}

  /**
   * The session's execution overlaid on {@code spec}; {@code data} itself when {@code spec} is
   * null.
   */
  public static ExecutionData apply(ExecutionData data, CascadeDefinition spec) {
    if (spec == null) {
      return data;
    }
    WarningCounter warnings = WarningCounter.of(data.warnings(), MAX_SAMPLES);
    if (data.cascadeId() != null && !data.cascadeId().equals(spec.cascadeId())) {
      warnings.add(WarningKind.SPEC_CASCADE_MISMATCH, "session of cascade '" + data.cascadeId()
          + "' overlaid on the definition of '" + spec.cascadeId() + "'");
    }

    Map<String, PhaseExecution> phases = new LinkedHashMap<>();
    for (PhaseSpec phaseSpec : spec.phases()) {
      PhaseExecution executed = data.phases().get(phaseSpec.name());
      phases.put(phaseSpec.name(), executed == null
          ? pending(phaseSpec, warnings)
          : overlay(executed, phaseSpec, warnings));
    }
    for (Map.Entry<String, PhaseExecution> entry : data.phases().entrySet()) {
      if (!phases.containsKey(entry.getKey())) {
        phases.put(entry.getKey(), entry.getValue());
        warnings.add(WarningKind.PHASE_NOT_IN_SPEC, "phase '" + entry.getKey()
            + "' ran but the definition of '" + spec.cascadeId() + "' does not declare it");
      }
    }

    List<Edge> edges = edges(data, spec, phases.keySet(), warnings);
    Summary summary = data.summary() == null ? null : data.summary().withTotalPhases(spec.phases().size());
    return data.withOverlay(phases, summary, edges, warnings.toWarnings());
  }

  private static PhaseExecution pending(PhaseSpec spec, WarningCounter warnings) {
    PhaseDetails details = new PhaseDetails(
        soundings(null, spec.soundings()),
        reforge(null, spec.reforge()),
        wards(Map.of(), spec, warnings));
    return PhaseExecution.pending(details, spec.handoffTargets());
  }

  private static PhaseExecution overlay(PhaseExecution executed, PhaseSpec spec, WarningCounter warnings) {
    PhaseDetails old = executed.details();
    PhaseDetails details = new PhaseDetails(
        soundings(old.soundings(), spec.soundings()),
        reforge(old.reforge(), spec.reforge()),
        wards(old.wards(), spec, warnings));
    List<String> handoffs = new ArrayList<>(spec.handoffTargets());
    for (String logged : executed.declaredHandoffs()) {
      if (!handoffs.contains(logged)) {
        handoffs.add(logged);
      }
    }
    PhaseExecution result = executed.withDetails(details).withDeclaredHandoffs(handoffs);
    if (executed.status() == Status.RUNNING) {
      Progress progress = progress(executed, spec);
      if (progress != null) {
        result = result.withProgress(progress);
      }
    }
    return result;
  }

  private static Soundings soundings(Soundings executed, SoundingsSpec spec) {
    if (spec == null) {
      return executed;
    }
    List<SoundingAttempt> attempts = new ArrayList<>();
    Set<Integer> seen = new HashSet<>();
    if (executed != null) {
      for (SoundingAttempt attempt : executed.attempts()) {
        attempts.add(attempt);
        seen.add(attempt.index());
      }
    }
    if (spec.factor() != null) {
      // factor is bounded by the reader (CascadeDefinitionReader.MAX_FACTOR); code-built specs are
      // trusted like any other argument
      for (int i = 0; i < spec.factor(); i++) {
        if (!seen.contains(i)) {
          attempts.add(new SoundingAttempt(i, Status.PENDING, null, 0, false));
        }
      }
    }
    attempts.sort(Comparator.comparingInt(SoundingAttempt::index)); // stable: executed order kept
    return new Soundings(executed == null ? null : executed.winnerIndex(), attempts);
  }

  private static Reforge reforge(Reforge executed, ReforgeSpec spec) {
    if (spec == null) {
      return executed;
    }
    List<ReforgeStep> steps = new ArrayList<>();
    Set<Integer> seen = new HashSet<>();
    if (executed != null) {
      for (ReforgeStep step : executed.reforgeSteps()) {
        steps.add(step);
        seen.add(step.step());
      }
    }
    for (int step = 1; step <= spec.steps(); step++) {
      if (!seen.contains(step)) {
        steps.add(new ReforgeStep(step, null, 0, 0));
      }
    }
    steps.sort(Comparator.comparingInt(ReforgeStep::step));
    return new Reforge(steps, executed != null && executed.thresholdMet());
  }

  private static Map<String, WardResult> wards(Map<String, WardResult> executed, PhaseSpec spec,
      WarningCounter warnings) {
    if (executed.isEmpty() && spec.wards().isEmpty()) {
      return executed;
    }
    Map<String, List<WardResult>> byKind = new LinkedHashMap<>();
    Map<String, List<String>> keysByKind = new LinkedHashMap<>();
    for (Map.Entry<String, WardResult> entry : executed.entrySet()) {
      String kind = kindOf(entry.getKey());
      byKind.computeIfAbsent(kind, k -> new ArrayList<>()).add(entry.getValue());
      keysByKind.computeIfAbsent(kind, k -> new ArrayList<>()).add(entry.getKey());
    }
    Map<String, WardResult> result = new LinkedHashMap<>();
    for (WardKind wardKind : WardKind.values()) {
      String kind = wardKind.prefix();
      List<WardSpec> declared = spec.wards().ofKind(kind);
      List<WardResult> ran = byKind.getOrDefault(kind, List.of());
      boolean[] used = new boolean[ran.size()];
      for (int i = 0; i < declared.size(); i++) {
        WardSpec ward = declared.get(i);
        WardResult match = null;
        for (int r = 0; r < ran.size(); r++) {
          if (!used[r] && ward.validator().equals(ran.get(r).validator())) {
            used[r] = true;
            match = ran.get(r);
            break;
          }
        }
        result.put(wardKind.key(i), match == null
            ? new WardResult(null, null, ward.validator(), ward.mode().json(), false)
            : new WardResult(match.valid(), match.reason(), ward.validator(),
                match.mode() != null ? match.mode() : ward.mode().json(), match.blocked()));
      }
      int next = declared.size();
      for (int r = 0; r < ran.size(); r++) {
        if (!used[r]) {
          result.put(wardKind.key(next++), ran.get(r));
          warnings.add(WarningKind.WARD_NOT_IN_SPEC, "phase '" + spec.name() + "': " + kind + " ward '"
              + ran.get(r).validator() + "' ran but is not declared");
        }
      }
    }
    // keys of other shapes than pre/post/turn_<n>: kept under their own key
    for (Map.Entry<String, List<String>> entry : keysByKind.entrySet()) {
      if (WardKind.ofPrefix(entry.getKey()) != null) {
        continue;
      }
      List<WardResult> ran = byKind.get(entry.getKey());
      for (int r = 0; r < ran.size(); r++) {
        String key = entry.getValue().get(r); // cannot clash with a pre/post/turn_<n> key
        result.put(key, ran.get(r));
        warnings.add(WarningKind.WARD_NOT_IN_SPEC, "phase '" + spec.name() + "': ward '" + key
            + "' ran but is not declared");
      }
    }
    return result;
  }

  private static String kindOf(String key) {
    int underscore = key.lastIndexOf('_');
    return underscore > 0 ? key.substring(0, underscore) : key;
  }

  private static Progress progress(PhaseExecution executed, PhaseSpec spec) {
    Integer maxTurns = spec.rules().maxTurns() != null ? spec.rules().maxTurns() : executed.maxTurns();
    Integer turnsDone = maxTurns == null ? null : executed.turnCount();
    Integer attemptsPlanned = null;
    Integer attemptsDone = null;
    if (spec.soundings() != null && spec.soundings().factor() != null) {
      attemptsPlanned = spec.soundings().factor();
      int done = 0;
      Soundings soundings = executed.details().soundings();
      if (soundings != null) {
        for (SoundingAttempt attempt : soundings.attempts()) {
          if (attempt.status() == Status.COMPLETED || attempt.status() == Status.ERROR) {
            done++;
          }
        }
      }
      attemptsDone = done;
    }
    Integer reforgeSteps = null;
    Integer reforgeStep = null;
    if (spec.reforge() != null) {
      reforgeSteps = spec.reforge().steps();
      int highest = 0;
      Reforge reforge = executed.details().reforge();
      if (reforge != null) {
        for (ReforgeStep step : reforge.reforgeSteps()) {
          highest = Math.max(highest, step.step());
        }
      }
      reforgeStep = highest;
    }
    if (maxTurns == null && attemptsPlanned == null && reforgeSteps == null) {
      return null;
    }
    return new Progress(turnsDone, maxTurns, attemptsDone, attemptsPlanned, reforgeStep, reforgeSteps);
  }

  private static List<Edge> edges(ExecutionData data, CascadeDefinition spec, Set<String> nodes,
      WarningCounter warnings) {
    Set<List<String>> taken = new LinkedHashSet<>();
    for (Transition transition : data.transitions()) {
      taken.add(List.of(transition.from(), transition.to()));
    }
    for (Map.Entry<String, String> handoff : data.executedHandoffs().entrySet()) {
      taken.add(List.of(handoff.getKey(), handoff.getValue()));
    }
    List<Edge> edges = new ArrayList<>();
    Set<List<String>> declared = new HashSet<>();
    for (PhaseSpec phase : spec.phases()) {
      for (String target : phase.handoffTargets()) {
        if (!nodes.contains(target)) {
          warnings.add(WarningKind.SPEC_HANDOFF_TO_UNKNOWN_PHASE, "phase '" + phase.name()
              + "' declares a handoff to '" + target + "', which is not a phase");
          continue;
        }
        List<String> pair = List.of(phase.name(), target);
        declared.add(pair);
        edges.add(new Edge(phase.name(), target, true, taken.contains(pair)));
      }
    }
    for (List<String> pair : taken) {
      if (!declared.contains(pair)) {
        edges.add(new Edge(pair.get(0), pair.get(1), false, true));
      }
    }
    return edges;
  }
}
