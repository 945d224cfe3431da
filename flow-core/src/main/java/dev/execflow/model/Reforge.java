package dev.execflow.model;

import com.fasterxml.jackson.annotation.JsonPropertyOrder;
import java.util.List;

/**
 * Reforge (refinement) of one phase.
 *
 * @param reforgeSteps the steps seen, ascending by step number
 * @param thresholdMet whether a {@code reforge_threshold_met} row ended the refinement early
 */
@JsonPropertyOrder({"reforgeSteps", "thresholdMet"})
public record Reforge(List<ReforgeStep> reforgeSteps, boolean thresholdMet) {
  public Reforge {
    reforgeSteps = List.copyOf(reforgeSteps);
  }
}
