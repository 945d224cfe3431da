package dev.execflow.source.jsonl;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.JsonToken;
import dev.execflow.spi.Column;
import dev.execflow.spi.ColumnMapping;
import dev.execflow.spi.ContentCut;
import dev.execflow.spi.LogRow;
import dev.execflow.spi.MutableLogRow;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * Parses one JSONEachRow line into a {@link MutableLogRow} with Jackson's streaming parser,
 * normalising the wire forms ClickHouse and other writers use: integers as {@code 1.0} or {@code
 * "222"}, flags as {@code true}/{@code 1}/{@code "1"}, timestamps as epoch seconds or {@code
 * DateTime64} text, content and metadata as JSON strings or embedded JSON. Thread-safe; the only
 * per-line allocations are Jackson's parser and the strings it creates.
 */
final class RowParser {
  private enum Kind { TEXT, JSON, INT, LONG, DOUBLE, FLAG, TIMESTAMP }

  /*
   * Every distinct field name a parser sees stays in its factory's symbol table (a file with a
   * unique unknown key per line took gigabytes and 20x the time). Lines reach this parser
   * projected to the known fields (LineProjector), so its table holds those few names only.
   * Canonicalization itself stays on: without it Jackson parses bytes through a slower char-based
   * parser that also loses the byte offsets embedded JSON is cut out by. Interning is off.
   */
  private final JsonFactory factory = JsonFactory.builder()
      .disable(JsonFactory.Feature.INTERN_FIELD_NAMES)
      .build();
  /** Physical column name -> logical column. */
  private final Map<String, Column> columns = new HashMap<>();
  private final int contentLimit;

  RowParser(List<ColumnMapping> mappings, int contentLimit) {
    this.contentLimit = contentLimit;
    for (ColumnMapping mapping : mappings) {
      for (Map.Entry<String, Column> e : invert(mapping).entrySet()) {
        columns.putIfAbsent(e.getKey(), e.getValue());
      }
    }
  }

  private static Map<String, Column> invert(ColumnMapping mapping) {
    Map<String, Column> byName = new HashMap<>();
    mapping.names().forEach((column, name) -> {
      if (name != null) {
        byName.put(name, column);
      }
    });
    return byName;
  }

  /** A line that is not a row; the message says why, for a warning. */
  static final class BadLine extends Exception {
    private static final long serialVersionUID = 1L;

    BadLine(String message) {
      super(message, null, false, false);
    }
  }

  /** Clears {@code row} and fills it from {@code buf[off, off + len)}. */
  void parse(byte[] buf, int off, int len, MutableLogRow row) throws BadLine {
    row.clear();
    try (JsonParser p = factory.createParser(buf, off, len)) {
      if (p.nextToken() != JsonToken.START_OBJECT) {
        throw new BadLine("not a JSON object");
      }
      String field;
      while ((field = p.nextFieldName()) != null) {
        JsonToken value = p.nextToken();
        Column column = columns.get(field);
        if (column == null) {
          p.skipChildren();
          continue;
        }
        if (value == JsonToken.VALUE_NULL) {
          continue;
        }
        set(p, value, column, buf, off, row);
      }
      if (p.currentToken() != JsonToken.END_OBJECT) {
        throw new BadLine("not a JSON object");
      }
      if (p.nextToken() != null) {
        throw new BadLine("text after the JSON object");
      }
    } catch (JsonProcessingException e) {
      String where = e.getLocation() == null ? "" : " (at column " + e.getLocation().getColumnNr() + ")";
      throw new BadLine(e.getOriginalMessage() + where);
    } catch (IOException e) {
      // a byte-array parser does no I/O; anything here is malformed input
      throw new BadLine(String.valueOf(e.getMessage()));
    }
  }

