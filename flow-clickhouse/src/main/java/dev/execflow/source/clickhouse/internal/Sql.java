package dev.execflow.source.clickhouse.internal;

import java.nio.charset.StandardCharsets;

/**
 * The one place where values become SQL text: ClickHouse string literals and quoted identifiers.
 *
 * <p>Servers that accept query parameters get session ids as bound parameters instead (see {@link
 * Parameters}); 18.16's HTTP interface rejects {@code param_*} as an unknown setting, so for those
 * this escaper is the only line of defence and is tested with hostile input.
 */
public final class Sql {
  private static final char[] HEX = "0123456789ABCDEF".toCharArray();

  private Sql() {}

  /**
   * A single-quoted ClickHouse string literal that the server reads back as exactly the UTF-8
   * bytes of {@code value}. The literal is pure printable ASCII: quote and backslash are escaped,
   * every other byte outside 0x20..0x7E (control characters, NUL, every byte of a non-ASCII
   * character) is written as {@code \xHH}, so no transport or charset can alter it.
   *
   * @throws IllegalArgumentException when {@code value} contains an unpaired surrogate, which has
   *     no UTF-8 form (Java would silently turn it into '?', matching a different id)
   */
  public static String literal(String value) {
    requireWellFormed(value);
    byte[] bytes = value.getBytes(StandardCharsets.UTF_8);
    StringBuilder out = new StringBuilder(bytes.length + 2);
    out.append('\'');
    for (byte b : bytes) {
      int c = b & 0xFF;
      if (c == '\'' || c == '\\') {
        out.append('\\').append((char) c);
      } else if (c >= 0x20 && c < 0x7F) {
        out.append((char) c);
      } else {
        out.append("\\x").append(HEX[c >>> 4]).append(HEX[c & 0xF]);
      }
    }
    return out.append('\'').toString();
  }

  /** A back-quoted identifier (database, table or column name), whatever characters it holds. */
  public static String identifier(String name) {
    if (name == null || name.isEmpty()) {
      throw new IllegalArgumentException("empty identifier");
    }
    requireWellFormed(name);
    StringBuilder out = new StringBuilder(name.length() + 2).append('`');
    for (int i = 0; i < name.length(); i++) {
      char c = name.charAt(i);
      if (c == '`' || c == '\\') {
        out.append('\\').append(c);
      } else if (c < 0x20 || c == 0x7F) {
        out.append("\\x").append(HEX[c >>> 4]).append(HEX[c & 0xF]);
      } else {
        out.append(c);
      }
    }
    return out.append('`').toString();
  }

  /** {@code database.table}, both quoted. */
  public static String table(String database, String table) {
    return identifier(database) + "." + identifier(table);
  }

  /**
   * A Float64 literal that ClickHouse parses back to the same double ({@link Double#toString}
   * gives the shortest representation that round-trips; tested against 18.16's parser).
   */
  public static String float64(double value) {
    if (Double.isNaN(value)) {
      return "nan";
    }
    if (Double.isInfinite(value)) {
      return value > 0 ? "inf" : "-inf";
    }
    return "toFloat64(" + Double.toString(value) + ")";
  }

  /** @throws IllegalArgumentException when {@code value} has an unpaired surrogate (no UTF-8 form) */
  static void requireWellFormed(String value) {
    for (int i = 0; i < value.length(); i++) {
      char c = value.charAt(i);
      if (Character.isHighSurrogate(c)) {
        if (i + 1 < value.length() && Character.isLowSurrogate(value.charAt(i + 1))) {
          i++;
          continue;
        }
        throw new IllegalArgumentException("unpaired surrogate at index " + i);
      }
      if (Character.isLowSurrogate(c)) {
        throw new IllegalArgumentException("unpaired surrogate at index " + i);
      }
    }
  }
}
