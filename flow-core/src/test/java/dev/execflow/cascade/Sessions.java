package dev.execflow.cascade;

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

/**
 * Hand-built {@link ExecutionData} for overlay tests, as the assembler would produce it, without
 * running the assembler. Each phase ran once for {@code duration} seconds with one model call.
 */
final class Sessions {
  private final String cascadeId;
  private final Map<String, PhaseExecution> phases = new LinkedHashMap<>();
  private final List<String> path = new ArrayList<>();
  private Status status = Status.RUNNING;
  private Warnings warnings = Warnings.NONE;

  private Sessions(String cascadeId) {
    this.cascadeId = cascadeId;
  }

  static Sessions of(String cascadeId) {
    return new Sessions(cascadeId);
  }

  /** A phase as it ran, appended to executedPath. */
  Sessions ran(String name, PhaseExecution phase) {
    phases.put(name, phase);
    path.add(name);
    return this;
  }

  /** Another visit of a phase that ran before (a loop). */
  Sessions again(String name) {
    path.add(name);
    return this;
  }

  Sessions status(Status sessionStatus) {
    this.status = sessionStatus;
    return this;
  }

  Sessions warnings(Warnings existing) {
    this.warnings = existing;
    return this;
  }

  ExecutionData build() {
    List<Transition> transitions = new ArrayList<>();
    Map<String, String> handoffs = new LinkedHashMap<>();
    for (int i = 1; i < path.size(); i++) {
      transitions.add(new Transition(path.get(i - 1), path.get(i), 1000.0 + i));
      handoffs.put(path.get(i - 1), path.get(i));
    }
    double cost = phases.values().stream().mapToDouble(PhaseExecution::cost).sum();
    Summary summary = new Summary(phases.size(), cost, 10.0, status, 40, 100, 200, 1000.0,
        status == Status.RUNNING ? null : 1010.0, 0, null);
    return new ExecutionData("sess-1", cascadeId, path, handoffs, phases, summary, transitions, null, warnings);
  }

  static PhaseExecution phase(Status status, double cost) {
    return phase(status, cost, PhaseDetails.EMPTY);
  }

  static PhaseExecution phase(Status status, double cost, PhaseDetails details) {
    Integer winner = details.soundings() == null ? null : details.soundings().winnerIndex();
    return new PhaseExecution(status, cost, 2.5, 1, winner, details, 1, 1000.0,
        status == Status.RUNNING ? null : 1002.5, 100, 50, List.of("model-a"), null, 6, null, List.of(),
        List.of(), null);
  }

  /** A phase that ran {@code turns} turns (0-based turn numbers 0..turns-1) of a logged limit. */
  static PhaseExecution turns(Status status, int turns, Integer loggedMaxTurns) {
    return new PhaseExecution(status, 0.002, 2.5, turns, null, PhaseDetails.EMPTY, 1, 1000.0, null, 100, 50,
        List.of("model-a"), loggedMaxTurns, 6, null, List.of(), List.of(), null);
  }

  static PhaseDetails soundings(Integer winner, SoundingAttempt... attempts) {
    return new PhaseDetails(new Soundings(winner, List.of(attempts)), null, Map.of());
  }

  static SoundingAttempt attempt(int index, Status status, double cost) {
    return new SoundingAttempt(index, status, status == Status.COMPLETED ? "draft " + index : null, cost, false);
  }

  static PhaseDetails reforge(boolean thresholdMet, ReforgeStep... steps) {
    return new PhaseDetails(null, new Reforge(List.of(steps), thresholdMet), Map.of());
  }

  /** Ward results keyed as the assembler keys them (per kind, in the order validators first ran). */
  static PhaseDetails wards(Object... keysAndResults) {
    Map<String, WardResult> wards = new LinkedHashMap<>();
    for (int i = 0; i < keysAndResults.length; i += 2) {
      wards.put((String) keysAndResults[i], (WardResult) keysAndResults[i + 1]);
    }
    return new PhaseDetails(null, null, wards);
  }

  static WardResult passed(String validator, String mode) {
    return new WardResult(true, "ok", validator, mode, false);
  }

  static WardResult failed(String validator, String mode, String reason) {
    return new WardResult(false, reason, validator, mode, false);
  }
}
