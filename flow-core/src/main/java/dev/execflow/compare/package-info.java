/**
 * Comparing runs of a cascade: {@link dev.execflow.compare.ExecutionComparison} sets two {@code
 * executionData} side by side, phase by phase, with the differences in cost, duration and turns, or
 * one run against the per-phase median of earlier runs of its cascade. Values are immutable
 * records; {@code ExecutionJson.write(comparison)} gives the JSON the service answers.
 *
 * <pre>{@code
 * ExecutionComparison c = ExecutionComparison.of(today, yesterday);
 * for (PhaseComparison p : c.phases()) {
 *   if (p.delta() != null && p.delta().cost() > 0) {
 *     System.out.println(p.phase() + " cost $" + p.delta().cost() + " more");
 *   }
 * }
 * }</pre>
 */
package dev.execflow.compare;
