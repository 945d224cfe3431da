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
 * SessionQuery toShow = whole.from(visitStart).until(visitEnd).withContent(65_536);
 * }</pre>
 *
 * <p><b>Content.</b> By default ({@code contentLimit} {@value #FOLD_CONTENT}) a source delivers
 * {@code content_json} as the fold needs it: it may leave out the content of rows whose kind the
 * fold does not read it from (a ClickHouse source does: content is most of a log's bytes) and cuts
 * the rest at {@link ContentCut#DEFAULT_CODE_POINTS}. A query {@link #withContent} asks for every
 * row's content, cut at that many code points the way {@link ContentCut#cut} cuts: for showing what
 * the rows said. {@link LogSource#read} honours it; {@link LogSource#readSessions} and tails may
 * deliver content as for the fold.
 *
 * @param contentLimit {@value #FOLD_CONTENT} for content as the fold needs it, else the bound in
 *     code points on every row's content
 */
public record SessionQuery(String sessionId, double fromTimestamp, double toTimestamp, int contentLimit) {
  /** {@code contentLimit} of a query that wants content as the fold needs it (the default). */
  public static final int FOLD_CONTENT = 0;

  public SessionQuery {
    Objects.requireNonNull(sessionId, "sessionId");
    if (contentLimit < 0) {
      throw new IllegalArgumentException("contentLimit must be 0 (as the fold needs it) or positive, was "
          + contentLimit);
    }
  }

  /** A query with content as the fold needs it. */
  public SessionQuery(String sessionId, double fromTimestamp, double toTimestamp) {
    this(sessionId, fromTimestamp, toTimestamp, FOLD_CONTENT);
  }

  public static SessionQuery of(String sessionId) {
    return new SessionQuery(sessionId, Double.NaN, Double.NaN);
  }

  /** Rows at or after {@code timestamp}. */
  public SessionQuery from(double timestamp) {
    return new SessionQuery(sessionId, timestamp, toTimestamp, contentLimit);
  }

  /** Rows strictly before {@code timestamp}. */
  public SessionQuery until(double timestamp) {
    return new SessionQuery(sessionId, fromTimestamp, timestamp, contentLimit);
  }

  /**
   * The same rows with every row's content, cut at {@code codePoints} (see the class comment).
   *
   * @throws IllegalArgumentException when {@code codePoints} is not positive
   */
  public SessionQuery withContent(int codePoints) {
    if (codePoints < 1) {
      throw new IllegalArgumentException("a content bound must be positive, was " + codePoints);
    }
    return new SessionQuery(sessionId, fromTimestamp, toTimestamp, codePoints);
  }

  /** Whether the query asks for every row's content ({@link #withContent}). */
  public boolean wantsContent() {
    return contentLimit != FOLD_CONTENT;
  }

  /** Whether a row at {@code timestamp} lies in this query's range (a NaN timestamp does). */
  public boolean covers(double timestamp) {
    if (Double.isNaN(timestamp)) {
      return true;
    }
    return !(timestamp < fromTimestamp) && !(timestamp >= toTimestamp);
  }
}
