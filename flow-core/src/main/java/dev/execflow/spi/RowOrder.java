package dev.execflow.spi;

import java.util.Comparator;

/**
 * The canonical order of a session's rows, which every source follows so that the same rows arrive
 * in the same order from every source and on every read: by timestamp, and rows with equal
 * timestamps (common with second-resolution clocks) by a stable identity made of their own values,
 * never by where they happen to be stored:
 *
 * <ol>
 *   <li>{@code timestamp} (a null timestamp last; {@code -0.0} equals {@code 0.0});
 *   <li>{@code message_id}, {@code trace_id}, {@code parent_id}, {@code node_type}, {@code role},
 *       {@code phase_name}: strings by code point (the UTF-8 byte order a database compares in),
 *       nulls last;
 *   <li>{@code sounding_index}, {@code reforge_step}, {@code attempt_number}, {@code turn_number}:
 *       numerically, nulls last.
 * </ol>
 *
 * <p>Rows equal in all of these are interchangeable for the fold (they are the same kind of row of
 * the same call). The ClickHouse source sorts by the same keys in SQL ({@code ORDER BY timestamp,
 * message_id, trace_id, ...}); the JSONL source merges the files of a directory with it and
 * delivers the rows of each timestamp sorted by it (up to 4,096 rows a timestamp at once, counted as
 * {@code tie_run_limit} beyond), so the file's own order within one instant does not matter.
 *
 * <pre>{@code
 * rows.sort(RowOrder.CANONICAL);
 * }</pre>
 */
public final class RowOrder {
  /** The canonical order (see the class comment). */
  public static final Comparator<LogRow> CANONICAL = RowOrder::compare;

  private RowOrder() {}

  /** Compares timestamps first, then the tie-break keys. */
  public static int compare(LogRow a, LogRow b) {
    int c = compareTimestamps(a.timestamp(), b.timestamp());
    return c != 0 ? c : tieBreak(a, b);
  }

  /** The order of two rows with equal timestamps. */
  public static int tieBreak(LogRow a, LogRow b) {
    int c;
    if ((c = text(a.messageId(), b.messageId())) != 0
        || (c = text(a.traceId(), b.traceId())) != 0
        || (c = text(a.parentId(), b.parentId())) != 0
        || (c = text(a.nodeType(), b.nodeType())) != 0
        || (c = text(a.role(), b.role())) != 0
        || (c = text(a.phaseName(), b.phaseName())) != 0
        || (c = number(a.soundingIndex(), b.soundingIndex())) != 0
        || (c = number(a.reforgeStep(), b.reforgeStep())) != 0
        || (c = number(a.attemptNumber(), b.attemptNumber())) != 0) {
      return c;
    }
    return number(a.turnNumber(), b.turnNumber());
  }

  /** Ascending, NaN last, {@code -0.0 == 0.0}. */
  public static int compareTimestamps(double a, double b) {
    if (a < b) {
      return -1;
    }
    if (a > b) {
      return 1;
    }
    boolean nanA = Double.isNaN(a);
    boolean nanB = Double.isNaN(b);
    return nanA == nanB ? 0 : nanA ? 1 : -1;
  }

  /** By code point, null last. */
  static int text(String a, String b) {
    if (a == null || b == null) {
      return a == null ? (b == null ? 0 : 1) : -1;
    }
    int n = Math.min(a.length(), b.length());
    for (int i = 0; i < n; i++) {
      char x = a.charAt(i);
      char y = b.charAt(i);
      if (x != y) {
        // UTF-16 order differs from code point order only where a surrogate meets U+E000..U+FFFF
        if (Character.isSurrogate(x) || Character.isSurrogate(y)) {
          return Integer.compare(a.codePointAt(i), b.codePointAt(i));
        }
        return Character.compare(x, y);
      }
    }
    return Integer.compare(a.length(), b.length());
  }

  /** Ascending, {@link LogRow#NO_INT} (null) last. */
  static int number(int a, int b) {
    if (a == b) {
      return 0;
    }
    if (a == LogRow.NO_INT || b == LogRow.NO_INT) {
      return a == LogRow.NO_INT ? 1 : -1;
    }
    return Integer.compare(a, b);
  }
}
