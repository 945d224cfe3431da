package dev.execflow.compare;

import com.fasterxml.jackson.annotation.JsonPropertyOrder;
import dev.execflow.assemble.Pricing;

/**
 * How much more one side took than the other ({@code a - b}): negative when {@code a} took less.
 *
 * <pre>{@code
 * Delta d = Delta.between(0.0018, 3500, 1, 0.0009, 2500, 2);   // cost 0.0009, durationMs 1000, turns -1
 * }</pre>
 *
 * @param cost dollars, computed on whole pico-dollars so that {@code 0.0026 - 0.0017} is {@code
 *     0.0009} and not {@code 0.0009000000000000002}
 * @param durationMs wall-clock milliseconds
 * @param turns turns
 */
@JsonPropertyOrder({"cost", "durationMs", "turns"})
public record Delta(double cost, long durationMs, long turns) {
  /** No difference. */
  public static final Delta ZERO = new Delta(0, 0, 0);

  /** {@code a - b} of each quantity. */
  public static Delta between(double costA, long durationMsA, long turnsA, double costB, long durationMsB,
      long turnsB) {
    return new Delta(Pricing.dollars(picos(costA) - picos(costB)), durationMsA - durationMsB, turnsA - turnsB);
  }

  /** {@code b - a}: the same difference seen from the other side. */
  public Delta negated() {
    return new Delta(cost == 0 ? 0 : -cost, -durationMs, -turns);
  }

  /** Whole pico-dollars of a cost the model holds (finite, non-negative); 0 for anything else. */
  static long picos(double dollars) {
    long p = Pricing.picos(dollars);
    return p == Pricing.NONE ? 0 : p;
  }
}
