package dev.execflow.examples.service;

import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import dev.execflow.compare.ExecutionComparison;
import dev.execflow.json.ExecutionJson;
import dev.execflow.model.ExecutionData;
import dev.execflow.model.Status;
import dev.execflow.spi.LogSource;
import dev.execflow.spi.SessionListQuery;
import dev.execflow.spi.SessionPage;
import dev.execflow.spi.SessionSummary;
import java.util.ArrayList;
import java.util.List;

/**
 * {@code GET /api/compare?a=&b=} (two runs) and {@code ?a=&median=N} (a run against the per-phase
 * median of the last {@code N} finished runs of its cascade): {@link ExecutionComparison} as JSON.
 *
 * <p>A median's runs come from the source's listing, newest first: the first {@code N} sessions
 * of {@code a}'s cascade that have ended (completed or error), {@code a} left out, looked for
 * among at most {@value #MAX_LISTED} listed sessions; they are folded with one {@link
 * LogSource#readSessions} request. Costs: one fold of {@code a} and of {@code b}; for a median one
 * fold of {@code a}, listing pages (O(page) each where the source lists in O(page)) and the folds
 * of the {@code N} runs.
 */
final class Comparisons {
  /** Largest {@code median}. */
  static final int MAX_MEDIAN = 50;
  /** Most sessions a median's listing looks through for finished runs. */
  static final int MAX_LISTED = 1_000;

  private final LogSource source;
  private final Folds folds;

  Comparisons(LogSource source, Folds folds) {
    this.source = source;
    this.folds = folds;
  }

  ApiResponse compare(String aId, String bId, String medianParam) {
    if (aId == null || aId.isEmpty()) {
      return Responses.error(400, "missing parameter a: the session id to compare");
    }
    boolean hasB = bId != null && !bId.isEmpty();
    boolean hasMedian = medianParam != null && !medianParam.isEmpty();
    if (hasB == hasMedian) {
      return Responses.error(400, hasB ? "give b or median, not both"
          : "missing parameter b (a session id) or median (1 to " + MAX_MEDIAN + ")");
    }
    Request.requireId(aId, "session id a");
    if (hasB) {
      Request.requireId(bId, "session id b");
    }
    int n = hasMedian ? Request.boundedInt(medianParam, "median", 1, MAX_MEDIAN, 0) : 0;
    ExecutionData a = folds.fold(aId);
    if (a == null) {
      return Responses.error(404, "unknown session: " + aId);
    }
    if (hasB) {
      ExecutionData b = folds.fold(bId);
      if (b == null) {
        return Responses.error(404, "unknown session: " + bId);
      }
      return new ApiResponse(200, ExecutionJson.write(ExecutionComparison.of(a, b)));
    }
    if (a.cascadeId() == null) {
      return Responses.error(404, "session " + aId + " logged no cascade id: there are no runs of its cascade to take"
          + " a median of");
    }
    List<String> warnings = new ArrayList<>();
    List<String> ids = lastFinished(a.cascadeId(), aId, n, warnings);
    List<ExecutionData> baselines = ids.isEmpty() ? List.of() : folds.foldAll(ids);
    if (baselines.isEmpty()) {
      return Responses.error(404, "no finished runs of cascade " + a.cascadeId() + " besides session " + aId);
    }
    return new ApiResponse(200, withWarnings(ExecutionJson.write(ExecutionComparison.median(a, baselines)), warnings));
  }

  /** The newest {@code n} ended sessions of {@code cascade} other than {@code except}. */
  private List<String> lastFinished(String cascade, String except, int n, List<String> warnings) {
    List<String> ids = new ArrayList<>(n);
    String after = null;
    int listed = 0;
    do {
      int page = Math.min(SessionListing.MAX_PAGE, Math.max(2 * n + 1, 20));
      SessionPage p = source.listSessions(new SessionListQuery(cascade, null, page, after));
      warnings.addAll(p.warnings());
      for (SessionSummary s : p.sessions()) {
        if (ids.size() < n && !s.sessionId().equals(except)
            && (s.status() == Status.COMPLETED || s.status() == Status.ERROR)) {
          ids.add(s.sessionId());
        }
      }
      listed += p.sessions().size();
      after = p.nextCursor();
    } while (ids.size() < n && after != null && listed < MAX_LISTED);
    if (ids.size() < n && after != null) {
      warnings.add("looked through " + listed + " sessions of cascade " + cascade + " and found " + ids.size()
          + " finished runs of the " + n + " asked for");
    }
    return ids;
  }

  /** The comparison's JSON with a {@code warnings} array when the listing reported any. */
  private static String withWarnings(String json, List<String> warnings) {
    if (warnings.isEmpty()) {
      return json;
    }
    ArrayNode list = JsonNodeFactory.instance.arrayNode();
    warnings.forEach(list::add);
    return json.substring(0, json.length() - 1) + ",\"warnings\":" + Responses.write(list) + "}";
  }
}
