package dev.execflow.spi;

import java.util.List;

/**
 * One page of sessions, newest first.
 *
 * @param sessions at most the requested number
 * @param nextCursor pass as {@link SessionListQuery#after()} for the next page; null on the last
 * @param warnings what the listing could not do (sessions left out at a bound, lines that could not
 *     be read), one line each for a person; empty when it is complete
 */
public record SessionPage(List<SessionSummary> sessions, String nextCursor, List<String> warnings) {
  public SessionPage {
    sessions = List.copyOf(sessions);
    warnings = warnings == null ? List.of() : List.copyOf(warnings);
  }

  /** A complete page: no warnings. */
  public SessionPage(List<SessionSummary> sessions, String nextCursor) {
    this(sessions, nextCursor, List.of());
  }
}
