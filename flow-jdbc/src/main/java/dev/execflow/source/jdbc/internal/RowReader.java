package dev.execflow.source.jdbc.internal;

import dev.execflow.source.jdbc.internal.SqlColumn.Kind;
import dev.execflow.spi.Column;
import dev.execflow.spi.LogRow;
import dev.execflow.spi.MutableLogRow;
import java.math.BigInteger;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Instant;
import java.util.List;
import java.util.Locale;
import java.util.regex.Pattern;

/**
 * Reads the current row of a session's {@code ResultSet} into one reused {@link MutableLogRow},
 * normalising the wire forms as every source must: integers stored as floats ({@code 1.0}) or
 * text ({@code "1"}), flags as booleans, integers or text, timestamps as numbers, date-times or
 * text. A value that is none of these (an integer column holding {@code "abc"} or {@code 1.5}) is
 * never read as null or 0: {@link #read} says what is wrong, and the caller reports and skips the
 * row. Typed columns are read with the primitive getters (no boxing); SQLite's dynamically typed
 * values, and text, through {@code getObject}.
 */
public final class RowReader {
  /**
   * One logical column in the result: where it is and how to read it.
   *
   * @param fallback read only when the row has no value for {@code column} from an earlier slot
   *     (the other schema's name for it); slots of the same column come after the primary one
   */
  public record Slot(Column column, int index, SqlColumn source, boolean typed, boolean fallback) {}

  private enum Target { TEXT, INT32, INT64, FLAG, FLOAT }

  private static final Pattern NUMBER = Pattern.compile("[+-]?(\\d+\\.?\\d*|\\.\\d+)([eE][+-]?\\d+)?");

  private final MutableLogRow row = new MutableLogRow();
  private final Slot timestamp;
  private final Slot[] slots;
  private final Target[] targets;
  private final String sessionId;

  // the value just read by readInteger / readFloat, and whether it was null
  private long longValue;
  private double doubleValue;
  private boolean isNull;
  private String problem;

  /**
   * @param timestamp the timestamp's slot (its values are seconds already when the SQL converted
   *     a date-time with the dialect's expression: then its source kind is FLOAT)
   * @param slots the other read columns, in any order
   * @param sessionId the id every row gets (rows are selected by it)
   */
  public RowReader(Slot timestamp, List<Slot> slots, String sessionId) {
    this.timestamp = timestamp;
    this.slots = slots.toArray(new Slot[0]);
    this.targets = new Target[this.slots.length];
    for (int i = 0; i < this.slots.length; i++) {
      targets[i] = target(this.slots[i].column());
    }
    this.sessionId = sessionId;
  }

  private static Target target(Column column) {
    switch (column) {
      case DEPTH:
      case SOUNDING_INDEX:
      case WINNING_SOUNDING_INDEX:
      case REFORGE_STEP:
      case ATTEMPT_NUMBER:
      case TURN_NUMBER:
        return Target.INT32;
      case TOKENS_IN:
      case TOKENS_OUT:
        return Target.INT64;
      case IS_WINNER:
        return Target.FLAG;
      case COST:
      case DURATION_MS:
      case TIMESTAMP:
        return Target.FLOAT;
      default:
        return Target.TEXT;
    }
  }

  /** Whether a column of {@code kind} can be read as the logical {@code column} at all. */
  public static boolean readable(Column column, Kind kind) {
    if (column == Column.TIMESTAMP) {
      return kind != Kind.BOOLEAN && kind != Kind.OTHER;
    }
    Target t = target(column);
    if (t == Target.TEXT) {
      return true;
    }
    return kind == Kind.INTEGER || kind == Kind.FLOAT || kind == Kind.BOOLEAN || kind == Kind.TEXT
        || kind == Kind.JSON;
  }

  /** The row read last (valid until the next {@link #read}). */
  public LogRow row() {
    return row;
  }

