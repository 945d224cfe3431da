package dev.execflow.spi;

import java.util.List;

/**
 * One page of sessions, newest first.
 *
 * @param sessions at most the requested number
 * @param nextCursor pass as {@link SessionListQuery#after()} for the next page; null on the last
 */
public record SessionPage(List<SessionSummary> sessions, String nextCursor) {
  public SessionPage {
    sessions = List.copyOf(sessions);
  }
}
