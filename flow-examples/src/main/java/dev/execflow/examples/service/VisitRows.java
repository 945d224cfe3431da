package dev.execflow.examples.service;

import dev.execflow.assemble.RowKind;
import dev.execflow.assemble.Vocabulary;
import dev.execflow.spi.LogRow;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * Which rows of a visit's time window are the visit's own, decided row by row as the fold places
 * them, within the window (the rows from its start, in the order every source delivers them):
 *
 * <ul>
 *   <li>the window opens at the row that starts the visit (a start row naming the phase at the
 *       visit's start time) and closes at the row that starts the next entry on the path; rows
 *       around them at the same instant belong to the neighbouring visits, except those naming
 *       the phase (for a loop of the phase onto itself: its next visit's);
 *   <li>a row naming a phase belongs to that phase (a start row without a name: the phase its
 *       content names, as the fold reads it); session rows (start, end) to no phase;
 *   <li>a row naming none follows its {@code parent_id} to the phase of the parent's row, a {@code
 *       cost_update} its {@code trace_id} to the call it prices; a parent the window has not seen
 *       (or a session row) leaves the row in the running phase, this one, as the fold does; a
 *       {@code cost_update} for a call the window has not seen prices a call made before the visit
 *       (the fold puts it on that call's phase), so it is not this visit's row.
 * </ul>
 *
 * <p>What the window cannot know is what came before it: a phase-less row whose parent ran before
 * the window and in another phase is taken for this visit's (the fold would follow the parent).
 * The trace map is bounded ({@value #MAX_TRACES} traces, the oldest forgotten first). Not
 * thread-safe: one per read.
 */
final class VisitRows {
  static final int MAX_TRACES = 65_536;

  /** What a row is to the visit. */
  enum Place { BEFORE, OWN, OTHER, AFTER }

  /** Placed in no phase: a session row's trace. */
  private static final String NO_PHASE = "\u0000";
  /** Seen before the window opened, in no phase it names: what descends from it is not the visit's. */
  private static final String EARLIER = "\u0001";

  /** Where a trace went, and whether a row naming a phase put it there (which outranks inference). */
  private record Placed(String phase, boolean named) {}

  private final VisitIndex.Window window;
  private final Vocabulary vocabulary;
  private final Map<String, Placed> traces = new LinkedHashMap<>(64, 0.75f, false) {
    @Override
    protected boolean removeEldestEntry(Map.Entry<String, Placed> eldest) {
      return size() > MAX_TRACES;
    }
  };
  private boolean open;
  private boolean closed;
  private RowKind kind;

  VisitRows(VisitIndex.Window window, Vocabulary vocabulary) {
    this.window = window;
    this.vocabulary = vocabulary;
  }

  /** The kind of the row {@link #place} saw last. */
  RowKind kind() {
    return kind;
  }

  /**
   * Where {@code row} (the next row of the window's read) belongs. After the next entry's start
   * row, only rows of that same instant that name this phase (when the next entry is another
   * phase) are still its own ({@code OWN}); a later row is {@code AFTER}: the read may stop.
   */
  Place place(LogRow row) {
    double ts = row.timestamp();
    kind = vocabulary.classify(row.nodeType(), row.role());
    if (closed) {
      // rows of the closing instant that name this phase are its own, unless it is what starts next
      boolean own = window.phase().equals(named(row)) && !window.phase().equals(window.next());
      return ts > window.end() ? Place.AFTER : own ? Place.OWN : Place.OTHER;
    }
    String started = startedPhase(row, kind);
    if (!open) {
      // its start row; or the first row after its start time, when that row is missing
      open = (started != null && started.equals(window.phase())) || ts > window.start();
      if (ts > window.end()) {
        closed = true; // a window without rows
        return Place.AFTER;
      }
    } else if (ts > window.end() || (ts >= window.end() && started != null && started.equals(window.next()))) {
      closed = true;
      return ts > window.end() ? Place.AFTER : Place.OTHER;
    }
    // before the window opens, the phase running is the one before it
    String phase = phaseOf(row, started, open ? window.phase() : EARLIER);
    remember(row.traceId(), phase, started != null || named(row) != null);
    return window.phase().equals(phase) ? Place.OWN : open ? Place.OTHER : Place.BEFORE;
  }

  /** The phase the row belongs to ({@link #NO_PHASE}, {@link #EARLIER}: none of the window's). */
  private String phaseOf(LogRow row, String started, String running) {
    if (kind.scope() == RowKind.Scope.SESSION) {
      return NO_PHASE;
    }
    if (started != null) {
      return started;
    }
    String name = named(row);
    if (name != null) {
      return name;
    }
    if (kind == RowKind.COST_UPDATE && row.traceId() != null) {
      Placed call = traces.get(row.traceId());
      return call == null ? EARLIER : call.phase().equals(NO_PHASE) ? running : call.phase();
    }
    Placed parent = row.parentId() == null ? null : traces.get(row.parentId());
    return parent == null || parent.phase().equals(NO_PHASE) ? running : parent.phase();
  }

  /** A trace's first placement stands, unless a row naming its phase places an inferred one anew. */
  private void remember(String trace, String phase, boolean named) {
    if (trace == null) {
      return;
    }
    Placed known = traces.get(trace);
    if (known == null || (named && !known.named())) {
      traces.put(trace, new Placed(phase, named));
    }
  }

  private static String named(LogRow row) {
    String name = row.phaseName();
    return name == null || name.isBlank() ? null : name;
  }

  /** The phase a start row starts: its phase name, or the short text its content is. */
  private static String startedPhase(LogRow row, RowKind kind) {
    if (kind != RowKind.PHASE_START && kind != RowKind.PHASE_DECLARED) {
      return null;
    }
    String name = named(row);
    if (name != null) {
      return name;
    }
    String text = RowContent.text(row.contentJson());
    return text == null || text.isBlank() || text.length() > 200 || text.indexOf('\n') >= 0 ? null : text;
  }
}
