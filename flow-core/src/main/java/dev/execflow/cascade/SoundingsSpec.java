package dev.execflow.cascade;

/**
 * Soundings (later generation: candidates): the phase runs {@code factor} attempts and an
 * evaluator picks a winner.
 *
 * @param factor how many attempts run; null when the definition computes it at run time (a
 *     template such as <code>{{ outputs.files | length }}</code>, kept in {@code factorTemplate})
 * @param factorTemplate the factor's template text when it is not a number, else null
 * @param evaluatorInstructions how the winner is picked, may be null
 * @param mode {@code evaluate} or {@code aggregate} as written, may be null
 * @param reforge refinement of the winner, null when none
 */
public record SoundingsSpec(
    Integer factor,
    String factorTemplate,
    String evaluatorInstructions,
    String mode,
    ReforgeSpec reforge) {}
