package dev.execflow.assemble;

import dev.execflow.spi.LogRow;

/**
 * A validating single pass over a small JSON text that remembers where chosen top-level fields
 * of an object are, without building a tree: metadata is read on many rows, and a Jackson tree per
 * row would cost more than the rest of the fold. Reused per assembler (not thread-safe).
 *
 * <p>{@link #scan} returns false for text that is not one JSON value, exactly as a strict parser
 * would; only then do callers count the row's metadata as malformed.
 */
final class FlatJson {
  private static final int MAX_DEPTH = 64;

  private String text;
  private int pos;
  private String[] wanted = new String[0];
  private final int[] start = new int[16];
  private final int[] end = new int[16];

  /**
   * Scans {@code json}. Afterwards {@link #has}, {@link #intValue}, {@link #boolValue} and {@link
   * #stringValue} answer for the {@code fields} (at most 16) of a top-level object.
   *
   * @return whether {@code json} is exactly one valid JSON value (surrounding whitespace allowed)
   */
  boolean scan(String json, String... fields) {
    this.text = json;
    this.wanted = fields;
    for (int i = 0; i < fields.length; i++) {
      start[i] = -1;
    }
    pos = 0;
    try {
      skipWs();
      if (!value(0, true)) {
        return false;
      }
      skipWs();
      return pos == text.length();
    } catch (IndexOutOfBoundsException e) {
      return false; // ran off the end: truncated text
    }
  }

  boolean has(int field) {
    return start[field] >= 0 && !isNull(field);
  }

  private boolean isNull(int field) {
    return text.startsWith("null", start[field]);
  }

  /** An integer given as a number (also 2.0) or a numeric string; else {@link LogRow#NO_INT}. */
  int intValue(int field) {
    if (!has(field)) {
      return LogRow.NO_INT;
    }
    int s = start[field];
    int e = end[field];
    if (text.charAt(s) == '"') {
      s++;
      e--;
    }
    long v = 0;
    boolean negative = false;
    int i = s;
    if (i < e && text.charAt(i) == '-') {
      negative = true;
      i++;
    }
    if (i >= e) {
      return LogRow.NO_INT;
    }
    int digits = 0;
    for (; i < e; i++) {
      char c = text.charAt(i);
      if (c >= '0' && c <= '9') {
        v = v * 10 + (c - '0');
        if (++digits > 10) {
          return LogRow.NO_INT;
        }
      } else if (c == '.') {
        for (i++; i < e; i++) { // a fraction of zeros only: 2.0
          if (text.charAt(i) != '0') {
            return LogRow.NO_INT;
          }
        }
        break;
      } else {
        return LogRow.NO_INT;
      }
    }
    v = negative ? -v : v;
    return v < Integer.MIN_VALUE + 1 || v > Integer.MAX_VALUE ? LogRow.NO_INT : (int) v;
  }

  /** true/false, 1/0, or their spellings as strings ("true", "1", "yes", "pass" ...); else null. */
  Boolean boolValue(int field) {
    if (!has(field)) {
      return null;
    }
    int s = start[field];
    int e = end[field];
    char c = text.charAt(s);
    if (c == 't') {
      return Boolean.TRUE;
    }
    if (c == 'f') {
      return Boolean.FALSE;
    }
    if (c == '"') {
      return RowJson.boolWord(text.substring(s + 1, e - 1));
    }
    if (c == '-' || (c >= '0' && c <= '9')) {
      for (int i = s; i < e; i++) {
        char d = text.charAt(i);
        if (d >= '1' && d <= '9') {
          return Boolean.TRUE;
        }
      }
      return Boolean.FALSE;
    }
    return null;
  }

  /** A string field unescaped, a number or boolean as written, an object or array as JSON text. */
  String stringValue(int field) {
    if (!has(field)) {
      return null;
    }
    int s = start[field];
    int e = end[field];
    if (text.charAt(s) != '"') {
      return text.substring(s, e);
    }
    if (text.indexOf('\\', s + 1) < 0 || text.indexOf('\\', s + 1) >= e - 1) {
      return text.substring(s + 1, e - 1);
    }
    StringBuilder b = new StringBuilder(e - s);
    for (int i = s + 1; i < e - 1; i++) {
      char c = text.charAt(i);
      if (c != '\\') {
        b.append(c);
        continue;
      }
      char x = text.charAt(++i);
      switch (x) {
        case 'n': b.append('\n'); break;
        case 't': b.append('\t'); break;
        case 'r': b.append('\r'); break;
        case 'b': b.append('\b'); break;
        case 'f': b.append('\f'); break;
        case 'u':
          b.append((char) Integer.parseInt(text, i + 1, i + 5, 16));
          i += 4;
          break;
        default: b.append(x);
      }
    }
    return b.toString();
  }