  /**
   * Reads the result's current row.
   *
   * @return null, or why the row is not valid (the caller reports it and skips the row)
   */
  public String read(ResultSet rs) throws SQLException {
    MutableLogRow r = row.clear();
    problem = null;
    r.sessionId(sessionId);
    r.timestamp(readTimestamp(rs));
    for (int i = 0; i < slots.length; i++) {
      Slot s = slots[i];
      if (s.fallback() && r.value(s.column()) != null) {
        continue;
      }
      switch (targets[i]) {
        case TEXT:
          r.text(s.column(), readText(rs, s));
          break;
        case INT32:
          readInteger(rs, s);
          if (!isNull && (longValue <= Integer.MIN_VALUE || longValue > Integer.MAX_VALUE)) {
            fail(s, Long.toString(longValue), "is out of range");
            isNull = true;
          }
          r.integer(s.column(), isNull ? LogRow.NO_INT : (int) longValue);
          break;
        case INT64:
          readInteger(rs, s);
          if (!isNull && longValue == LogRow.NO_LONG) {
            fail(s, Long.toString(longValue), "is out of range");
            isNull = true;
          }
          if (s.column() == Column.TOKENS_IN) {
            r.tokensIn(isNull ? LogRow.NO_LONG : longValue);
          } else {
            r.tokensOut(isNull ? LogRow.NO_LONG : longValue);
          }
          break;
        case FLAG:
          r.isWinner(readFlag(rs, s));
          break;
        default:
          readFloat(rs, s);
          double v = isNull ? Double.NaN : doubleValue;
          if (s.column() == Column.COST) {
            r.cost(v);
          } else {
            r.durationMs(v);
          }
      }
    }
    return problem;
  }

  private void fail(Slot s, String value, String why) {
    String shown = value.length() > 40 ? value.substring(0, 40) + "..." : value;
    String text = "column " + s.source().name() + " holds " + shown + ", which " + why;
    problem = problem == null ? text : problem + "; " + text;
  }

  private static String readText(ResultSet rs, Slot s) throws SQLException {
    String v = rs.getString(s.index());
    if (v != null && s.source().kind() == Kind.JSON) {
      Object o = WireValues.jsonScalar(v);
      return o == null ? null : o.toString();
    }
    // a NOT NULL text column stores '' for "no value"; deliver that as null, like the other sources
    return v != null && v.isEmpty() && s.source().blankIsNull() ? null : v;
  }

  private void readInteger(ResultSet rs, Slot s) throws SQLException {
    int i = s.index();
    if (s.typed()) {
      switch (s.source().kind()) {
        case INTEGER:
          longValue = rs.getLong(i);
          isNull = rs.wasNull();
          return;
        case FLOAT:
          double d = rs.getDouble(i);
          isNull = rs.wasNull();
          if (!isNull) {
            integral(s, d, null);
          }
          return;
        case BOOLEAN:
          boolean b = rs.getBoolean(i);
          isNull = rs.wasNull();
          longValue = b ? 1 : 0;
          return;
        default:
          break;
      }
    }
    integerOf(s, object(rs, s));
  }

  /** The value as an object; a JSON column's text decoded (a string unquoted, null as null). */
  private static Object object(ResultSet rs, Slot s) throws SQLException {
    if (s.source().kind() == Kind.JSON) {
      String text = rs.getString(s.index());
      return text == null ? null : WireValues.jsonScalar(text);
    }
    return rs.getObject(s.index());
  }

