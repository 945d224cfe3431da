package dev.execflow;

import org.quicktheories.QuickTheory;

/**
 * The one place property tests get their runner: a fixed seed, so a red run repeats exactly
 * (override with {@code -Dexecflow.seed=N} to explore), and QuickTheories' shrinking on failure.
 */
public final class Theories {
  /** The seed every property runs with unless {@code -Dexecflow.seed} says otherwise. */
  public static final long SEED = Long.getLong("execflow.seed", 0x5EED_2026L);

  private Theories() {}

  /** A runner that tries {@code examples} cases from the fixed seed. */
  public static QuickTheory theories(int examples) {
    return QuickTheory.qt().withFixedSeed(SEED).withExamples(examples);
  }
}
