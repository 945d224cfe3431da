package dev.execflow.examples.service;

import dev.execflow.model.ExecutionData;
import dev.execflow.model.PhaseExecution;
import dev.execflow.model.Status;
import dev.execflow.model.Transition;
import java.util.ArrayList;
import java.util.List;

/**
 * Where each phase visit of a session lies in time, from its fold: the executed path and the time
 * each entry started (the first from its phase's start, the others from the transitions). Visit
 * {@code k} of a phase spans from its start to the start of the entry after it on the path (for
 * the last entry: on, with no end). O(visits) of memory.
 */
final class VisitIndex {
  /**
   * One visit of a phase: its rows lie in {@code [start, end]} in time, from the row that starts
   * it up to the row that starts {@code next} at {@code end}.
   *
   * @param visit 1-based, in the order the phase's visits ran
   * @param start when its start row came; {@code -Infinity} when not known
   * @param end when the next entry on the path started; {@code +Infinity} for the last
   * @param next the phase of that next entry, null for the last
   */
  record Window(String phase, int visit, double start, double end, String next) {}

  private final String[] path;
  private final double[] starts;
  private final boolean finished;

  private VisitIndex(String[] path, double[] starts, boolean finished) {
    this.path = path;
    this.starts = starts;
    this.finished = finished;
  }

  static VisitIndex of(ExecutionData data) {
    List<String> p = data.executedPath();
    String[] path = p.toArray(new String[0]);
    double[] starts = new double[path.length];
    List<Transition> transitions = data.transitions();
    double previous = Double.NEGATIVE_INFINITY;
    for (int i = 0; i < path.length; i++) {
      Double at;
      if (i == 0) {
        PhaseExecution first = data.phases().get(path[0]);
        at = first == null ? null : first.startedAt();
      } else {
        at = i - 1 < transitions.size() ? transitions.get(i - 1).at() : null;
      }
      // a start row without a time is folded at the time before it
      starts[i] = at == null || at < previous ? previous : at;
      previous = starts[i];
    }
    Status status = data.summary().status();
    return new VisitIndex(path, starts, status == Status.COMPLETED || status == Status.ERROR);
  }

  /** Whether the session had ended (its visits no longer change). */
  boolean finished() {
    return finished;
  }

  /** Whether {@code phase} ran in the session. */
  boolean ran(String phase) {
    for (String p : path) {
      if (p.equals(phase)) {
        return true;
      }
    }
    return false;
  }

  /** The visits of {@code phase}, in order. */
  List<Window> windows(String phase) {
    List<Window> out = new ArrayList<>();
    for (int i = 0; i < path.length; i++) {
      if (path[i].equals(phase)) {
        boolean last = i + 1 == path.length;
        out.add(new Window(phase, out.size() + 1, starts[i], last ? Double.POSITIVE_INFINITY : starts[i + 1],
            last ? null : path[i + 1]));
      }
    }
    return out;
  }
}
