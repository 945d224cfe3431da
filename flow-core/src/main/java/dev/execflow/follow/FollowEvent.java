package dev.execflow.follow;

import com.fasterxml.jackson.annotation.JsonIgnore;
import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonPropertyOrder;
import dev.execflow.model.ExecutionData;
import dev.execflow.model.Status;
import java.util.Objects;

/**
 * One change of a followed session, in one JSON shape for every {@link EventType}: {@code type},
 * {@code id} (increasing within a follow), {@code sessionId} and {@code timestamp} (epoch seconds
 * of the row time or, for {@code stalled}/{@code heartbeat}, the clock time it refers to) are
 * always there; {@code phase} on phase events; the other fields only where the type has them
 * (null ones are left out of the JSON). {@code snapshot} and {@code final} carry {@code
 * executionData}.
 *
 * <pre>{@code
 * {"type":"phase_complete","id":7,"sessionId":"s1","timestamp":1736071203.0,"phase":"brief","status":"completed"}
 * {"type":"cost","id":8,"sessionId":"s1","timestamp":1736071204.5,"phase":"brief","cost":0.0005,"totalCost":0.0019,"tokensIn":150,"tokensOut":40}
 * }</pre>
 *
 * @param visit for {@code phase_start}: which visit of the phase began (1 for the first)
 * @param status the phase's or sounding's status; for {@code cascade_*} and {@code final} the session's
 * @param cost for {@code cost}: the phase's new cost; for {@code sounding_complete}: the attempt's
 * @param totalCost for {@code cost}, {@code final}: the session's total cost
 * @param duration for phase events: the phase's duration so far (seconds, all visits)
 * @param soundingIndex for {@code sounding_complete}: the attempt
 * @param preview for {@code sounding_complete}: the start of the attempt's output
 * @param winnerIndex for {@code sounding_winner}, {@code reforge_winner}
 * @param step for {@code reforge_winner}
 * @param ward for {@code ward}: its key, e.g. {@code pre_0}
 * @param idleSeconds for {@code stalled}: seconds without a new row
 */
@JsonPropertyOrder({"type", "id", "sessionId", "timestamp", "phase", "visit", "status", "cost", "duration", "totalCost",
    "tokensIn", "tokensOut", "soundingIndex", "preview", "winnerIndex", "step", "ward", "valid", "reason", "turnCount",
    "maxTurns", "error", "idleSeconds", "executionData"})
@JsonInclude(JsonInclude.Include.NON_NULL)
public record FollowEvent(
    @JsonInclude(JsonInclude.Include.ALWAYS) EventType type,
    long id,
    @JsonInclude(JsonInclude.Include.ALWAYS) String sessionId,
    @JsonInclude(JsonInclude.Include.ALWAYS) Double timestamp,
    String phase,
    Integer visit,
    Status status,
    Double cost,
    Double duration,
    Double totalCost,
    Long tokensIn,
    Long tokensOut,
    Integer soundingIndex,
    String preview,
    Integer winnerIndex,
    Integer step,
    String ward,
    Boolean valid,
    String reason,
    Integer turnCount,
    Integer maxTurns,
    String error,
    Double idleSeconds,
    ExecutionData executionData) {

  public FollowEvent {
    Objects.requireNonNull(type, "type");
  }

  /** An event of {@code type} with only the common fields; {@link Builder} adds the others. */
  public static Builder of(EventType type, String sessionId, Double timestamp) {
    return new Builder(type, sessionId, timestamp);
  }

  /** The same event with another id (a follower numbers events as it emits them). */
  public FollowEvent withId(long newId) {
    return new FollowEvent(type, newId, sessionId, timestamp, phase, visit, status, cost, duration, totalCost,
        tokensIn, tokensOut, soundingIndex, preview, winnerIndex, step, ward, valid, reason, turnCount, maxTurns, error, idleSeconds,
        executionData);
  }

  /** Whether this is the last event of a follow. */
  @JsonIgnore
  public boolean isFinal() {
    return type == EventType.FINAL;
  }

  /** Builds a {@link FollowEvent} field by field. */
  public static final class Builder {
    private final EventType type;
    private final String sessionId;
    private final Double timestamp;
    private long id;
    private String phase;
    private Integer visit;
    private Status status;
    private Double cost;
    private Double duration;
    private Double totalCost;
    private Long tokensIn;
    private Long tokensOut;
    private Integer soundingIndex;
    private String preview;
    private Integer winnerIndex;
    private Integer step;
    private String ward;
    private Boolean valid;
    private String reason;
    private Integer turnCount;
    private Integer maxTurns;
    private String error;
    private Double idleSeconds;
    private ExecutionData executionData;

    private Builder(EventType type, String sessionId, Double timestamp) {
      this.type = type;
      this.sessionId = sessionId;
      this.timestamp = timestamp;
    }

    public Builder id(long v) { id = v; return this; }
    public Builder phase(String v) { phase = v; return this; }
    public Builder visit(Integer v) { visit = v; return this; }
    public Builder status(Status v) { status = v; return this; }
    public Builder cost(Double v) { cost = v; return this; }
    public Builder duration(Double v) { duration = v; return this; }
    public Builder totalCost(Double v) { totalCost = v; return this; }
    public Builder tokensIn(Long v) { tokensIn = v; return this; }
    public Builder tokensOut(Long v) { tokensOut = v; return this; }
    public Builder soundingIndex(Integer v) { soundingIndex = v; return this; }
    public Builder preview(String v) { preview = v; return this; }
    public Builder winnerIndex(Integer v) { winnerIndex = v; return this; }
    public Builder step(Integer v) { step = v; return this; }
    public Builder ward(String v) { ward = v; return this; }
    public Builder valid(Boolean v) { valid = v; return this; }
    public Builder reason(String v) { reason = v; return this; }
    public Builder turnCount(Integer v) { turnCount = v; return this; }
    public Builder maxTurns(Integer v) { maxTurns = v; return this; }
    public Builder error(String v) { error = v; return this; }
    public Builder idleSeconds(Double v) { idleSeconds = v; return this; }
    public Builder executionData(ExecutionData v) { executionData = v; return this; }

    public FollowEvent build() {
      return new FollowEvent(type, id, sessionId, timestamp, phase, visit, status, cost, duration, totalCost,
          tokensIn, tokensOut, soundingIndex, preview, winnerIndex, step, ward, valid, reason, turnCount, maxTurns, error,
          idleSeconds, executionData);
    }
  }
}
