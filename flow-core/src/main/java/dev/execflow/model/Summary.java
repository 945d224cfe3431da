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

  /** A builder starting from this value (change a few components, keep the rest). */
  public Builder toBuilder() {
    return new Builder(this);
  }

  /**
   * A builder with every component zero, empty or null, status Status.RUNNING: for building values in code.
   *
   * <pre>{@code
   * Summary summary = Summary.builder().phaseCount(3).totalCost(0.0025).status(Status.COMPLETED).build();
   * }</pre>
   */
  public static Builder builder() {
    return new Builder();
  }

  /** Builds a {@link Summary} by component name. */
  public static final class Builder {
    private int phaseCount;
    private double totalCost;
    private double totalDuration;
    private Status status = Status.RUNNING;
    private long rowCount;
    private long tokensIn;
    private long tokensOut;
    private Double startedAt;
    private Double endedAt;
    private double unattributedCost;
    private Integer totalPhases;

    private Builder() {}

    private Builder(Summary from) {
      phaseCount = from.phaseCount;
      totalCost = from.totalCost;
      totalDuration = from.totalDuration;
      status = from.status;
      rowCount = from.rowCount;
      tokensIn = from.tokensIn;
      tokensOut = from.tokensOut;
      startedAt = from.startedAt;
      endedAt = from.endedAt;
      unattributedCost = from.unattributedCost;
      totalPhases = from.totalPhases;
    }

    public Builder phaseCount(int phaseCount) {
      this.phaseCount = phaseCount;
      return this;
    }

    public Builder totalCost(double totalCost) {
      this.totalCost = totalCost;
      return this;
    }

    public Builder totalDuration(double totalDuration) {
      this.totalDuration = totalDuration;
      return this;
    }

    public Builder status(Status status) {
      this.status = status;
      return this;
    }

    public Builder rowCount(long rowCount) {
      this.rowCount = rowCount;
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

    public Builder startedAt(Double startedAt) {
      this.startedAt = startedAt;
      return this;
    }

    public Builder endedAt(Double endedAt) {
      this.endedAt = endedAt;
      return this;
    }

    public Builder unattributedCost(double unattributedCost) {
      this.unattributedCost = unattributedCost;
      return this;
    }

    public Builder totalPhases(Integer totalPhases) {
      this.totalPhases = totalPhases;
      return this;
    }

    public Summary build() {
      return new Summary(phaseCount, totalCost, totalDuration, status, rowCount, tokensIn, tokensOut, startedAt, endedAt, unattributedCost, totalPhases);
    }
  }
}
