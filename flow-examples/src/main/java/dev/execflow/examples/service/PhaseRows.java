package dev.execflow.examples.service;

import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.execflow.assemble.AssemblyOptions;
import dev.execflow.model.ExecutionData;
import dev.execflow.spi.LogRow;
import dev.execflow.spi.LogSource;
import dev.execflow.spi.RowSink;
import dev.execflow.spi.SessionQuery;
import dev.execflow.spi.WarningCounter;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Locale;
import java.util.Set;

/**
 * {@code GET /api/session/{id}/phase/{name}/rows?visit=&limit=&cursor=}: the rows of one phase (of
 * one visit of it, or of every visit in turn), with their content, a page at a time.
 *
 * <p>How a page is read: the session's {@link VisitIndex} gives each visit's time window (from the
 * cache of recent folds, else by folding the session once); each window is one {@link
 * LogSource#read} of that time range with every row's content ({@link SessionQuery#withContent}),
 * from the visit's start, because the rows that name no phase are placed through the rows before
 * them ({@link VisitRows}). The page takes the visit's rows after the cursor and stops the read
 * once it has {@code limit} rows and knows whether one more follows. So a page costs a read of
 * the visit's rows up to the page's end (a source that cannot stop a read early, such as
 * ClickHouse's streamed response, sends the rest of the window: the visit's rows), never of the
 * session, plus a fold of the session when its index is not cached. It keeps at most {@code
 * limit} rows of at most {@value #CONTENT_LIMIT} code points of content, and ends early once its
 * rows hold {@value #PAGE_CONTENT_BUDGET} code points of content.
 *
 * <p>Exact copies of a row (the same {@code SessionCursor.rowKey} at the same instant) are shown
 * once.
 */
final class PhaseRows {
  static final int DEFAULT_LIMIT = 50;
  static final int MAX_LIMIT = 500;
  /** The largest visit number asked for (a fold keeps far fewer visits). */
  static final int MAX_VISIT = 1_000_000;
  /** The bound on each row's content shown, in code points. */
  static final int CONTENT_LIMIT = 65_536;
  /** A page ends early once its rows' content adds up to this many code points. */
  static final int PAGE_CONTENT_BUDGET = 4 * 1024 * 1024;
  private static final int READ_BOUND = RowContent.readBound(CONTENT_LIMIT);
  /** Row keys remembered per instant to show exact copies once. */
  private static final int MAX_KEYS_PER_INSTANT = 1_024;

  private final LogSource source;
  private final Folds folds;
  private final VisitIndexCache visits;
  private final AssemblyOptions options;

  /** {@code visits}: the cache {@code folds} fills. */
  PhaseRows(LogSource source, Folds folds, VisitIndexCache visits, AssemblyOptions options) {
    this.source = source;
    this.folds = folds;
    this.visits = visits;
    this.options = options;
  }

  /** One page; parameters are the raw (decoded) values, each may be null. */
  ApiResponse page(String sessionId, String phase, String visitParam, String limitParam, String cursorParam) {
    Request.requireId(sessionId, "session id");
    if (phase.isEmpty() || phase.length() > Request.MAX_ID_LENGTH) {
      return Responses.error(400, "invalid phase name: expected 1 to " + Request.MAX_ID_LENGTH + " characters");
    }
    int visit = Request.boundedInt(visitParam, "visit", 1, MAX_VISIT, 0);
    int limit = Request.boundedInt(limitParam, "limit", 1, MAX_LIMIT, DEFAULT_LIMIT);
    int check = RowsCursor.check(sessionId, phase, visit);
    RowsCursor cursor = null;
    if (cursorParam != null && !cursorParam.isEmpty()) {
      cursor = cursorParam.length() > 64 ? null : RowsCursor.decode(cursorParam);
      if (cursor == null || cursor.check() != check || (visit != 0 && cursor.visit() != visit)) {
        return Responses.error(400, "invalid cursor: use the nextCursor of a previous page of these rows");
      }
    }
    VisitIndex index = visits.get(sessionId);
    if (index == null) {
      ExecutionData data = folds.fold(sessionId); // fills the cache
      if (data == null) {
        return Responses.error(404, "unknown session: " + sessionId);
      }
      index = VisitIndex.of(data);
    }
    List<VisitIndex.Window> windows = index.windows(phase);
    if (windows.isEmpty()) {
      return Responses.error(404, "phase " + phase + " did not run in session " + sessionId);
    }
    if (visit > windows.size()) {
      String times = windows.size() == 1 ? " time" : " times";
      return Responses.error(404, "phase " + phase + " ran " + windows.size() + times + " in session " + sessionId
          + "; there is no visit " + visit);
    }
    if (visit != 0) {
      windows = List.of(windows.get(visit - 1));
    }
    if (cursor != null && cursor.visit() > windows.get(windows.size() - 1).visit()) {
      return Responses.error(400, "invalid cursor: use the nextCursor of a previous page of these rows");
    }
    Page page = new Page(sessionId, limit, check);
    for (VisitIndex.Window w : windows) {
      if (cursor != null && w.visit() < cursor.visit()) {
        continue;
      }
      page.read(w, cursor != null && w.visit() == cursor.visit() ? cursor : null);
      if (page.full) {
        break;
      }
    }
    return Responses.json(200, page.json(phase, visit));
  }

