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

  public RowDecoder(String sessionId) {
    this.sessionId = sessionId;
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
    r.contentJson(reader.readValue(i++));
    r.metadataJson(reader.readValue(i));
    return null;
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
