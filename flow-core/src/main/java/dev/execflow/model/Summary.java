package dev.execflow.model;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonPropertyOrder;

/**
 * Session totals. The first four components are the seed's contract.
 *
 * @param phaseCount distinct phases that ran (the size of {@code phases} before any overlay)
 * @param totalCost the sum of the phases' costs
 * @param totalDuration wall-clock seconds from the session's first row to its end (or, while it
 *     runs, to its last row or the assembler's clock)
 * @param status completed, running or error
 * @param rowCount rows folded (duplicates excluded)
 * @param tokensIn total input tokens
 * @param tokensOut total output tokens
 * @param startedAt epoch seconds of the first row, null for an empty session
 * @param endedAt epoch seconds of the terminal row, null while running
 * @param unattributedCost cost of LLM calls that could not be tied to any phase (not in totalCost)
 * @param totalPhases phases the cascade definition declares (overlay only), else null
 */
@JsonPropertyOrder({"phaseCount", "totalCost", "totalDuration", "status", "rowCount", "tokensIn",
    "tokensOut", "startedAt", "endedAt", "unattributedCost", "totalPhases"})
public record Summary(
    int phaseCount,
    double totalCost,
    double totalDuration,
    Status status,
    long rowCount,
    long tokensIn,
    long tokensOut,
    Double startedAt,
    Double endedAt,
    double unattributedCost,
    @JsonInclude(JsonInclude.Include.NON_NULL) Integer totalPhases) {

  public Summary withTotalPhases(Integer declared) {
    return new Summary(phaseCount, totalCost, totalDuration, status, rowCount, tokensIn, tokensOut,
        startedAt, endedAt, unattributedCost, declared);
  }
}
