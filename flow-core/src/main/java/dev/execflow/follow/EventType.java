package dev.execflow.follow;

import com.fasterxml.jackson.annotation.JsonCreator;
import com.fasterxml.jackson.annotation.JsonValue;
import java.util.Locale;

/**
 * The kinds of {@link FollowEvent}: a public contract (the SSE {@code event:} field, the CLI's
 * {@code type}); the wire name is the lower-case constant name.
 */
public enum EventType {
  /** The whole {@code executionData}: first on every stream, and again after a restart. */
  SNAPSHOT,
  /** A phase started (again: {@code visit} counts). */
  PHASE_START,
  /** A phase completed. */
  PHASE_COMPLETE,
  /** A phase ended in an error ({@code error} says which). */
  PHASE_ERROR,
  /** A phase's or the session's cost changed; carries the new phase and session totals. */
  COST,
  /** A sounding attempt finished ({@code soundingIndex}, {@code status}, {@code cost}). */
  SOUNDING_COMPLETE,
  /** A phase's soundings have a (new) winner ({@code winnerIndex}). */
  SOUNDING_WINNER,
  /** A reforge step has a (new) winner ({@code step}, {@code winnerIndex}). */
  REFORGE_WINNER,
  /** A ward ran or changed its result ({@code ward}, {@code valid}, {@code reason}). */
  WARD,
  /** A phase's turn count grew ({@code turnCount}, {@code maxTurns}). */
  TURN,
  /** The session's terminal row says it completed (final follows after the grace period). */
  CASCADE_COMPLETE,
  /** The session's terminal row says it failed ({@code error}). */
  CASCADE_ERROR,
  /** No new rows for the configured time while the session runs ({@code idleSeconds}). */
  STALLED,
  /** Nothing else happened for a while; the follow is alive. */
  HEARTBEAT,
  /** The session ended and its grace period passed: the last event, with the whole {@code executionData}. */
  FINAL;

  private final String wireName = name().toLowerCase(Locale.ROOT);

  /** The name on the wire, e.g. {@code phase_start}. */
  @JsonValue
  public String wireName() {
    return wireName;
  }

  /** The type with this wire name. */
  @JsonCreator
  public static EventType ofWireName(String name) {
    return valueOf(name.toUpperCase(Locale.ROOT));
  }
}