  private void integerOf(Slot s, Object o) {
    isNull = false;
    if (o == null) {
      isNull = true;
    } else if (o instanceof Long || o instanceof Integer || o instanceof Short || o instanceof Byte) {
      longValue = ((Number) o).longValue();
    } else if (o instanceof BigInteger) {
      BigInteger big = (BigInteger) o;
      if (big.bitLength() > 63) {
        fail(s, big.toString(), "is out of range");
        isNull = true;
      } else {
        longValue = big.longValue();
      }
    } else if (o instanceof Number) {
      integral(s, ((Number) o).doubleValue(), o.toString());
    } else if (o instanceof Boolean) {
      longValue = ((Boolean) o) ? 1 : 0;
    } else {
      String text = o.toString().trim();
      if (text.isEmpty()) {
        isNull = true;
      } else if (!NUMBER.matcher(text).matches()) {
        fail(s, quoted(text), "is not a number");
        isNull = true;
      } else {
        try {
          longValue = Long.parseLong(text.startsWith("+") ? text.substring(1) : text);
        } catch (NumberFormatException e) {
          integral(s, Double.parseDouble(text), quoted(text));
        }
      }
    }
  }

  /** {@code d} as an integer when it is one (turn_number 1.0), else a problem. */
  private void integral(Slot s, double d, String shown) {
    if (Double.isFinite(d) && d == Math.rint(d) && Math.abs(d) < 0x1p63) {
      longValue = (long) d;
      isNull = false;
    } else {
      fail(s, shown == null ? Double.toString(d) : shown, "is not an integer");
      isNull = true;
    }
  }

  private Boolean readFlag(ResultSet rs, Slot s) throws SQLException {
    int i = s.index();
    if (s.typed() && s.source().kind() == Kind.BOOLEAN) {
      boolean b = rs.getBoolean(i);
      return rs.wasNull() ? null : b;
    }
    Object o = s.typed() && s.source().kind() == Kind.INTEGER ? (Object) rs.getLong(i) : object(rs, s);
    if (o == null || rs.wasNull()) {
      return null;
    }
    if (o instanceof Boolean) {
      return (Boolean) o;
    }
    if (o instanceof String || o instanceof Character) {
      String t = o.toString().trim().toLowerCase(Locale.ROOT);
      switch (t) {
        case "":
          return null;
        case "1":
        case "true":
          return Boolean.TRUE;
        case "0":
        case "false":
          return Boolean.FALSE;
        default:
          fail(s, quoted(o.toString()), "is not a flag (0/1/true/false)");
          return null;
      }
    }
    integerOf(s, o);
    return isNull ? null : longValue != 0;
  }

  private void readFloat(ResultSet rs, Slot s) throws SQLException {
    int i = s.index();
    if (s.typed() && s.source().numeric()) {
      doubleValue = rs.getDouble(i);
      isNull = rs.wasNull();
      return;
    }
    Object o = object(rs, s);
    isNull = false;
    if (o == null) {
      isNull = true;
    } else if (o instanceof Number) {
      doubleValue = ((Number) o).doubleValue();
    } else if (o instanceof Boolean) {
      doubleValue = ((Boolean) o) ? 1 : 0;
    } else {
      String text = o.toString().trim();
      if (text.isEmpty()) {
        isNull = true;
      } else if (NUMBER.matcher(text).matches()) {
        doubleValue = Double.parseDouble(text);
      } else {
        fail(s, quoted(text), "is not a number");
        isNull = true;
      }
    }
  }

  private double readTimestamp(ResultSet rs) throws SQLException {
    Slot s = timestamp;
    int i = s.index();
    if (s.typed() && s.source().numeric()) {
      double d = rs.getDouble(i);
      return rs.wasNull() ? Double.NaN : d;
    }
    Object o = object(rs, s);
    if (o == null) {
      return Double.NaN;
    }
    if (o instanceof Number) {
      return ((Number) o).doubleValue();
    }
    Instant instant = WireValues.instant(o);
    if (instant != null) {
      return WireValues.seconds(instant);
    }
    String text = o.toString().trim();
    if (text.isEmpty()) {
      return Double.NaN;
    }
    if (NUMBER.matcher(text).matches()) {
      return Double.parseDouble(text);
    }
    double parsed = WireValues.parseDateTime(text);
    if (Double.isNaN(parsed)) {
      fail(s, quoted(text), "is not a timestamp");
    }
    return parsed;
  }

  private static String quoted(String text) {
    return "'" + text + "'";
  }
}