  /** Thrown by a page's sink to end a read it needs no more of. */
  private static final class Enough extends RuntimeException {
    private static final long serialVersionUID = 1L;

    Enough() {
      super(null, null, false, false);
    }
  }

  /** The rows of one page as they are read, window after window. */
  private final class Page {
    private final String sessionId;
    private final int limit;
    private final int check;
    private final ArrayNode rows = JsonNodeFactory.instance.arrayNode();
    private final WarningCounter warnings = new WarningCounter(options.maxWarningSamples());
    private int count;
    private long contentCodePoints;
    private RowsCursor last;
    /** Whether the page has all it may hold and at least one more of the phase's rows follows. */
    boolean full;

    Page(String sessionId, int limit, int check) {
      this.sessionId = sessionId;
      this.limit = limit;
      this.check = check;
    }

    void read(VisitIndex.Window w, RowsCursor after) {
      VisitRows placement = new VisitRows(w, options.vocabulary());
      SessionQuery q = SessionQuery.of(sessionId);
      if (Double.isFinite(w.start())) {
        q = q.from(w.start());
      }
      if (Double.isFinite(w.end())) {
        q = q.until(Math.nextUp(w.end())); // the rows of the next entry's first instant: see VisitRows
      }
      RowSink sink = new RowSink() {
        private boolean passed = after == null;
        private double instant = Double.NaN;
        private final Set<Long> keys = new HashSet<>();

        @Override public void accept(LogRow row) {
          VisitRows.Place place = placement.place(row);
          if (place == VisitRows.Place.AFTER) {
            throw new Enough();
          }
          if (place != VisitRows.Place.OWN) {
            return;
          }
          double ts = RowsCursor.order(row.timestamp());
          long key = RowsCursor.keyOf(row);
          if (ts != instant) {
            instant = ts;
            keys.clear();
          }
          if (keys.contains(key)) {
            return; // an exact copy of a row of this instant
          }
          if (keys.size() < MAX_KEYS_PER_INSTANT) {
            keys.add(key);
          }
          if (!passed) {
            if (after.isAt(row)) {
              passed = true;
              return;
            }
            if (!(ts > after.timestamp())) {
              return; // at or before the cursor
            }
            passed = true; // the cursor's row is gone: go on after its instant
          }
          RowContent content = RowContent.of(row.contentJson(), READ_BOUND, CONTENT_LIMIT);
          int size = content.text() == null ? 0 : content.text().codePointCount(0, content.text().length());
          if (count == limit || (count > 0 && contentCodePoints + size > PAGE_CONTENT_BUDGET)) {
            full = true;
            throw new Enough();
          }
          rows.add(rowJson(row, w.visit(), placement, content));
          count++;
          contentCodePoints += size;
          last = RowsCursor.after(row, w.visit(), check);
        }

        @Override public void warning(String kind, String detail) {
          warnings.add(kind, detail, 1);
        }
      };
      try {
        source.read(q.withContent(READ_BOUND), sink);
      } catch (Enough e) {
        // the page has what it needs from this window
      }
    }

    ObjectNode json(String phase, int visit) {
      ObjectNode body = JsonNodeFactory.instance.objectNode();
      body.put("sessionId", sessionId);
      body.put("phase", phase);
      if (visit == 0) {
        body.putNull("visit");
      } else {
        body.put("visit", visit);
      }
      body.set("rows", rows);
      body.put("nextCursor", full ? last.encode() : null);
      body.put("contentLimit", CONTENT_LIMIT);
      body.set("warnings", Responses.tree(warnings.toWarnings()));
      return body;
    }
  }

  private static ObjectNode rowJson(LogRow row, int visit, VisitRows placement, RowContent content) {
    ObjectNode r = JsonNodeFactory.instance.objectNode();
    double ts = row.timestamp();
    if (Double.isFinite(ts)) {
      r.put("timestamp", ts);
    } else {
      r.putNull("timestamp");
    }
    r.put("visit", visit);
    r.put("nodeType", row.nodeType());
    r.put("role", row.role());
    r.put("kind", placement.kind().name().toLowerCase(Locale.ROOT));
    r.put("traceId", row.traceId());
    r.put("parentId", row.parentId());
    r.put("model", row.model());
    putNumber(r, "cost", row.cost());
    putCount(r, "tokensIn", row.tokensIn());
    putCount(r, "tokensOut", row.tokensOut());
    putIndex(r, "soundingIndex", row.soundingIndex());
    putIndex(r, "reforgeStep", row.reforgeStep());
    putIndex(r, "turnNumber", row.turnNumber());
    r.put("content", content.text());
    r.put("contentTruncated", content.truncated());
    if (content.length() == null) {
      r.putNull("contentLength");
    } else {
      r.put("contentLength", content.length());
    }
    return r;
  }

  private static void putNumber(ObjectNode r, String name, double v) {
    if (Double.isFinite(v)) {
      r.put(name, v);
    } else {
      r.putNull(name);
    }
  }

  private static void putCount(ObjectNode r, String name, long v) {
    if (v == LogRow.NO_LONG) {
      r.putNull(name);
    } else {
      r.put(name, v);
    }
  }

  private static void putIndex(ObjectNode r, String name, int v) {
    if (v == LogRow.NO_INT) {
      r.putNull(name);
    } else {
      r.put(name, v);
    }
  }
}
