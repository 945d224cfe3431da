package dev.execflow.compare;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonPropertyOrder;
import dev.execflow.model.ExecutionData;
import dev.execflow.model.Status;
import java.util.List;

/**
 * One side of a comparison as a whole: one run, or the median of several ({@link #median} and
 * {@link #sessions} set, {@link #sessionId} null).
 *
 * <pre>{@code
 * SessionSide a = SessionSide.of(data);
 * System.out.println(a.sessionId() + ": $" + a.totalCost() + " in " + a.durationMs() + " ms");
 * }</pre>
 *
 * @param sessionId the run's session id; null for a median
 * @param cascadeId the cascade it ran (a median: the baselines' common cascade, null if they differ)
 * @param status the run's status (a median: the most common one)
 * @param totalCost dollars
 * @param durationMs wall-clock milliseconds of the whole run
 * @param turns the turns of all its phases together
 * @param median for a median: how many runs it was taken over; else null
 * @param sessions for a median: the session ids of those runs; else null
 */
@JsonPropertyOrder({"sessionId", "cascadeId", "status", "totalCost", "durationMs", "turns", "median", "sessions"})
public record SessionSide(
    @JsonInclude(JsonInclude.Include.ALWAYS) String sessionId,
    @JsonInclude(JsonInclude.Include.ALWAYS) String cascadeId,
    Status status,
    double totalCost,
    long durationMs,
    long turns,
    @JsonInclude(JsonInclude.Include.NON_NULL) Integer median,
    @JsonInclude(JsonInclude.Include.NON_NULL) List<String> sessions) {

  public SessionSide {
    sessions = sessions == null ? null : List.copyOf(sessions);
  }

  /** The side of one run. */
  public static SessionSide of(ExecutionData data) {
    return new SessionSide(data.sessionId(), data.cascadeId(), data.summary().status(), data.summary().totalCost(),
        PhaseSide.millis(data.summary().totalDuration()), turns(data), null, null);
  }

  /** {@code this - other}. */
  public Delta minus(SessionSide other) {
    return Delta.between(totalCost, durationMs, turns, other.totalCost, other.durationMs, other.turns);
  }

  /** The turns of every phase that ran. */
  static long turns(ExecutionData data) {
    long n = 0;
    for (var p : data.phases().values()) {
      if (p.status() != Status.PENDING) {
        n += p.turnCount();
      }
    }
    return n;
  }
}
