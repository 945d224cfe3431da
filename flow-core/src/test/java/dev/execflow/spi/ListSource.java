package dev.execflow.spi;

import java.util.ArrayList;
import java.util.List;

/**
 * A store that is a list in memory, read like a table ordered by time: what a test appends is
 * visible to the next read, in timestamp order (append order within a timestamp). It can report a
 * bad row as a warning and break once mid-read, as a server does.
 */
final class ListSource implements LogSource {
  final List<MutableLogRow> rows = new ArrayList<>();
  /** Rows (by index) reported as a bad value instead of delivered. */
  final List<Integer> bad = new ArrayList<>();
  int reads;
  /** Calls of {@link #readSessions} (one request for several sessions). */
  int requests;
  /** When >= 0, the next read fails after delivering this many rows. */
  int failAfter = -1;

  ListSource add(MutableLogRow row) {
    rows.add(row);
    return this;
  }

  /** One request for several sessions: the rows of each go to its own sink. */
  @Override
  public long readSessions(java.util.List<SessionQuery> queries, java.util.function.Function<String, RowSink> sinks) {
    requests++;
    long n = 0;
    for (SessionQuery q : queries) {
      n += scan(q, sinks.apply(q.sessionId()));
    }
    return n;
  }

  @Override
  public long read(SessionQuery query, RowSink sink) {
    reads++;
    return scan(query, sink);
  }

  private long scan(SessionQuery query, RowSink sink) {
    List<Integer> order = new ArrayList<>();
    for (int i = 0; i < rows.size(); i++) {
      order.add(i);
    }
    order.sort((a, b) -> Double.compare(SessionCursor.orderTimestamp(rows.get(a).timestamp()),
        SessionCursor.orderTimestamp(rows.get(b).timestamp())));
    long delivered = 0;
    int ordinal = 0;
    for (int i : order) {
      MutableLogRow row = rows.get(i);
      if (!query.sessionId().equals(row.sessionId()) || !query.covers(row.timestamp())) {
        continue;
      }
      ordinal++;
      if (failAfter >= 0 && delivered == failAfter) {
        failAfter = -1;
        throw new LogSourceException(LogSourceException.Reason.INTERRUPTED, "the list broke");
      }
      if (bad.contains(i)) {
        sink.warning(WarningKind.BAD_VALUE, query.sessionId() + " row " + ordinal + ": cost is not a number");
        continue;
      }
      delivered++;
      sink.accept(row);
    }
    return delivered;
  }
}
