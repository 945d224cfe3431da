package dev.execflow.source.clickhouse.testing;

import dev.execflow.model.Status;
import dev.execflow.spi.LogRow;
import dev.execflow.spi.MutableLogRow;
import dev.execflow.spi.RowSink;
import dev.execflow.spi.SessionSummary;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/**
 * Many small sessions for listing tests and benchmarks, each with a known summary: session {@code
 * i} starts at {@code start + 10 i} seconds (so a higher index is newer), belongs to cascade {@code
 * c<i % 3>}, makes one LLM call priced {@code (i % 7) / 1000} dollars followed by a later {@code
 * cost_update} of the same call with another price (which the fold does not count: a call costs
 * its first priced row), and then completes ({@code i % 3 == 0}), fails ({@code 1}) or is still
 * running ({@code 2}, no terminal row).
 *
 * <pre>{@code
 * table.insert(server, sink -> ListingSessions.write(10_000, "ls", sink));
 * SessionSummary newest = ListingSessions.expected(9_999, "ls");
 * }</pre>
 */
public final class ListingSessions {
  /** Epoch seconds of session 0's first row. */
  public static final double START = 1_700_000_000.0;

  private ListingSessions() {}

  /** Session {@code i}'s id, e.g. {@code ls-000042}: ids sort as their indexes. */
  public static String id(String prefix, int i) {
    return String.format(Locale.ROOT, "%s-%06d", prefix, i);
  }

  /** Writes the rows of sessions {@code 0..n-1}, in session order. */
  public static void write(int n, String prefix, RowSink sink) {
    MutableLogRow row = new MutableLogRow();
    for (int i = 0; i < n; i++) {
      for (LogRow r : rows(prefix, i)) {
        sink.accept(row.clear().copyFrom(r));
      }
    }
  }

  /** Session {@code i}'s rows in time order. */
  public static List<LogRow> rows(String prefix, int i) {
    String sid = id(prefix, i);
    double t = START + 10.0 * i;
    String cascade = "c" + (i % 3);
    String trace = sid + "-call";
    List<LogRow> rows = new ArrayList<>();
    rows.add(new MutableLogRow().timestamp(t).sessionId(sid).cascadeId(cascade).nodeType("cascade_start")
        .role("system"));
    rows.add(new MutableLogRow().timestamp(t + 1).sessionId(sid).cascadeId(cascade).phaseName("p").traceId(trace)
        .nodeType("agent").role("assistant").cost(price(i)));
    rows.add(new MutableLogRow().timestamp(t + 2).sessionId(sid).cascadeId(cascade).traceId(trace)
        .nodeType("cost_update").cost(0.5));
    if (i % 3 != 2) {
      rows.add(new MutableLogRow().timestamp(t + 3).sessionId(sid).cascadeId(cascade)
          .nodeType(i % 3 == 0 ? "cascade_complete" : "cascade_error").role("system"));
    }
    return rows;
  }

  /** What a listing says of session {@code i}. */
  public static SessionSummary expected(String prefix, int i) {
    double t = START + 10.0 * i;
    boolean running = i % 3 == 2;
    return new SessionSummary(id(prefix, i), "c" + (i % 3), t, running ? t + 2 : t + 3,
        i % 3 == 0 ? Status.COMPLETED : running ? Status.RUNNING : Status.ERROR, price(i), running ? 3 : 4);
  }

  private static double price(int i) {
    return (i % 7) / 1000.0;
  }
}
