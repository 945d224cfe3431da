package dev.execflow.spi;

import java.util.Objects;

/**
 * Which rows of which session to read. The time range is half-open, {@code [from, to)} in epoch
 * seconds, so that contiguous ranges split a session without overlap (parallel or incremental
 * folding); NaN means unbounded.
 *
 * <pre>{@code
 * SessionQuery whole = SessionQuery.of("sess-42");
 * SessionQuery tail = whole.from(lastSeenTimestamp);
 * }</pre>
 */
public record SessionQuery(String sessionId, double fromTimestamp, double toTimestamp) {
  public SessionQuery {
    Objects.requireNonNull(sessionId, "sessionId");
  }

  public static SessionQuery of(String sessionId) {
    return new SessionQuery(sessionId, Double.NaN, Double.NaN);
  }

  /** Rows at or after {@code timestamp}. */
  public SessionQuery from(double timestamp) {
    return new SessionQuery(sessionId, timestamp, toTimestamp);
  }

  /** Rows strictly before {@code timestamp}. */
  public SessionQuery until(double timestamp) {
    return new SessionQuery(sessionId, fromTimestamp, timestamp);
  }

  /** Whether a row at {@code timestamp} lies in this query's range (a NaN timestamp does). */
  public boolean covers(double timestamp) {
    if (Double.isNaN(timestamp)) {
      return true;
    }
    return !(timestamp < fromTimestamp) && !(timestamp >= toTimestamp);
  }
}
