package dev.execflow.spi;

import java.util.List;

/**
 * One page of sessions, newest first.
 *
 * @param sessions at most the requested number
 * @param nextCursor pass as {@link SessionListQuery#after()} for the next page; null on the last
 * @param warnings what the listing could not do (sessions left out at a bound, lines that could not
 *     be read), one line each for a person; empty when it is complete
 * @param scanned whether the source read all of its rows to make this page (a page then costs the
 *     table, not the page: a ClickHouse table without {@code execflow install-listing} says so);
 *     false when it read only what the page needs, or does not say
 */
public record SessionPage(List<SessionSummary> sessions, String nextCursor, List<String> warnings, boolean scanned) {
  public SessionPage {
    sessions = List.copyOf(sessions);
    warnings = warnings == null ? List.of() : List.copyOf(warnings);
  }

  /** A page with these warnings that does not say whether it scanned. */
  public SessionPage(List<SessionSummary> sessions, String nextCursor, List<String> warnings) {
    this(sessions, nextCursor, warnings, false);
  }

  /** A complete page: no warnings. */
  public SessionPage(List<SessionSummary> sessions, String nextCursor) {
    this(sessions, nextCursor, List.of());
  }
}