  // ------------------------------------------------------------------ the validating pass

  private boolean value(int depth, boolean top) {
    if (depth > MAX_DEPTH) {
      return false;
    }
    char c = text.charAt(pos);
    switch (c) {
      case '{': return object(depth, top);
      case '[': return array(depth);
      case '"': return string();
      case 't': return literal("true");
      case 'f': return literal("false");
      case 'n': return literal("null");
      default: return number();
    }
  }

  private boolean object(int depth, boolean top) {
    pos++;
    skipWs();
    if (text.charAt(pos) == '}') {
      pos++;
      return true;
    }
    while (true) {
      if (text.charAt(pos) != '"') {
        return false;
      }
      int keyStart = pos + 1;
      if (!string()) {
        return false;
      }
      int keyEnd = pos - 1;
      skipWs();
      if (text.charAt(pos) != ':') {
        return false;
      }
      pos++;
      skipWs();
      int valueStart = pos;
      if (!value(depth + 1, false)) {
        return false;
      }
      if (top) {
        remember(keyStart, keyEnd, valueStart, pos);
      }
      skipWs();
      char c = text.charAt(pos++);
      if (c == '}') {
        return true;
      }
      if (c != ',') {
        return false;
      }
      skipWs();
    }
  }

  private void remember(int keyStart, int keyEnd, int valueStart, int valueEnd) {
    int length = keyEnd - keyStart;
    for (int i = 0; i < wanted.length; i++) {
      String w = wanted[i];
      if (w.length() == length && text.regionMatches(keyStart, w, 0, length)) {
        start[i] = valueStart; // a repeated key: the last one wins, as in Jackson's tree
        end[i] = valueEnd;
      }
    }
  }

  private boolean array(int depth) {
    pos++;
    skipWs();
    if (text.charAt(pos) == ']') {
      pos++;
      return true;
    }
    while (true) {
      if (!value(depth + 1, false)) {
        return false;
      }
      skipWs();
      char c = text.charAt(pos++);
      if (c == ']') {
        return true;
      }
      if (c != ',') {
        return false;
      }
      skipWs();
    }
  }

  private boolean string() {
    pos++;
    while (true) {
      char c = text.charAt(pos++);
      if (c == '"') {
        return true;
      }
      if (c < 0x20) {
        return false;
      }
      if (c == '\\') {
        char x = text.charAt(pos++);
        if (x == 'u') {
          for (int i = 0; i < 4; i++) {
            if (Character.digit(text.charAt(pos++), 16) < 0) {
              return false;
            }
          }
        } else if ("\"\\/bfnrt".indexOf(x) < 0) {
          return false;
        }
      }
    }
  }

  private boolean literal(String word) {
    if (!text.startsWith(word, pos)) {
      return false;
    }
    pos += word.length();
    return true;
  }

  private boolean number() {
    int s = pos;
    if (pos < text.length() && text.charAt(pos) == '-') {
      pos++;
    }
    int digits = digits();
    if (digits == 0 || (digits > 1 && text.charAt(pos - digits) == '0')) {
      return false;
    }
    if (pos < text.length() && text.charAt(pos) == '.') {
      pos++;
      if (digits() == 0) {
        return false;
      }
    }
    if (pos < text.length() && (text.charAt(pos) == 'e' || text.charAt(pos) == 'E')) {
      pos++;
      if (pos < text.length() && (text.charAt(pos) == '+' || text.charAt(pos) == '-')) {
        pos++;
      }
      if (digits() == 0) {
        return false;
      }
    }
    return pos > s;
  }

  private int digits() {
    int n = 0;
    while (pos < text.length() && text.charAt(pos) >= '0' && text.charAt(pos) <= '9') {
      pos++;
      n++;
    }
    return n;
  }

  private void skipWs() {
    while (pos < text.length()) {
      char c = text.charAt(pos);
      if (c != ' ' && c != '\t' && c != '\n' && c != '\r') {
        return;
      }
      pos++;
    }
  }
}