  private static Kind kind(Column column) {
    switch (column) {
      case TIMESTAMP:
        return Kind.TIMESTAMP;
      case CONTENT_JSON:
      case METADATA_JSON:
        return Kind.JSON;
      case DEPTH:
      case SOUNDING_INDEX:
      case WINNING_SOUNDING_INDEX:
      case REFORGE_STEP:
      case ATTEMPT_NUMBER:
      case TURN_NUMBER:
        return Kind.INT;
      case TOKENS_IN:
      case TOKENS_OUT:
        return Kind.LONG;
      case COST:
      case DURATION_MS:
        return Kind.DOUBLE;
      case IS_WINNER:
        return Kind.FLAG;
      default:
        return Kind.TEXT;
    }
  }

  private void set(JsonParser p, JsonToken value, Column column, byte[] buf, int off,
      MutableLogRow row) throws IOException, BadLine {
    switch (kind(column)) {
      case TEXT:
        if (!value.isScalarValue()) {
          throw wrongType(p, column, "a string");
        }
        row.text(column, p.getText());
        break;
      case JSON:
        String json = json(p, value, buf, off);
        row.text(column, column == Column.CONTENT_JSON ? ContentCut.closeCutString(json, contentLimit) : json);
        break;
      case INT:
        long i = integer(p, value, column);
        if (i == LogRow.NO_LONG) {
          break;
        }
        if (i < Integer.MIN_VALUE + 1L || i > Integer.MAX_VALUE) {
          throw new BadLine(name(column) + ": " + i + " is out of range");
        }
        row.integer(column, (int) i);
        break;
      case LONG:
        long l = integer(p, value, column);
        if (column == Column.TOKENS_IN) {
          row.tokensIn(l);
        } else {
          row.tokensOut(l);
        }
        break;
      case DOUBLE:
        double d = decimal(p, value, column);
        if (column == Column.COST) {
          row.cost(d);
        } else {
          row.durationMs(d);
        }
        break;
      case FLAG:
        row.isWinner(flag(p, value, column));
        break;
      case TIMESTAMP:
        row.timestamp(timestamp(p, value));
        break;
      default:
        throw new IllegalStateException(column.name());
    }
  }

  private static String name(Column column) {
    return column.name().toLowerCase(Locale.ROOT);
  }

  private static BadLine wrongType(JsonParser p, Column column, String expected) throws IOException {
    JsonToken t = p.currentToken();
    String got = t == JsonToken.START_OBJECT ? "an object"
        : t == JsonToken.START_ARRAY ? "an array"
        : t == JsonToken.VALUE_STRING ? "\"" + p.getText() + "\""
        : p.getText();
    return new BadLine(name(column) + ": expected " + expected + ", got " + got);
  }

  /** A JSON string is the JSON text itself; an embedded object or array is kept as its raw text. */
  private static String json(JsonParser p, JsonToken value, byte[] buf, int off) throws IOException {
    if (value == JsonToken.START_OBJECT || value == JsonToken.START_ARRAY) {
      // byte offsets of a parser over buf[off, ...) are relative to off
      long from = p.currentTokenLocation().getByteOffset();
      p.skipChildren();
      long to = p.currentLocation().getByteOffset();
      return new String(buf, off + (int) from, (int) (to - from), StandardCharsets.UTF_8);
    }
    return p.getText();
  }

  /** An integer from {@code 3}, {@code 3.0}, {@code "3"} or {@code "3.0"}; NO_LONG for {@code ""}. */
  private static long integer(JsonParser p, JsonToken value, Column column) throws IOException, BadLine {
    switch (value) {
      case VALUE_NUMBER_INT:
        if (p.getNumberType() == JsonParser.NumberType.BIG_INTEGER) {
          throw new BadLine(name(column) + ": " + p.getText() + " is out of range");
        }
        return p.getLongValue();
      case VALUE_NUMBER_FLOAT:
        return integral(p.getDoubleValue(), p, column);
      case VALUE_STRING:
        char[] chars = p.getTextCharacters();
        int from = p.getTextOffset();
        int len = p.getTextLength();
        if (len == 0) {
          return LogRow.NO_LONG;
        }
        long parsed = parseLong(chars, from, len);
        if (parsed != LogRow.NO_LONG) {
          return parsed;
        }
        try {
          return integral(Double.parseDouble(p.getText()), p, column);
        } catch (NumberFormatException e) {
          throw new BadLine(name(column) + ": expected an integer, got \"" + p.getText() + "\"");
        }
      default:
        throw wrongType(p, column, "an integer");
    }
  }

