package dev.execflow.model;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonPropertyOrder;

/**
 * How far a running phase has got against its cascade definition (only set by a spec overlay).
 * Each pair is null when the definition has no such limit.
 */
@JsonPropertyOrder({"turnsDone", "maxTurns", "attemptsDone", "attemptsPlanned", "reforgeStep", "reforgeSteps"})
@JsonInclude(JsonInclude.Include.NON_NULL)
public record Progress(
    Integer turnsDone,
    Integer maxTurns,
    Integer attemptsDone,
    Integer attemptsPlanned,
    Integer reforgeStep,
    Integer reforgeSteps) {}
