package dev.execflow.compare;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonPropertyOrder;

/**
 * One phase in both runs.
 *
 * <pre>{@code
 * PhaseComparison draft = comparison.phase("draft").orElseThrow();
 * long slower = draft.delta() == null ? 0 : draft.delta().durationMs();
 * }</pre>
 *
 * @param phase the phase's name
 * @param a the phase in run {@code a}; null when {@code a} did not run it
 * @param b the phase in run {@code b} (or the baseline); null when it did not run it
 * @param delta {@code a - b}; null unless both sides ran the phase
 */
@JsonPropertyOrder({"phase", "a", "b", "delta"})
public record PhaseComparison(
    String phase,
    @JsonInclude(JsonInclude.Include.ALWAYS) PhaseSide a,
    @JsonInclude(JsonInclude.Include.ALWAYS) PhaseSide b,
    @JsonInclude(JsonInclude.Include.ALWAYS) Delta delta) {

  /** The phase seen from the other side: sides swapped, delta negated. */
  public PhaseComparison swapped() {
    return new PhaseComparison(phase, b, a, delta == null ? null : delta.negated());
  }

  static PhaseComparison of(String phase, PhaseSide a, PhaseSide b) {
    return new PhaseComparison(phase, a, b, a != null && b != null ? a.minus(b) : null);
  }
}
