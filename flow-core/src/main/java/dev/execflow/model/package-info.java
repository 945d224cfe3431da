/**
 * The immutable output of the fold: {@link dev.execflow.model.ExecutionData} and the records it is
 * made of (phases, soundings, reforge steps, wards keyed by {@link dev.execflow.model.WardKind},
 * summary, warnings). Records compare by value, so two folds can be checked for equality.
 *
 * <pre>{@code
 * PhaseExecution draft = data.phases().get("draft");
 * double cost = draft.cost();
 * }</pre>
 */
package dev.execflow.model;
