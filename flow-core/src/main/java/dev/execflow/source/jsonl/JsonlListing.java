package dev.execflow.source.jsonl;

import dev.execflow.assemble.SessionTally;
import dev.execflow.assemble.Vocabulary;
import dev.execflow.spi.LogRow;
import dev.execflow.spi.RowSink;
import dev.execflow.spi.SessionListQuery;
import dev.execflow.spi.SessionPage;
import dev.execflow.spi.SessionSummary;
import java.util.ArrayList;
import java.util.Collections;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;

/** One listing of a {@link JsonlLogSource}: a streaming pass that tallies every session it meets. */
final class JsonlListing {
  /**
   * Priced LLM calls remembered while listing, to count a call's cost once when it is copied onto
   * a second row or repeated by a {@code cost_update}. Those come soon after the call, so the most
   * recent calls suffice and memory stays flat.
   */
  private static final int RECENT_PRICED_CALLS = 1 << 16;

  private final String description;
  private final SessionListQuery query;
  private final ListingKey after;
  private final Vocabulary vocabulary;
  private final int maxListedSessions;
  private final Map<String, SessionTally> tallies = new HashMap<>();
  private final Set<SessionTally.PricedCall> recentlyPriced = Collections.newSetFromMap(
      new LinkedHashMap<>(1024, 0.75f, true) {
        private static final long serialVersionUID = 1L;

        @Override protected boolean removeEldestEntry(Map.Entry<SessionTally.PricedCall, Boolean> eldest) {
          return size() > RECENT_PRICED_CALLS;
        }
      });
  private final ListingCuts cuts;
  private final Map<String, Long> lineProblems = new TreeMap<>();
  private String firstProblem;
  private long withoutSession;

  /** @throws dev.execflow.spi.LogSourceException BAD_INPUT for a cursor this source did not issue */
  JsonlListing(String description, SessionListQuery query, Vocabulary vocabulary, int maxListedSessions) {
    this.description = description;
    this.query = query;
    this.after = query.after() == null ? null : ListingKey.decode(query.after());
    this.vocabulary = vocabulary;
    this.maxListedSessions = maxListedSessions;
    this.cuts = new ListingCuts(maxListedSessions);
  }

  /** Counts the pass's line problems (the listing reports them in its page's warnings). */
  RowSink problems() {
    return new RowSink() {
      @Override public void accept(LogRow row) {}

      @Override public void warning(String kind, String detail) {
        lineProblems.merge(kind, 1L, Long::sum);
        if (firstProblem == null) {
          firstProblem = detail;
        }
      }
    };
  }

  /** Tallies one row of the pass. */
  void add(LogRow row) {
    String id = row.sessionId();
    if (id == null) {
      withoutSession++;
      return;
    }
    SessionTally tally = tallies.get(id);
    if (tally == null) {
      if (cuts.leftOut(id, row.timestamp())) {
        return;
      }
      if (tallies.size() >= cuts.evictAt()) {
        cuts.keepNewest(tallies);
      }
      tally = new SessionTally(id);
      tallies.put(id, tally);
    }
    tally.add(row, vocabulary, recentlyPriced);
  }

  /** The page the query asks for, after the pass. */
  SessionPage page() {
    if (tallies.size() > maxListedSessions) {
      cuts.keepNewest(tallies);
    }
    List<SessionTally> matching = new ArrayList<>();
    for (SessionTally t : tallies.values()) {
      if ((query.cascadeId() == null || query.cascadeId().equals(t.cascadeId()))
          && (query.status() == null || query.status() == t.status())
          && (after == null || ListingKey.ORDER.compare(ListingKey.of(t), after) > 0)) {
        matching.add(t);
      }
    }
    matching.sort(ListingKey.TALLY_ORDER);
    List<SessionSummary> page = new ArrayList<>();
    for (int i = 0; i < Math.min(query.limit(), matching.size()); i++) {
      page.add(matching.get(i).summary());
    }
    String next = matching.size() > query.limit() ? ListingKey.of(matching.get(query.limit() - 1)).encode() : null;
    return new SessionPage(page, next, warnings());
  }

  private List<String> warnings() {
    List<String> warnings = new ArrayList<>();
    if (cuts.sessions() > 0) {
      warnings.add("more than " + maxListedSessions + " sessions: the newest " + maxListedSessions
          + " are listed, " + cuts.sessions() + " older ones (" + cuts.rows() + " rows) were left out");
    }
    if (!lineProblems.isEmpty()) {
      long lines = lineProblems.values().stream().mapToLong(Long::longValue).sum();
      warnings.add(lines + " problem" + (lines == 1 ? "" : "s") + " reading " + description + " " + lineProblems
          + "; first: " + firstProblem);
    }
    if (withoutSession > 0) {
      warnings.add(withoutSession + " rows without a session_id were not listed");
    }
    return warnings;
  }
}
