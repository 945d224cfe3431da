package dev.execflow.assemble;

import dev.execflow.spi.LogRow;

/**
 * What a session says about itself: its id and cascade (from the earliest row that names them,
 * a cascade start row first), its first and last timestamps, its terminal row, and row counts.
 */
final class SessionFacts {
  private String sessionId;
  private double sessionIdTs = Double.NaN;
  private String startCascadeId;
  private double startCascadeTs = Double.NaN;
  private String anyCascadeId;
  private double anyCascadeTs = Double.NaN;
  double firstTs = Double.NaN;
  double lastTs = Double.NaN;
  double terminalTs = Double.NaN;
  Lifecycle terminal = Lifecycle.NONE;
  String terminalError;
  long rows;
  long duplicates;

  /** Counts a row (not a duplicate) and keeps what it says about the session. */
  void observe(LogRow row, RowKind kind, double ts) {
    rows++;
    if (!Double.isNaN(ts)) {
      firstTs = Extremes.min(firstTs, ts);
      lastTs = Extremes.max(lastTs, ts);
    }
    String sid = row.sessionId();
    if (sid != null && (sessionId == null || ts < sessionIdTs)) {
      sessionId = sid;
      sessionIdTs = ts;
    }
    String cascade = row.cascadeId();
    if (cascade != null && !cascade.isEmpty()) {
      if (anyCascadeId == null || ts < anyCascadeTs) {
        anyCascadeId = cascade;
        anyCascadeTs = ts;
      }
      if (kind == RowKind.SESSION_START && (startCascadeId == null || ts < startCascadeTs)) {
        startCascadeId = cascade;
        startCascadeTs = ts;
      }
    }
  }

  /** Rows a source folded itself (see PartialFold): counted as if observed one by one. */
  void absorbRows(String sid, long n, double first, double last) {
    rows += n;
    firstTs = Extremes.min(firstTs, first);
    lastTs = Extremes.max(lastTs, last);
    if (sid != null && (sessionId == null || first < sessionIdTs)) {
      sessionId = sid;
      sessionIdTs = first;
    }
  }

  /** A row naming {@code cascade} at {@code ts} that a source folded itself (not a cascade start row). */
  void cascadeSeen(String cascade, double ts) {
    if (anyCascadeId == null || ts < anyCascadeTs) {
      anyCascadeId = cascade;
      anyCascadeTs = ts;
    }
  }

  /** Whether a terminal row at {@code ts} would decide how the session ended (the latest does). */
  boolean decidesTerminal(double ts) {
    return PhaseAccumulator.newer(ts, terminalTs);
  }

  /** A terminal row: the latest one decides how the session ended. */
  void terminal(Lifecycle end, double ts, String error) {
    if (PhaseAccumulator.newer(ts, terminalTs)) {
      terminalTs = ts;
      terminal = end;
      terminalError = error;
    }
  }

  String sessionId() {
    return sessionId;
  }

  String cascadeId() {
    return startCascadeId != null ? startCascadeId : anyCascadeId;
  }

  SessionFacts copy() {
    SessionFacts c = new SessionFacts();
    c.absorb(this);
    return c;
  }

  void absorb(SessionFacts b) {
    if (b.sessionId != null && (sessionId == null || b.sessionIdTs < sessionIdTs)) {
      sessionId = b.sessionId;
      sessionIdTs = b.sessionIdTs;
    }
    if (b.startCascadeId != null && (startCascadeId == null || b.startCascadeTs < startCascadeTs)) {
      startCascadeId = b.startCascadeId;
      startCascadeTs = b.startCascadeTs;
    }
    if (b.anyCascadeId != null && (anyCascadeId == null || b.anyCascadeTs < anyCascadeTs)) {
      anyCascadeId = b.anyCascadeId;
      anyCascadeTs = b.anyCascadeTs;
    }
    firstTs = Extremes.min(firstTs, b.firstTs);
    lastTs = Extremes.max(lastTs, b.lastTs);
    if (b.terminal != Lifecycle.NONE) {
      terminal(b.terminal, b.terminalTs, b.terminalError);
    }
    rows += b.rows;
    duplicates += b.duplicates;
  }
}
