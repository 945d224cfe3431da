package dev.execflow.spi;

/**
 * A page request for {@link LogSource#listSessions}: newest first (by first timestamp, then
 * session id), keyed-cursor paging.
 *
 * @param cascadeId only sessions of this cascade, or null for all
 * @param status only sessions with this status, or null for all
 * @param limit page size, at least 1
 * @param after the cursor of the previous page ({@link SessionPage#nextCursor()}), or null
 */
public record SessionListQuery(String cascadeId, dev.execflow.model.Status status, int limit, String after) {
  public SessionListQuery {
    if (limit < 1) {
      throw new IllegalArgumentException("limit must be at least 1, was " + limit);
    }
  }

  public static SessionListQuery firstPage(int limit) {
    return new SessionListQuery(null, null, limit, null);
  }
}
