package dev.execflow.model;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonPropertyOrder;

/**
 * One refinement round of a phase's reforge.
 *
 * @param step the row's {@code reforge_step}
 * @param winnerIndex the index of the attempt that won this step, null while unknown
 * @param attempts how many distinct attempts of this step were seen
 * @param cost the cost of this step's LLM calls
 */
@JsonPropertyOrder({"step", "winnerIndex", "attempts", "cost"})
public record ReforgeStep(int step, @JsonInclude(JsonInclude.Include.ALWAYS) Integer winnerIndex, int attempts, double cost) {}
