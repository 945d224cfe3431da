package dev.execflow.compare;

import com.fasterxml.jackson.annotation.JsonPropertyOrder;
import dev.execflow.model.PhaseExecution;
import dev.execflow.model.Status;

/**
 * One phase of one side of a comparison: what the phase did in that run (or, for a median
 * baseline, the median of what it did in the runs that ran it).
 *
 * <pre>{@code
 * PhaseSide draft = PhaseSide.of(data.phases().get("draft"));
 * }</pre>
 *
 * @param status the phase's status (a median baseline: the most common one)
 * @param cost dollars, every visit together
 * @param durationMs wall-clock milliseconds, every visit together
 * @param turns the phase's turn count
 * @param visits how many times the phase started
 */
@JsonPropertyOrder({"status", "cost", "durationMs", "turns", "visits"})
public record PhaseSide(Status status, double cost, long durationMs, long turns, long visits) {

  /** The side of a phase as the fold reported it. */
  public static PhaseSide of(PhaseExecution phase) {
    return new PhaseSide(phase.status(), phase.cost(), millis(phase.duration()), phase.turnCount(), phase.visits());
  }

  /** {@code this - other}. */
  public Delta minus(PhaseSide other) {
    return Delta.between(cost, durationMs, turns, other.cost, other.durationMs, other.turns);
  }

  /** Seconds as whole milliseconds (0 for a value the model never holds: NaN, negative). */
  static long millis(double seconds) {
    return Double.isFinite(seconds) && seconds > 0 ? Math.round(seconds * 1000.0) : 0;
  }
}
