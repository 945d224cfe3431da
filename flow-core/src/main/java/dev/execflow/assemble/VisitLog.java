package dev.execflow.assemble;

import dev.execflow.spi.WarningCounter;
import dev.execflow.spi.WarningKind;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * The executed path: one {@link Visit} per run of a phase, from its start row to its complete row
 * or the next phase's start, in order; and the visit running now.
 */
final class VisitLog {
  static final byte DECLARED = 1;
  static final byte STARTED = 2;

  final List<Visit> visits = new ArrayList<>();
  Visit current;
  /** Phase index -> earliest complete row seen while this part had no visit of that phase. */
  private final Map<Integer, Double> pendingCloses = new HashMap<>();

  /** One run of a phase. {@code kinds} holds the start rows seen (declared, started). */
  static final class Visit {
    int phase;
    final double startTs;
    double closeTs = Double.NaN;
    byte kinds;
    double secondStartTs = Double.NaN;
    byte secondKind;

    Visit(int phase, double startTs, byte kinds) {
      this.phase = phase;
      this.startTs = startTs;
      this.kinds = kinds;
    }

    Visit copy() {
      Visit v = new Visit(phase, startTs, kinds);
      v.closeTs = closeTs;
      v.secondStartTs = secondStartTs;
      v.secondKind = secondKind;
      return v;
    }

    /** The start rows of this visit's first part (without a second start's kind). */
    byte firstKind() {
      return Double.isNaN(secondStartTs) ? kinds : (byte) (kinds & ~secondKind);
    }

    /** A complete row: the earliest one closes the visit. */
    void closeAt(double ts) {
      closeTs = Extremes.min(closeTs, ts);
    }
  }

  /** The phase running now, or {@link PhaseTable#NONE}. */
  int currentPhase() {
    return current != null ? current.phase : PhaseTable.NONE;
  }

  /**
   * A start row ({@code bit}: declared or started): the same visit if it is the open visit's other
   * kind of start row, else a new visit (a loop, or a start after complete).
   */
  void start(int phase, byte bit, double ts, AssemblyOptions options, WarningCounter warnings) {
    Visit c = current;
    if (c != null && c.phase == phase && Double.isNaN(c.closeTs) && (c.kinds & bit) == 0) {
      if (c.kinds != 0 && Double.isNaN(c.secondStartTs)) {
        c.secondStartTs = ts;
        c.secondKind = bit;
      }
      c.kinds |= bit;
      return;
    }
    Visit v = new Visit(phase, ts, bit);
    add(v, options, warnings);
    current = v;
  }

  private void add(Visit v, AssemblyOptions options, WarningCounter warnings) {
    if (visits.size() < options.maxVisits()) {
      visits.add(v);
    } else {
      warnings.add(WarningKind.VISIT_LIMIT, "more than " + options.maxVisits() + " phase visits; the path is cut");
    }
  }

  /** A complete row of {@code phase}: closes its latest visit (the first complete row wins). */
  void close(int phase, double ts) {
    if (current != null && current.phase == phase) {
      if (Double.isNaN(current.closeTs)) {
        current.closeTs = ts;
      }
      return;
    }
    Visit v = latestOf(phase);
    if (v != null) {
      if (Double.isNaN(v.closeTs)) {
        v.closeTs = ts;
      }
      return;
    }
    pendingCloses.putIfAbsent(phase, ts);
  }

  private Visit latestOf(int phase) {
    for (int i = visits.size() - 1; i >= 0; i--) {
      if (visits.get(i).phase == phase) {
        return visits.get(i);
      }
    }
    return null;
  }

  VisitLog copy() {
    VisitLog c = new VisitLog();
    for (Visit v : visits) {
      Visit copy = v.copy();
      c.visits.add(copy);
      if (v == current) {
        c.current = copy;
      }
    }
    if (current != null && c.current == null) {
      c.current = current.copy();
    }
    c.pendingCloses.putAll(pendingCloses);
    return c;
  }

  /**
   * Merge step 5: a later part's closes of our visits, its first visit continuing our open last
   * one, then the rest of its visits.
   */
  void absorb(VisitLog b, List<PhaseTable.Group> bGroups, int[] phaseMap, int[] groupMap,
      AssemblyOptions options, WarningCounter warnings) {
    for (Map.Entry<Integer, Double> e : b.pendingCloses.entrySet()) {
      closeFromLater(phaseMap[e.getKey()], e.getValue());
    }
    for (int i = 0; i < groupMap.length; i++) {
      double close = bGroups.get(i).acc.closeTs;
      if (!Double.isNaN(close) && groupMap[i] >= 0 && bGroups.get(i).fallback < 0) {
        closeFromLater(groupMap[i], close); // came before B's first phase start
      }
    }
    Visit bCurrentMapped = null;
    for (int i = 0; i < b.visits.size(); i++) {
      Visit bv = b.visits.get(i);
      Visit v = bv.copy();
      v.phase = phaseMap[bv.phase];
      if (i == 0 && continues(v)) {
        continueWith(bv, v, options, warnings);
      } else {
        add(v, options, warnings);
        current = v;
      }
      if (bv == b.current) {
        bCurrentMapped = current;
      }
    }
    if (b.current != null && bCurrentMapped == null) {
      // B's current visit did not fit in its list: keep following it.
      Visit v = b.current.copy();
      v.phase = phaseMap[b.current.phase];
      current = v;
    }
    for (int i = 0; i < groupMap.length; i++) {
      double close = bGroups.get(i).acc.closeTs;
      if (!Double.isNaN(close) && groupMap[i] >= 0 && bGroups.get(i).fallback >= 0) {
        closeLatestStartedBy(groupMap[i], close);
      }
    }
  }

  /** B's first visit {@code bv} (mapped: {@code v}) is the rest of our open last visit. */
  private void continueWith(Visit bv, Visit v, AssemblyOptions options, WarningCounter warnings) {
    Visit last = current;
    byte firstBit = bv.firstKind();
    if (last.kinds != 0 && Double.isNaN(last.secondStartTs)) {
      last.secondStartTs = bv.startTs; // B's first start row is our visit's second one
      last.secondKind = firstBit;
    }
    last.kinds |= firstBit;
    if (!Double.isNaN(bv.secondStartTs) && (last.kinds & bv.secondKind) != 0) {
      Visit split = new Visit(v.phase, bv.secondStartTs, bv.secondKind);
      split.closeTs = bv.closeTs;
      add(split, options, warnings);
      current = split;
    } else {
      last.kinds |= bv.kinds;
      last.closeTs = bv.closeTs;
      if (Double.isNaN(last.secondStartTs) && !Double.isNaN(bv.secondStartTs)) {
        last.secondStartTs = bv.secondStartTs;
        last.secondKind = bv.secondKind;
      }
    }
  }

  /** Whether a later part's first visit is the same visit as our open last one. */
  private boolean continues(Visit first) {
    Visit last = current;
    return last != null && last.phase == first.phase && Double.isNaN(last.closeTs)
        && (last.kinds & first.firstKind()) == 0;
  }

  private void closeLatestStartedBy(int phase, double ts) {
    for (int i = visits.size() - 1; i >= 0; i--) {
      Visit v = visits.get(i);
      if (v.phase == phase && !(v.startTs > ts)) {
        v.closeAt(ts);
        return;
      }
    }
  }

  private void closeFromLater(int phase, double ts) {
    if (current != null && current.phase == phase) {
      current.closeAt(ts);
      return;
    }
    Visit v = latestOf(phase);
    if (v != null) {
      v.closeAt(ts);
      return;
    }
    pendingCloses.putIfAbsent(phase, ts);
  }
}
