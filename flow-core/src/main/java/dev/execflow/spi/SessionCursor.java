package dev.execflow.spi;

import java.nio.charset.StandardCharsets;
import java.util.Base64;
import java.util.Objects;

/**
 * A position in one session's rows, for reading only what came after it (live follow). Rows are
 * ordered by timestamp, then by a tie-breaker, the {@linkplain #rowKey(LogRow) row key}: the
 * message id where the table has one, else the row's trace id, node type and role with a
 * fingerprint of its other columns. So rows with equal timestamps have a stable order too and a
 * cursor between two of them neither skips nor repeats either.
 *
 * <pre>{@code
 * SessionTail tail = source.tail("sess-42", SessionCursor.START, SessionTail.DEFAULT_LOOK_BACK);
 * tail.poll(assembler);                       // the rows so far
 * String saved = tail.cursor().encode();      // keep it, e.g. across a restart
 * SessionTail resumed = source.tail("sess-42", SessionCursor.decode(saved), SessionTail.DEFAULT_LOOK_BACK);
 * }</pre>
 *
 * <p>A cursor alone cannot tell which rows became visible late (a ClickHouse async insert, a
 * replica, a buffering writer): a {@link SessionTail} re-reads a look-back window behind it and
 * drops the rows it already delivered.
 *
 * @param timestamp epoch seconds of the last row read; {@code -Infinity} before the first row
 * @param rowKey that row's {@link #rowKey(LogRow) key}; empty before the first row
 */
public record SessionCursor(double timestamp, String rowKey) implements Comparable<SessionCursor> {
  /** Before every row. */
  public static final SessionCursor START = new SessionCursor(Double.NEGATIVE_INFINITY, "");

  private static final String VERSION = "c1";

  public SessionCursor {
    Objects.requireNonNull(rowKey, "rowKey");
    if (Double.isNaN(timestamp)) {
      throw new IllegalArgumentException("a cursor's timestamp cannot be NaN");
    }
  }

  /** The cursor just after {@code row}. */
  public static SessionCursor at(LogRow row) {
    return new SessionCursor(orderTimestamp(row.timestamp()), rowKey(row));
  }

  /**
   * The tie-breaker of rows with equal timestamps: {@code m:} and the message id when the row has
   * one, else {@code r:} with the trace id, node type, role and a 64-bit fingerprint of every other
   * column, so that two different rows get different keys and a row read twice gets the same.
   */
  public static String rowKey(LogRow row) {
    String messageId = row.messageId();
    if (messageId != null) {
      return "m:" + messageId;
    }
    return "r:" + nullable(row.traceId()) + '\u001f' + nullable(row.nodeType()) + '\u001f'
        + nullable(row.role()) + '\u001f' + Long.toHexString(fingerprint(row));
  }

  /** Whether {@code row} comes after this cursor in (timestamp, row key) order. */
  public boolean precedes(LogRow row) {
    double ts = orderTimestamp(row.timestamp());
    if (ts != timestamp) {
      return ts > timestamp;
    }
    return rowKey(row).compareTo(rowKey) > 0;
  }

  /** The later of this cursor and the position just after {@code row}. */
  public SessionCursor advancedTo(LogRow row) {
    return precedes(row) ? at(row) : this;
  }

  @Override
  public int compareTo(SessionCursor other) {
    int byTime = Double.compare(timestamp, other.timestamp);
    return byTime != 0 ? byTime : rowKey.compareTo(other.rowKey);
  }

  /** A URL-safe text form (e.g. for an HTTP header or a file); {@link #decode} reads it back. */
  public String encode() {
    String plain = VERSION + "\n" + Long.toHexString(Double.doubleToLongBits(timestamp)) + "\n" + rowKey;
    return Base64.getUrlEncoder().withoutPadding().encodeToString(plain.getBytes(StandardCharsets.UTF_8));
  }

  /**
   * The cursor {@link #encode} wrote.
   *
   * @throws LogSourceException with reason {@link LogSourceException.Reason#BAD_INPUT} for text
   *     that is not a cursor
   */
  public static SessionCursor decode(String text) {
    try {
      String plain = new String(Base64.getUrlDecoder().decode(text), StandardCharsets.UTF_8);
      String[] parts = plain.split("\n", 3);
      if (parts.length == 3 && parts[0].equals(VERSION)) {
        double ts = Double.longBitsToDouble(Long.parseUnsignedLong(parts[1], 16));
        if (!Double.isNaN(ts)) {
          return new SessionCursor(ts, parts[2]);
        }
      }
    } catch (IllegalArgumentException e) {
      // reported below
    }
    throw new LogSourceException(LogSourceException.Reason.BAD_INPUT, "not a session cursor: " + text);
  }

  /** Rows without a usable timestamp sort first (the fold places them at the previous row's time). */
  static double orderTimestamp(double ts) {
    return Double.isNaN(ts) ? Double.NEGATIVE_INFINITY : ts;
  }

  private static String nullable(String s) {
    return s == null ? "" : s;
  }

  /** FNV-1a over every column the key does not name, with a separator so that shifts differ. */
  static long fingerprint(LogRow row) {
    long h = 0xcbf29ce484222325L;
    h = mix(h, row.sessionId());
    h = mix(h, row.parentId());
    h = mix(h, row.phaseName());
    h = mix(h, row.cascadeId());
    h = mix(h, row.model());
    h = mix(h, row.depth());
    h = mix(h, row.soundingIndex());
    h = mix(h, row.winningSoundingIndex());
    h = mix(h, row.reforgeStep());
    h = mix(h, row.attemptNumber());
    h = mix(h, row.turnNumber());
    Boolean winner = row.isWinner();
    h = mix(h, winner == null ? 2 : winner ? 1 : 0);
    h = mix(h, Double.doubleToLongBits(row.cost()));
    h = mix(h, row.tokensIn());
    h = mix(h, row.tokensOut());
    h = mix(h, Double.doubleToLongBits(row.durationMs()));
    h = mix(h, row.contentJson());
    h = mix(h, row.metadataJson());
    return h;
  }

  private static final long PRIME = 0x100000001b3L;

  private static long mix(long h, String s) {
    if (s == null) {
      return (h ^ 0xFF) * PRIME;
    }
    for (int i = 0; i < s.length(); i++) {
      h = (h ^ s.charAt(i)) * PRIME;
    }
    return (h ^ 0xFE) * PRIME;
  }

  private static long mix(long h, long v) {
    for (int i = 0; i < 8; i++) {
      h = (h ^ (v & 0xFF)) * PRIME;
      v >>>= 8;
    }
    return h;
  }
}
