package dev.execflow.clickhouse.internal;

import com.clickhouse.client.api.data_formats.ClickHouseBinaryFormatReader;
import dev.execflow.spi.Column;
import dev.execflow.spi.LogRow;
import dev.execflow.spi.MutableLogRow;

/**
 * Copies the current record of a reader over {@link SelectPlan#WIRE} into one reused {@link
 * MutableLogRow}: each value is taken once by index (no name lookups, no per-row maps), nulls map
 * to the row's null markers.
 */
public final class RowDecoder {
  private static final int TS = 1;
  private static final int BAD = 2;
  /** 1-based reader index of READ[0]. */
  private static final int BASE = SelectPlan.FIRST + 1;

  private final MutableLogRow row = new MutableLogRow();
  private final String sessionId;
  private final int contentLimit;

  /**
   * @param contentLimit the bound the SELECT cut content to, in code points: content that long
   *     may have been cut
   */
  public RowDecoder(String sessionId, int contentLimit) {
    this.sessionId = sessionId;
    this.contentLimit = contentLimit;
  }

  /** The decoded row (valid until the next {@link #decode}). */
  public LogRow row() {
    return row;
  }

  /**
   * Decodes the reader's current record.
   *
   * @return null, or why the record is not a valid row (it must then be reported and skipped)
   */
  public String decode(ClickHouseBinaryFormatReader reader) {
    long bad = ((Number) reader.readValue(BAD)).longValue();
    if (bad != 0) {
      return describeBad(bad);
    }
    MutableLogRow r = row;
    r.timestamp(reader.getDouble(TS));
    r.sessionId(sessionId);
    int i = BASE;
    r.traceId(reader.readValue(i++));
    r.parentId(reader.readValue(i++));
    r.messageId(reader.readValue(i++));
    r.nodeType(reader.readValue(i++));
    r.role(reader.readValue(i++));
    r.phaseName(reader.readValue(i++));
    r.cascadeId(reader.readValue(i++));
    r.model(reader.readValue(i++));
    int depth = integer(reader.readValue(i++));
    int sounding = integer(reader.readValue(i++));
    int winning = integer(reader.readValue(i++));
    int reforge = integer(reader.readValue(i++));
    int attempt = integer(reader.readValue(i++));
    int turn = integer(reader.readValue(i++));
    if (depth == OUT || sounding == OUT || winning == OUT || reforge == OUT || attempt == OUT || turn == OUT) {
      return outOfRange(reader);
    }
    r.depth(depth).soundingIndex(sounding).winningSoundingIndex(winning).reforgeStep(reforge)
        .attemptNumber(attempt).turnNumber(turn);
    Object winner = reader.readValue(i++);
    r.isWinner(winner == null ? null : ((Long) winner) != 0L);
    r.cost(decimal(reader.readValue(i++)));
    r.tokensIn(longValue(reader.readValue(i++)));
    r.tokensOut(longValue(reader.readValue(i++)));
    r.durationMs(decimal(reader.readValue(i++)));
    r.contentJson(closeCutString(reader.readValue(i++), contentLimit));
    r.metadataJson(reader.readValue(i));
    return null;
  }

  /**
   * Content cut by the server inside a JSON string (such as {@code "abc}, or one ending inside an escape) is no JSON
   * at all, and the fold would show it raw, quote and escapes included. Such a cut string is
   * closed again after its last complete character, so that it still reads as the text it starts
   * with. Anything else (an object, or a content shorter than the bound) is left as it came.
   */
  static String closeCutString(String content, int limit) {
    if (content == null || content.length() < limit || content.isEmpty() || content.charAt(0) != '"'
        || content.codePointCount(0, content.length()) < limit) {
      return content;
    }
    int i = 1;
    int n = content.length();
    while (i < n) {
      char c = content.charAt(i);
      if (c == '"') {
        return content; // a complete string (exactly at the bound, or followed by more text)
      }
      if (c == '\\') {
        int need = i + 1 < n && content.charAt(i + 1) == 'u' ? 6 : 2;
        if (i + need > n) {
          break; // an escape cut in the middle
        }
        i += need;
      } else {
        i++;
      }
    }
    // an escaped high surrogate whose low half was cut off decodes to nothing valid: drop it too
    if (i >= 7 && content.charAt(i - 6) == '\\' && content.charAt(i - 5) == 'u'
        && Character.isHighSurrogate((char) Integer.parseInt(content.substring(i - 4, i), 16))
        && !isEscaped(content, i - 6)) {
      i -= 6;
    }
    return content.substring(0, i) + '"';
  }

  /** Whether the backslash at {@code at} is itself escaped (preceded by an odd run of backslashes). */
  private static boolean isEscaped(String s, int at) {
    int run = 0;
    for (int k = at - 1; k >= 0 && s.charAt(k) == '\\'; k--) {
      run++;
    }
    return run % 2 == 1;
  }

  /** Marks an integer outside int's range (Integer.MIN_VALUE itself is the null marker). */
  private static final int OUT = Integer.MIN_VALUE + 1;

  private static int integer(Object value) {
    if (value == null) {
      return LogRow.NO_INT;
    }
    long v = (Long) value;
    return v <= Integer.MIN_VALUE + 1L || v > Integer.MAX_VALUE ? OUT : (int) v;
  }

  private static long longValue(Object value) {
    return value == null ? LogRow.NO_LONG : (Long) value;
  }

  private static double decimal(Object value) {
    return value == null ? Double.NaN : (Double) value;
  }

  private static String describeBad(long bits) {
    StringBuilder names = new StringBuilder();
    for (int i = 0; i < SelectPlan.READ.length; i++) {
      if ((bits & (1L << i)) != 0) {
        names.append(names.length() == 0 ? "" : ", ").append(name(SelectPlan.READ[i]));
      }
    }
    return "column " + names + " holds a value that is not a " + "valid number for it";
  }

  private static String outOfRange(ClickHouseBinaryFormatReader reader) {
    StringBuilder names = new StringBuilder();
    for (int k = 8; k < 14; k++) {
      if (integer(reader.readValue(BASE + k)) == OUT) {
        names.append(names.length() == 0 ? "" : ", ").append(name(SelectPlan.READ[k]))
            .append(" = ").append((Object) reader.readValue(BASE + k));
      }
    }
    return "column " + names + " is out of range";
  }

  private static String name(Column column) {
    return SelectPlan.wireName(column);
  }
}