  private static long integral(double d, JsonParser p, Column column) throws IOException, BadLine {
    if (d != Math.rint(d) || Math.abs(d) >= 0x1p63) {
      throw new BadLine(name(column) + ": expected an integer, got " + p.getText());
    }
    return (long) d;
  }

  /** Plain decimal digits with an optional sign, without allocating; NO_LONG if not that form. */
  private static long parseLong(char[] c, int from, int len) {
    int i = from;
    int to = from + len;
    boolean negative = false;
    if (c[i] == '-' || c[i] == '+') {
      negative = c[i] == '-';
      i++;
    }
    if (i == to || to - i > 18) {
      return LogRow.NO_LONG;
    }
    long v = 0;
    for (; i < to; i++) {
      int digit = c[i] - '0';
      if (digit < 0 || digit > 9) {
        return LogRow.NO_LONG;
      }
      v = v * 10 + digit;
    }
    return negative ? -v : v;
  }

  private static double decimal(JsonParser p, JsonToken value, Column column) throws IOException, BadLine {
    switch (value) {
      case VALUE_NUMBER_INT:
      case VALUE_NUMBER_FLOAT:
        return p.getDoubleValue();
      case VALUE_STRING:
        String text = p.getText().trim();
        if (text.isEmpty() || text.equalsIgnoreCase("nan")) {
          return Double.NaN;
        }
        try {
          return Double.parseDouble(text);
        } catch (NumberFormatException e) {
          throw new BadLine(name(column) + ": expected a number, got \"" + text + "\"");
        }
      default:
        throw wrongType(p, column, "a number");
    }
  }

  private static Boolean flag(JsonParser p, JsonToken value, Column column) throws IOException, BadLine {
    switch (value) {
      case VALUE_TRUE:
        return Boolean.TRUE;
      case VALUE_FALSE:
        return Boolean.FALSE;
      case VALUE_NUMBER_INT:
      case VALUE_NUMBER_FLOAT:
      case VALUE_STRING:
        String text = p.getText().trim();
        switch (text.toLowerCase(Locale.ROOT)) {
          case "1": case "1.0": case "true":
            return Boolean.TRUE;
          case "0": case "0.0": case "false":
            return Boolean.FALSE;
          case "":
            return null;
          default:
            throw new BadLine(name(column) + ": expected true/false/0/1, got " + text);
        }
      default:
        throw wrongType(p, column, "true/false/0/1");
    }
  }

  /** Epoch seconds from a number, a numeric string, or DateTime64/ISO-8601 text (UTC unless zoned). */
  private static double timestamp(JsonParser p, JsonToken value) throws IOException, BadLine {
    switch (value) {
      case VALUE_NUMBER_INT:
      case VALUE_NUMBER_FLOAT:
        return p.getDoubleValue();
      case VALUE_STRING:
        char[] c = p.getTextCharacters();
        int from = p.getTextOffset();
        int len = p.getTextLength();
        if (len >= 10 && c[from + 4] == '-') {
          double t = parseDateTime(c, from, len);
          if (!Double.isNaN(t)) {
            return t;
          }
        } else if (len > 0) {
          try {
            return Double.parseDouble(p.getText());
          } catch (NumberFormatException e) {
            // reported below
          }
        }
        throw new BadLine("timestamp: expected epoch seconds or a date-time, got \"" + p.getText() + "\"");
      default:
        throw wrongType(p, Column.TIMESTAMP, "a number or a date-time string");
    }
  }

