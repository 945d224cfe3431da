package dev.execflow.source.jdbc.internal;

import java.sql.Timestamp;
import java.time.Instant;
import java.time.LocalDateTime;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.time.ZonedDateTime;
import java.time.format.DateTimeFormatter;
import java.time.format.DateTimeFormatterBuilder;
import java.time.temporal.ChronoField;
import java.time.temporal.TemporalAccessor;
import java.util.Locale;

/** Conversions of the values drivers hand out (JSON text, date-time objects and text) to a row's. */
final class WireValues {
  private WireValues() {}

  /** {@code 2025-01-05 10:00:00.123456}, {@code 2025-01-05T10:00:00Z}, with or without an offset. */
  private static final DateTimeFormatter DATE_TIME = new DateTimeFormatterBuilder()
      .parseCaseInsensitive()
      .append(DateTimeFormatter.ISO_LOCAL_DATE)
      .optionalStart().appendLiteral('T').optionalEnd()
      .optionalStart().appendLiteral(' ').optionalEnd()
      .appendPattern("HH:mm:ss")
      .optionalStart().appendFraction(ChronoField.NANO_OF_SECOND, 0, 9, true).optionalEnd()
      .optionalStart().appendOffset("+HH:MM", "Z").optionalEnd()
      .optionalStart().appendOffset("+HHMM", "Z").optionalEnd()
      .toFormatter(Locale.ROOT);

  /**
   * A JSON value's text as what it stands for: a string decoded, {@code true}/{@code false} as
   * booleans, {@code null} as null, anything else (a number, an object) as its text.
   */
  static Object jsonScalar(String json) {
    String t = json.trim();
    if (t.equals("null")) {
      return null;
    }
    if (t.equals("true") || t.equals("false")) {
      return Boolean.valueOf(t);
    }
    if (t.length() >= 2 && t.charAt(0) == '"' && t.charAt(t.length() - 1) == '"') {
      String decoded = unquote(t);
      if (decoded != null) {
        return decoded;
      }
    }
    return t;
  }

  /** The contents of a JSON string literal, or null when it is not one. */
  private static String unquote(String literal) {
    StringBuilder out = new StringBuilder(literal.length());
    int end = literal.length() - 1;
    for (int i = 1; i < end; i++) {
      char c = literal.charAt(i);
      if (c == '"') {
        return null;
      }
      if (c != '\\') {
        out.append(c);
        continue;
      }
      if (++i >= end) {
        return null;
      }
      char e = literal.charAt(i);
      switch (e) {
        case '"': case '\\': case '/': out.append(e); break;
        case 'b': out.append('\b'); break;
        case 'f': out.append('\f'); break;
        case 'n': out.append('\n'); break;
        case 'r': out.append('\r'); break;
        case 't': out.append('\t'); break;
        case 'u':
          if (i + 4 >= end) {
            return null;
          }
          try {
            out.append((char) Integer.parseInt(literal.substring(i + 1, i + 5), 16));
          } catch (NumberFormatException x) {
            return null;
          }
          i += 4;
          break;
        default:
          return null;
      }
    }
    return out.toString();
  }

  /** The instant a driver's date-time object stands for, or null when {@code o} is none. */
  static Instant instant(Object o) {
    if (o instanceof Timestamp) {
      // a TIMESTAMP without zone, which the driver put in the JVM's zone: read its wall clock as UTC
      return ((Timestamp) o).toLocalDateTime().toInstant(ZoneOffset.UTC);
    } else if (o instanceof LocalDateTime) {
      return ((LocalDateTime) o).toInstant(ZoneOffset.UTC);
    } else if (o instanceof OffsetDateTime) {
      return ((OffsetDateTime) o).toInstant();
    } else if (o instanceof ZonedDateTime) {
      return ((ZonedDateTime) o).toInstant();
    } else if (o instanceof Instant) {
      return (Instant) o;
    }
    return null;
  }

  /** Epoch seconds of {@code text} (UTC unless it names an offset), NaN when it is no date-time. */
  static double parseDateTime(String text) {
    try {
      TemporalAccessor t = DATE_TIME.parse(text);
      LocalDateTime local = LocalDateTime.from(t);
      ZoneOffset offset = t.isSupported(ChronoField.OFFSET_SECONDS)
          ? ZoneOffset.ofTotalSeconds(t.get(ChronoField.OFFSET_SECONDS)) : ZoneOffset.UTC;
      return seconds(local.toInstant(offset));
    } catch (java.time.DateTimeException e) {
      return Double.NaN;
    }
  }

  /** Exact to the microsecond, one correctly rounded division: as the other sources compute it. */
  static double seconds(Instant instant) {
    long micros = Math.addExact(Math.multiplyExact(instant.getEpochSecond(), 1_000_000L),
        instant.getNano() / 1000);
    return micros / 1e6;
  }
}
