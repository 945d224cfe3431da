package dev.execflow.cascade;

/**
 * Reforge (iterative refinement of the soundings' winner). The original system numbers the
 * refinement steps {@code 1..steps} in its {@code reforge_step} column (0 is the initial
 * soundings).
 *
 * @param steps how many refinement steps run at most
 * @param factorPerStep attempts per step, null when not set (the original's default is 2)
 * @param threshold the early-stopping validator, null when none
 */
public record ReforgeSpec(int steps, Integer factorPerStep, WardSpec threshold) {}
