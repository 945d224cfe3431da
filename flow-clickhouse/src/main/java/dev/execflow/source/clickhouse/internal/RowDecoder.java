package dev.execflow.source.clickhouse.internal;

import dev.execflow.spi.Column;
import dev.execflow.spi.LogRow;
import dev.execflow.spi.MutableLogRow;
import java.io.IOException;

/**
 * Decodes one row of {@link WireSchema#WIRE} from a {@link RowBinaryInput} into one reused {@link
 * MutableLogRow}: values are read in wire order straight into the row's fields, nulls map to the
 * row's null markers, nothing is boxed.
 */
public final class RowDecoder {
  /** String columns in wire order whose repeated values are shared (see RowBinaryInput). */
  private static final int SLOTS = 9;
  /** The slot of the session id, on the wire of a several-session read. */
  private static final int SESSION_SLOT = 8;

  private final MutableLogRow row = new MutableLogRow();
  private final String sessionId;
  private final int contentLimit;
  private final long[] ints = new long[7];
  private final boolean[] intNull = new boolean[7];

  /**
   * @param sessionId the session every row belongs to, or null when the session id comes first on
   *     the wire ({@link WireSchema#WIRE_WITH_SESSION})
   * @param contentLimit the bound the SELECT cut content to, in code points: content that long
   *     may have been cut
   */
  public RowDecoder(String sessionId, int contentLimit) {
    this.sessionId = sessionId;
    this.contentLimit = contentLimit;
  }

  /** How many string columns share repeated values (the size to give the RowBinaryInput). */
  public static int cacheSlots() {
    return SLOTS;
  }

  /** The decoded row (valid until the next {@link #decode}). */
  public LogRow row() {
    return row;
  }

  /**
   * Reads the next row (the caller checked that the stream has one). The whole row is consumed
   * even when it is not valid, so the stream stays aligned.
   *
   * @return null, or why the row is not valid (it must then be reported and skipped)
   * @throws IOException when the stream breaks or is not RowBinary of the wire schema
   */
  public String decode(RowBinaryInput in) throws IOException {
    MutableLogRow r = row;
    r.sessionId(sessionId != null ? sessionId : in.string(SESSION_SLOT));
    r.timestamp(in.float64());
    long bad = in.uint32();
    r.traceId(in.nullableString(0));
    r.parentId(in.nullableString(1));
    r.messageId(in.nullableString(-1));
    r.nodeType(in.nullableString(2));
    r.role(in.nullableString(3));
    r.phaseName(in.nullableString(4));
    r.cascadeId(in.nullableString(5));
    r.model(in.nullableString(6));
    for (int k = 0; k < 7; k++) {
      intNull[k] = in.isNull();
      ints[k] = intNull[k] ? 0 : in.int64();
    }
    r.cost(in.isNull() ? Double.NaN : in.float64());
    r.tokensIn(in.isNull() ? LogRow.NO_LONG : in.int64());
    r.tokensOut(in.isNull() ? LogRow.NO_LONG : in.int64());
    r.durationMs(in.isNull() ? Double.NaN : in.float64());
    r.contentJson(closeCutString(in.nullableString(-1), contentLimit));
    r.metadataJson(in.nullableString(7));
    if (bad != 0) {
      return describeBad(bad);
    }
    StringBuilder outOfRange = null;
    for (int k = 0; k < 6; k++) {
      if (!intNull[k] && (ints[k] <= Integer.MIN_VALUE || ints[k] > Integer.MAX_VALUE)) {
        outOfRange = outOfRange == null ? new StringBuilder("column ") : outOfRange.append(", ");
        outOfRange.append(WireSchema.wireName(WireSchema.READ[8 + k])).append(" = ").append(ints[k]);
      }
    }
    if (outOfRange != null) {
      return outOfRange.append(" is out of range").toString();
    }
    r.depth(integer(0)).soundingIndex(integer(1)).winningSoundingIndex(integer(2)).reforgeStep(integer(3))
        .attemptNumber(integer(4)).turnNumber(integer(5));
    r.isWinner(intNull[6] ? null : ints[6] != 0L);
    return null;
  }

  private int integer(int k) {
    return intNull[k] ? LogRow.NO_INT : (int) ints[k];
  }

  /** See {@link dev.execflow.spi.ContentCut#closeCutString}: every source closes a cut string alike. */
  static String closeCutString(String content, int limit) {
    return dev.execflow.spi.ContentCut.closeCutString(content, limit);
  }

  private static String describeBad(long bits) {
    StringBuilder names = new StringBuilder();
    for (int i = 0; i < WireSchema.READ.length; i++) {
      if ((bits & (1L << i)) != 0) {
        names.append(names.length() == 0 ? "" : ", ").append(name(WireSchema.READ[i]));
      }
    }
    return "column " + names + " holds a value that is not a " + "valid number for it";
  }

  private static String name(Column column) {
    return WireSchema.wireName(column);
  }
}
