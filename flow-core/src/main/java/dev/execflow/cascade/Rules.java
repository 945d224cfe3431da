package dev.execflow.cascade;

/**
 * A phase's rules; each value is null when the definition does not set it.
 *
 * @param maxTurns the turn limit of the phase
 * @param maxAttempts how often the phase may be retried (e.g. until {@code loopUntil} passes)
 * @param loopUntil the validator the phase loops until; an inline validator is named
 *     {@code inline:<language>}
 */
public record Rules(Integer maxTurns, Integer maxAttempts, String loopUntil) {
  /** No rules set. */
  public static final Rules NONE = new Rules(null, null, null);
}
