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

  /** A builder starting from this value (change a few components, keep the rest). */
  public Builder toBuilder() {
    return new Builder(this);
  }

  /**
   * A builder with every component zero, empty or null, status Status.RUNNING: for building values in code.
   *
   * <pre>{@code
   * PhaseExecution draft = PhaseExecution.builder().status(Status.COMPLETED).cost(0.25).visits(1).build();
   * }</pre>
   */
  public static Builder builder() {
    return new Builder();
  }

  /** Builds a {@link PhaseExecution} by component name. */
  public static final class Builder {
    private Status status = Status.RUNNING;
    private double cost;
    private double duration;
    private int turnCount;
    private Integer soundingWinner;
    private PhaseDetails details;
    private int visits;
    private Double startedAt;
    private Double endedAt;
    private long tokensIn;
    private long tokensOut;
    private List<String> models;
    private Integer maxTurns;
    private long rowCount;
    private String error;
    private List<String> declaredHandoffs;
    private List<String> subCascades;
    private Progress progress;

    private Builder() {}

    private Builder(PhaseExecution from) {
      status = from.status;
      cost = from.cost;
      duration = from.duration;
      turnCount = from.turnCount;
      soundingWinner = from.soundingWinner;
      details = from.details;
      visits = from.visits;
      startedAt = from.startedAt;
      endedAt = from.endedAt;
      tokensIn = from.tokensIn;
      tokensOut = from.tokensOut;
      models = from.models;
      maxTurns = from.maxTurns;
      rowCount = from.rowCount;
      error = from.error;
      declaredHandoffs = from.declaredHandoffs;
      subCascades = from.subCascades;
      progress = from.progress;
    }

    public Builder status(Status status) {
      this.status = status;
      return this;
    }

    public Builder cost(double cost) {
      this.cost = cost;
      return this;
    }

    public Builder duration(double duration) {
      this.duration = duration;
      return this;
    }

    public Builder turnCount(int turnCount) {
      this.turnCount = turnCount;
      return this;
    }

    public Builder soundingWinner(Integer soundingWinner) {
      this.soundingWinner = soundingWinner;
      return this;
    }

    public Builder details(PhaseDetails details) {
      this.details = details;
      return this;
    }

    public Builder visits(int visits) {
      this.visits = visits;
      return this;
    }

    public Builder startedAt(Double startedAt) {
      this.startedAt = startedAt;
      return this;
    }

    public Builder endedAt(Double endedAt) {
      this.endedAt = endedAt;
      return this;
    }

    public Builder tokensIn(long tokensIn) {
      this.tokensIn = tokensIn;
      return this;
    }

    public Builder tokensOut(long tokensOut) {
      this.tokensOut = tokensOut;
      return this;
    }

    public Builder models(List<String> models) {
      this.models = models;
      return this;
    }

    public Builder maxTurns(Integer maxTurns) {
      this.maxTurns = maxTurns;
      return this;
    }

    public Builder rowCount(long rowCount) {
      this.rowCount = rowCount;
      return this;
    }

    public Builder error(String error) {
      this.error = error;
      return this;
    }

    public Builder declaredHandoffs(List<String> declaredHandoffs) {
      this.declaredHandoffs = declaredHandoffs;
      return this;
    }

    public Builder subCascades(List<String> subCascades) {
      this.subCascades = subCascades;
      return this;
    }

    public Builder progress(Progress progress) {
      this.progress = progress;
      return this;
    }

    public PhaseExecution build() {
      return new PhaseExecution(status, cost, duration, turnCount, soundingWinner, details, visits, startedAt, endedAt, tokensIn, tokensOut, models, maxTurns, rowCount, error, declaredHandoffs, subCascades, progress);
    }
  }
}