  /**
   * Parses {@code yyyy-MM-dd[( |T)HH:mm[:ss[.fraction]]][Z|±HH[:]mm]} without allocating; UTC
   * unless an offset is given (ClickHouse writes DateTime64 in the server's zone, UTC assumed).
   *
   * @return epoch seconds, or NaN when the text is not of that form
   */
  static double parseDateTime(char[] c, int from, int len) {
    int end = from + len;
    int i = from;
    int year = digits(c, i, 4, end);
    if (year < 0 || c[i + 4] != '-') {
      return Double.NaN;
    }
    i += 5;
    int month = digits(c, i, 2, end);
    if (month < 1 || month > 12 || i + 2 >= end || c[i + 2] != '-') {
      return Double.NaN;
    }
    i += 3;
    int day = digits(c, i, 2, end);
    if (day < 1 || day > daysInMonth(year, month)) {
      return Double.NaN;
    }
    i += 2;
    int hour = 0;
    int minute = 0;
    int second = 0;
    long nanos = 0;
    if (i < end && (c[i] == ' ' || c[i] == 'T' || c[i] == 't')) {
      i++;
      hour = digits(c, i, 2, end);
      if (hour < 0 || hour > 23 || i + 2 >= end || c[i + 2] != ':') {
        return Double.NaN;
      }
      i += 3;
      minute = digits(c, i, 2, end);
      if (minute < 0 || minute > 59) {
        return Double.NaN;
      }
      i += 2;
      if (i < end && c[i] == ':') {
        i++;
        second = digits(c, i, 2, end);
        if (second < 0 || second > 60) {
          return Double.NaN;
        }
        i += 2;
        if (i < end && (c[i] == '.' || c[i] == ',')) {
          i++;
          int start = i;
          long scale = 100_000_000L;
          while (i < end && c[i] >= '0' && c[i] <= '9') {
            nanos += (c[i] - '0') * scale;
            scale /= 10;
            i++;
          }
          if (i == start) {
            return Double.NaN;
          }
        }
      }
    }
    int offsetSeconds = 0;
    if (i < end && (c[i] == 'Z' || c[i] == 'z')) {
      i++;
    } else if (i < end && (c[i] == '+' || c[i] == '-')) {
      int sign = c[i] == '-' ? -1 : 1;
      i++;
      int oh = digits(c, i, 2, end);
      i += 2;
      if (i < end && c[i] == ':') {
        i++;
      }
      int om = i < end ? digits(c, i, 2, end) : 0;
      if (i < end) {
        i += 2;
      }
      if (oh < 0 || oh > 18 || om < 0 || om > 59) {
        return Double.NaN;
      }
      offsetSeconds = sign * (oh * 3600 + om * 60);
    }
    if (i != end) {
      return Double.NaN;
    }
    long epochSeconds = epochDay(year, month, day) * 86_400L + hour * 3600L + minute * 60L + second
        - offsetSeconds;
    return epochSeconds + nanos / 1e9;
  }

  /** The value of {@code n} decimal digits at {@code c[i]}, or -1. */
  private static int digits(char[] c, int i, int n, int end) {
    if (i + n > end) {
      return -1;
    }
    int v = 0;
    for (int k = i; k < i + n; k++) {
      int d = c[k] - '0';
      if (d < 0 || d > 9) {
        return -1;
      }
      v = v * 10 + d;
    }
    return v;
  }

  private static int daysInMonth(int year, int month) {
    switch (month) {
      case 2:
        boolean leap = (year % 4 == 0 && year % 100 != 0) || year % 400 == 0;
        return leap ? 29 : 28;
      case 4: case 6: case 9: case 11:
        return 30;
      default:
        return 31;
    }
  }

  /** Days since 1970-01-01 of a proleptic Gregorian date (H. Hinnant's days_from_civil). */
  private static long epochDay(int year, int month, int day) {
    long y = month <= 2 ? year - 1 : year;
    long era = Math.floorDiv(y, 400);
    long yoe = y - era * 400;
    long doy = (153L * (month + (month > 2 ? -3 : 9)) + 2) / 5 + day - 1;
    long doe = yoe * 365 + yoe / 4 - yoe / 100 + doy;
    return era * 146_097 + doe - 719_468;
  }
}
