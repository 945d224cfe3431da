package dev.execflow.model;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonPropertyOrder;
import java.util.List;

/**
 * What one phase did in a session. The first six components are the seed's contract; the rest are
 * additive extensions.
 *
 * @param status completed, running, error, or pending (overlay only)
 * @param cost the sum of the phase's LLM call costs, each call counted once (dollars)
 * @param duration wall-clock seconds over all visits of the phase
 * @param turnCount how many turns ran (highest 0-based turn + 1; 1 for a single model call)
 * @param soundingWinner the winning sounding's index, null when unknown or no soundings
 * @param details soundings, reforge and wards
 * @param visits how many times the phase started (loops and retries run a phase again)
 * @param startedAt epoch seconds of the phase's first row
 * @param endedAt epoch seconds at which its last visit ended; null while running
 * @param tokensIn input tokens of the phase's LLM calls
 * @param tokensOut output tokens of the phase's LLM calls
 * @param models distinct model names used, in order of first use (bounded)
 * @param maxTurns the turn limit logged by the phase's turn rows, null when not logged
 * @param rowCount log rows attributed to this phase
 * @param error the last error message of the phase (also of a recovered error), null if none
 * @param declaredHandoffs handoff targets the phase declared in its structure row
 * @param subCascades session ids of sub-cascades the phase started
 * @param progress progress against the cascade definition (overlay only), else null
 */
@JsonPropertyOrder({
  "status", "cost", "duration", "turnCount", "soundingWinner", "details",
  "visits", "startedAt", "endedAt", "tokensIn", "tokensOut", "models", "maxTurns", "rowCount",
  "error", "declaredHandoffs", "subCascades", "progress"
})
public record PhaseExecution(
    Status status,
    double cost,
    double duration,
    int turnCount,
    @JsonInclude(JsonInclude.Include.ALWAYS) Integer soundingWinner,
    PhaseDetails details,
    int visits,
    Double startedAt,
    Double endedAt,
    long tokensIn,
    long tokensOut,
    List<String> models,
    @JsonInclude(JsonInclude.Include.NON_NULL) Integer maxTurns,
    long rowCount,
    @JsonInclude(JsonInclude.Include.NON_NULL) String error,
    List<String> declaredHandoffs,
    List<String> subCascades,
    @JsonInclude(JsonInclude.Include.NON_NULL) Progress progress) {

  public PhaseExecution {
    details = details == null ? PhaseDetails.EMPTY : details;
    models = models == null ? List.of() : List.copyOf(models);
    declaredHandoffs = declaredHandoffs == null ? List.of() : List.copyOf(declaredHandoffs);
    subCascades = subCascades == null ? List.of() : List.copyOf(subCascades);
  }

  /** A phase the cascade declares but that has not started: status pending, everything zero. */
  public static PhaseExecution pending(PhaseDetails details, List<String> declaredHandoffs) {
    return new PhaseExecution(Status.PENDING, 0, 0, 0, null, details, 0, null, null, 0, 0,
        List.of(), null, 0, null, declaredHandoffs, List.of(), null);
  }

  public PhaseExecution withStatus(Status newStatus) {
    return new PhaseExecution(newStatus, cost, duration, turnCount, soundingWinner, details, visits,
        startedAt, endedAt, tokensIn, tokensOut, models, maxTurns, rowCount, error,
        declaredHandoffs, subCascades, progress);
  }

  public PhaseExecution withDetails(PhaseDetails newDetails) {
    return new PhaseExecution(status, cost, duration, turnCount, soundingWinner, newDetails, visits,
        startedAt, endedAt, tokensIn, tokensOut, models, maxTurns, rowCount, error,
        declaredHandoffs, subCascades, progress);
  }

  public PhaseExecution withDeclaredHandoffs(List<String> handoffs) {
    return new PhaseExecution(status, cost, duration, turnCount, soundingWinner, details, visits,
        startedAt, endedAt, tokensIn, tokensOut, models, maxTurns, rowCount, error,
        handoffs, subCascades, progress);
  }

  public PhaseExecution withProgress(Progress newProgress) {
    return new PhaseExecution(status, cost, duration, turnCount, soundingWinner, details, visits,
        startedAt, endedAt, tokensIn, tokensOut, models, maxTurns, rowCount, error,
        declaredHandoffs, subCascades, newProgress);
  }
}
