package dev.execflow.follow;

import dev.execflow.spi.LogRow;
import dev.execflow.spi.LogSourceException;
import dev.execflow.spi.MutableLogRow;
import dev.execflow.spi.SessionCursor;
import dev.execflow.spi.SessionTail;
import dev.execflow.spi.TailSink;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.List;

/**
 * A tail a test feeds by hand: each poll delivers the next batch queued with {@link #batch} (or
 * fails, when queued with {@link #failNext}). Whether it may deliver late rows is the test's choice.
 */
final class ListTail implements SessionTail {
  private final Deque<Object> batches = new ArrayDeque<>();
  private final boolean late;
  private SessionCursor cursor = SessionCursor.START;
  int polls;

  ListTail(boolean late) {
    this.late = late;
  }

  ListTail batch(List<? extends LogRow> rows) {
    List<LogRow> copy = new ArrayList<>();
    rows.forEach(r -> copy.add(new MutableLogRow().copyFrom(r)));
    batches.add(copy);
    return this;
  }

  ListTail batch(LogRow... rows) {
    return batch(List.of(rows));
  }

  /** The next poll sees the file truncated: a restart, then these rows. */
  ListTail restartWith(List<? extends LogRow> rows) {
    batches.add("restart");
    return batch(rows);
  }

  ListTail failNext() {
    batches.add(new LogSourceException(LogSourceException.Reason.UNAVAILABLE, "the store is down"));
    return this;
  }

  @Override
  @SuppressWarnings("unchecked")
  public long poll(TailSink sink) {
    polls++;
    Object next = batches.poll();
    if (next instanceof LogSourceException e) {
      throw e;
    }
    if ("restart".equals(next)) {
      sink.restart("truncated");
      sink.warning("follow_restarted", "truncated");
      next = batches.poll();
    }
    if (next == null) {
      return 0;
    }
    List<LogRow> rows = (List<LogRow>) next;
    rows.forEach(row -> {
      cursor = cursor.advancedTo(row);
      sink.accept(row);
    });
    return rows.size();
  }

  @Override
  public SessionCursor cursor() {
    return cursor;
  }

  @Override
  public boolean deliversLateRows() {
    return late;
  }
}
