package dev.execflow.source.jsonl;

import dev.execflow.spi.LogRow;
import dev.execflow.spi.MutableLogRow;
import dev.execflow.spi.RowOrder;
import dev.execflow.spi.RowSink;
import dev.execflow.spi.WarningKind;
import java.util.ArrayList;
import java.util.List;

/**
 * Rows of one timestamp, held back and delivered in {@link RowOrder}: the order of a file's rows
 * within one instant (second-resolution clocks make long runs of them) is the writer's accident,
 * and every source must deliver the same rows in the same order. Bounded: a run longer than
 * {@link #MAX} rows is delivered in parts, each sorted, and counted as a warning.
 */
final class TieRun {
  static final int MAX = 4096;

  private final RowSink sink;
  private final List<MutableLogRow> pool = new ArrayList<>();
  private final List<MutableLogRow> run = new ArrayList<>();
  private double ts = Double.NaN;
  private long delivered;
  private boolean warned;

  TieRun(RowSink sink) {
    this.sink = sink;
  }

  /** Takes a row (valid only during the call); rows of an earlier timestamp go out first. */
  void offer(LogRow row) {
    double t = row.timestamp();
    if (run.isEmpty() || Double.compare(t, ts) != 0 || Double.isNaN(t)) {
      flush();
      ts = t;
    }
    if (run.size() == MAX) {
      if (!warned) {
        warned = true;
        sink.warning(WarningKind.TIE_RUN_LIMIT, "more than " + MAX + " rows at timestamp " + t
            + ": sorted in parts of " + MAX);
      }
      flush();
      ts = t;
    }
    MutableLogRow copy = run.size() < pool.size() ? pool.get(run.size()) : newPooled();
    copy.copyFrom(row);
    run.add(copy);
  }

  private MutableLogRow newPooled() {
    MutableLogRow row = new MutableLogRow();
    pool.add(row);
    return row;
  }

  /** Delivers the held rows, sorted. */
  void flush() {
    if (run.size() > 1) {
      run.sort(RowOrder.CANONICAL); // stable: rows equal in every key keep the file's order
    }
    for (MutableLogRow row : run) {
      delivered++;
      sink.accept(row);
    }
    run.clear();
  }

  long delivered() {
    return delivered;
  }
}
