package dev.execflow.source.jsonl;

import dev.execflow.spi.Column;
import dev.execflow.spi.ColumnMapping;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * Splits JSON Lines and hands on, per line, a compact copy of its JSON object that holds only the
 * fields execflow reads, each value bounded in code points (characters, an escape counting as
 * the one it stands for): {@code content_json} to {@code contentLimit} (as every source cuts it,
 * see {@code ContentCut}), other values to {@code valueLimit}. Fields execflow does not read are skipped as the bytes go by, without being kept or
 * validated. So memory per line is bounded by those limits, not by the line, and a row with a 10
 * MB {@code content_json} costs a few KB; the whole line's bytes are never held at once.
 *
 * <p>The copy is valid JSON whenever the line is (the JSON parser that reads it afterwards reports
 * wrong types and bad values); a line whose structure is broken is reported as {@link #BAD} with
 * what was wrong. A raw newline always ends a line (JSON strings cannot hold one). A line longer
 * than {@code maxLineLength} bytes is skipped as {@link #TOO_LONG}.
 *
 * <p>While copying it also notes the raw value of {@code session_id}, so that a read can skip the
 * lines of other sessions without parsing them ({@link #sessionIs}); a number or an escaped
 * string is compared as the parser would read it.
 */
final class LineProjector {
  static final int EOF = 0;
  static final int LINE = 1;
  static final int TOO_LONG = 2;
  static final int BLANK = 3;
  static final int BAD = 4;

  private static final int CHUNK = 64 * 1024;
  private static final int KEY_LIMIT = 256;
  private static final int SCALAR_LIMIT = 256;
  private static final int SESSION_LIMIT = 1024;

  // states of the top-level object
  private static final int START = 0;
  private static final int KEY_FIRST = 1;
  private static final int KEY_NEXT = 2;
  private static final int KEY = 3;
  private static final int COLON = 4;
  private static final int VALUE = 5;
  private static final int STRING = 6;
  private static final int NESTED = 7;
  private static final int SCALAR = 8;
  private static final int AFTER_VALUE = 9;
  private static final int AFTER_OBJECT = 10;
  private static final int ERROR = 11;

  private final InputStream in;
  private final int maxLineLength;
  private final int contentLimit;
  private final int valueLimit;
  private final Map<String, Column> columns = new HashMap<>();
  private final byte[][] names;
  private final Column[] nameColumns;

  private final byte[] chunk;
  private int pos;
  private int lim;
  private boolean eof;

  private byte[] out = new byte[4096];
  private int outLen;
  private long lineNumber;
  private long lineBytes;
  private int state;
  private String problem;
  private final List<String> cuts = new ArrayList<>();
  private int fields;

  // the current key
  private final byte[] key = new byte[KEY_LIMIT];
  private int keyLen;
  private boolean keyOverflow;
  private boolean keyEscaped;
  private boolean keyEscape;
  private Column column;
  private boolean emit;
  private int keyStart;
  private int valueStart;

  // the current string value: units (a character or an escape) are decided on when complete
  private final byte[] unit = new byte[6];
  private final byte[] held = new byte[12];
  private int unitLen;
  private int unitNeed;
  private boolean escape;
  private int hex;
  private boolean pendingHigh;
  private long valueBytes;
  private long valueCodePoints;
  private boolean cut;
  private int limit;

  // the current nested value (object or array)
  private int depth;
  private boolean nestedString;
  private boolean nestedEscape;

  // the current scalar
  private int scalarLen;

  // session_id as written
  private final byte[] session = new byte[SESSION_LIMIT];
  private int sessionLen;
  private boolean sessionSeen;
  private boolean sessionString;
  private boolean sessionEscaped;
  private boolean sessionOverflow;
  private boolean capture;

  LineProjector(InputStream in, List<ColumnMapping> mappings, int maxLineLength, int contentLimit,
      int valueLimit, int chunkSize) {
    this.in = in;
    this.maxLineLength = maxLineLength;
    this.contentLimit = contentLimit;
    this.valueLimit = valueLimit;
    this.chunk = new byte[Math.max(256, Math.min(CHUNK, chunkSize))];
    for (ColumnMapping mapping : mappings) {
      mapping.names().forEach((c, name) -> {
        if (name != null) {
          columns.putIfAbsent(name, c);
        }
      });
    }
    names = new byte[columns.size()][];
    nameColumns = new Column[columns.size()];
    int i = 0;
    for (Map.Entry<String, Column> e : columns.entrySet()) {
      names[i] = e.getKey().getBytes(StandardCharsets.UTF_8);
      nameColumns[i] = e.getValue();
      i++;
    }
  }

  /**
   * Advances to the next line: {@link #LINE} (a compact object in {@link #buffer()}), {@link
   * #BLANK}, {@link #BAD} ({@link #problem()} says why), {@link #TOO_LONG} or {@link #EOF}.
   */
  int next() throws IOException {
    resetLine();
    while (true) {
      if (pos == lim) {
        if (eof || !fill()) {
          return lineBytes == 0 && state == START ? EOF : finishLine();
        }
      }
      byte b = chunk[pos++];
      if (b == '\n') {
        return finishLine();
      }
      if (++lineBytes > maxLineLength) {
        skipRestOfLine();
        lineNumber++;
        return TOO_LONG;
      }
      step(b);
    }
  }

  /** The 1-based number of the line last returned. */
  long lineNumber() {
    return lineNumber;
  }

  byte[] buffer() {
    return out;
  }

  int length() {
    return outLen;
  }

  /** Why the last {@link #BAD} line is not a row. */
  String problem() {
    return problem;
  }

  /** Fields of the last line that were cut to the bound (content excepted: that is by design). */
  List<String> cuts() {
    return cuts;
  }

  /**
   * Whether the last line's {@code session_id} is {@code id}: TRUE or FALSE when that is certain
   * from the bytes, null when only parsing can tell (an escaped or very long value).
   */
  Boolean sessionIs(byte[] id) {
    if (!sessionSeen) {
      return Boolean.FALSE;
    }
    if (sessionOverflow || (sessionString && sessionEscaped)) {
      return null;
    }
    if (!sessionString && sessionLen == 4 && session[0] == 'n' && session[1] == 'u' && session[2] == 'l'
        && session[3] == 'l') {
      return Boolean.FALSE; // a null session_id
    }
    return Arrays.equals(session, 0, sessionLen, id, 0, id.length);
  }

  private boolean fill() throws IOException {
    int n = in.read(chunk, 0, chunk.length);
    if (n < 0) {
      eof = true;
      return false;
    }
    pos = 0;
    lim = n;
    return true;
  }

  private void skipRestOfLine() throws IOException {
    while (true) {
      for (int i = pos; i < lim; i++) {
        if (chunk[i] == '\n') {
          pos = i + 1;
          return;
        }
      }
      pos = lim;
      if (eof || !fill()) {
        return;
      }
    }
  }

  private void resetLine() {
    outLen = 0;
    lineBytes = 0;
    state = START;
    problem = null;
    cuts.clear();
    fields = 0;
    sessionSeen = false;
  }

  private int finishLine() {
    lineNumber++;
    switch (state) {
      case START:
        return BLANK;
      case AFTER_OBJECT:
        return LINE;
      case ERROR:
        return BAD;
      default:
        problem = "the line ends before its JSON object does";
        return BAD;
    }
  }

  private void error(String message) {
    problem = message + " (at byte " + lineBytes + ")";
    state = ERROR;
  }

  private static boolean whitespace(byte b) {
    return b == ' ' || b == '\t' || b == '\r';
  }

  private void step(byte b) {
    switch (state) {
      case START:
        if (b == '{') {
          put(b);
          state = KEY_FIRST;
        } else if (!whitespace(b)) {
          error("not a JSON object");
        }
        break;
      case KEY_FIRST:
      case KEY_NEXT:
        if (b == '"') {
          keyLen = 0;
          keyOverflow = false;
          keyEscaped = false;
          keyEscape = false;
          state = KEY;
        } else if (b == '}' && state == KEY_FIRST) {
          closeObject();
        } else if (!whitespace(b)) {
          error(state == KEY_FIRST ? "expected a field name" : "expected a field name after ','");
        }
        break;
      case KEY:
        if (keyEscape) {
          keyEscape = false;
          keyByte(b);
        } else if (b == '\\') {
          keyEscape = true;
          keyEscaped = true;
          keyByte(b);
        } else if (b == '"') {
          endKey();
        } else {
          keyByte(b);
        }
        break;
      case COLON:
        if (b == ':') {
          state = VALUE;
        } else if (!whitespace(b)) {
          error("expected ':' after a field name");
        }
        break;
      case VALUE:
        if (b == '"') {
          beginString();
        } else if (b == '{' || b == '[') {
          beginNested(b);
        } else if (b == ',' || b == '}' || b == ']' || b == ':') {
          error("expected a value");
        } else if (!whitespace(b)) {
          beginScalar(b);
        }
        break;
      case STRING:
        stringByte(b);
        break;
      case NESTED:
        nestedByte(b);
        break;
      case SCALAR:
        if (whitespace(b) || b == ',' || b == '}' || b == ']') {
          endScalar();
          if (state == AFTER_VALUE) {
            afterValue(b);
          }
        } else {
          scalarByte(b);
        }
        break;
      case AFTER_VALUE:
        afterValue(b);
        break;
      case AFTER_OBJECT:
        if (!whitespace(b)) {
          error("text after the JSON object");
        }
        break;
      default:
        // ERROR: the rest of the line is skipped
    }
  }

  private void afterValue(byte b) {
    if (b == ',') {
      state = KEY_NEXT;
    } else if (b == '}') {
      closeObject();
    } else if (!whitespace(b)) {
      error("expected ',' or '}' after a value");
    }
  }

  private void closeObject() {
    put((byte) '}');
    state = AFTER_OBJECT;
  }

  private void keyByte(byte b) {
    if (keyLen < KEY_LIMIT) {
      key[keyLen++] = b;
    } else {
      keyOverflow = true;
    }
  }

  private void endKey() {
    column = keyOverflow ? null : keyEscaped ? byDecodedName() : byName();
    emit = column != null;
    capture = column == Column.SESSION_ID;
    if (capture) {
      sessionSeen = true;
      sessionLen = 0;
      sessionOverflow = false;
      sessionEscaped = false;
    }
    if (emit) {
      if (fields++ > 0) {
        put((byte) ',');
      }
      keyStart = outLen;
      put((byte) '"');
      put(key, 0, keyLen);
      put((byte) '"');
      put((byte) ':');
    }
    valueStart = outLen;
    state = COLON;
  }

  private Column byName() {
    for (int i = 0; i < names.length; i++) {
      if (names[i].length == keyLen && Arrays.equals(names[i], 0, keyLen, key, 0, keyLen)) {
        return nameColumns[i];
      }
    }
    return null;
  }

  /** A key written with escapes (rare): decoded the way the JSON parser will. */
  private Column byDecodedName() {
    String decoded = JsonStrings.decode(key, 0, keyLen);
    return decoded == null ? null : columns.get(decoded);
  }

  // ---- strings ----------------------------------------------------------------------------

  private void beginString() {
    if (emit) {
      put((byte) '"');
    }
    if (capture) {
      sessionString = true;
    }
    unitLen = 0;
    unitNeed = 0;
    escape = false;
    pendingHigh = false;
    valueBytes = 0;
    valueCodePoints = 0;
    cut = false;
    limit = column == Column.CONTENT_JSON ? contentLimit : valueLimit;
    state = STRING;
  }

  /**
   * One byte of a string value. Bytes are grouped into units, one code point each (a character,
   * an escape, or an escaped surrogate pair), and a unit is copied only if it fits the bound
   * whole, so a cut never splits a character or an escape.
   */
  private void stringByte(byte b) {
    if (!escape && unitLen > 0 && (b & 0xC0) != 0x80) {
      unitDone(false, false); // a multi-byte character cut short (bad UTF-8: the parser says so)
    }
    if (!escape && unitLen == 0 && b == '"') {
      endString();
      return;
    }
    if (capture) {
      sessionByte(b);
      if (b == '\\') {
        sessionEscaped = true;
      }
    }
    if (escape) {
      unit[unitLen++] = b;
      if (unitLen == 2) {
        if (b == 'u') {
          hex = 0;
        } else {
          escape = false;
          unitDone(false, false);
        }
        return;
      }
      hex = hex * 16 + Math.max(0, Character.digit(b, 16));
      if (unitLen == 6) {
        escape = false;
        unitDone(hex >= 0xD800 && hex <= 0xDBFF, hex >= 0xDC00 && hex <= 0xDFFF);
      }
      return;
    }
    unit[unitLen++] = b;
    if (unitLen == 1) {
      if (b == '\\') {
        escape = true;
        return;
      }
      int u = b & 0xFF;
      unitNeed = u >= 0xF0 ? 4 : u >= 0xE0 ? 3 : u >= 0xC0 ? 2 : 1;
    }
    if (unitLen >= unitNeed) {
      unitDone(false, false);
    }
  }

  /** The unit just read is complete; an escaped high surrogate waits for its low half. */
  private void unitDone(boolean highSurrogate, boolean lowSurrogate) {
    int len = unitLen;
    unitLen = 0;
    unitNeed = 0;
    if (pendingHigh) {
      pendingHigh = false;
      if (lowSurrogate) {
        System.arraycopy(unit, 0, held, 6, len);
        keep(held, 0, 6 + len);
        return;
      }
      keep(held, 0, 6);
    }
    if (highSurrogate) {
      System.arraycopy(unit, 0, held, 0, len);
      pendingHigh = true;
      return;
    }
    keep(unit, 0, len);
  }

  /** Copies one code point's bytes while they fit the bound; past it the value is cut. */
  private void keep(byte[] bytes, int off, int len) {
    valueBytes += len;
    valueCodePoints++;
    if (cut || !emit) {
      return;
    }
    if (valueCodePoints > limit) {
      cut = true;
      return;
    }
    put(bytes, off, len);
  }

  private void endString() {
    if (unitLen > 0) {
      unitDone(false, false);
    }
    if (pendingHigh) {
      pendingHigh = false;
      keep(held, 0, 6);
    }
    if (emit) {
      put((byte) '"');
      if (cut && column != Column.CONTENT_JSON) {
        cuts.add(name(column) + " (" + valueCodePoints + " characters, cut to " + limit + ")");
      }
    }
    state = AFTER_VALUE;
  }

  // ---- nested values ----------------------------------------------------------------------

  private void beginNested(byte b) {
    depth = 1;
    nestedString = false;
    nestedEscape = false;
    valueBytes = 1;
    valueCodePoints = 1;
    cut = false;
    limit = column == Column.CONTENT_JSON ? contentLimit : valueLimit;
    if (capture) {
      sessionOverflow = true; // not a string: the parser will say so
    }
    if (emit) {
      put(b);
    }
    state = NESTED;
  }

  private void nestedByte(byte b) {
    boolean starts = (b & 0xC0) != 0x80;
    valueBytes++;
    if (starts) {
      valueCodePoints++;
    }
    if (emit && !cut && starts && valueCodePoints > limit) {
      cut = true;
    }
    if (emit && !cut) {
      put(b);
    }
    if (nestedString) {
      if (nestedEscape) {
        nestedEscape = false;
      } else if (b == '\\') {
        nestedEscape = true;
      } else if (b == '"') {
        nestedString = false;
      }
      return;
    }
    if (b == '"') {
      nestedString = true;
    } else if (b == '{' || b == '[') {
      depth++;
    } else if (b == '}' || b == ']') {
      if (--depth == 0) {
        endNested();
      }
    }
  }

  private void endNested() {
    if (emit && cut) {
      if (column == Column.CONTENT_JSON || column == Column.METADATA_JSON) {
        // cut JSON is no JSON: it travels as a string of its raw text, as ClickHouse cuts it
        byte[] raw = Arrays.copyOfRange(out, valueStart, outLen);
        outLen = valueStart;
        put((byte) '"');
        JsonStrings.escapeInto(raw, this::put);
        put((byte) '"');
      } else {
        outLen = valueStart;
        put((byte) '{');
        put((byte) '}');
      }
      if (column != Column.CONTENT_JSON) {
        cuts.add(name(column) + " (" + valueCodePoints + " characters, cut to " + limit + ")");
      }
    }
    state = AFTER_VALUE;
  }

  // ---- scalars ----------------------------------------------------------------------------

  private void beginScalar(byte b) {
    scalarLen = 0;
    if (capture) {
      sessionString = false;
    }
    state = SCALAR;
    scalarByte(b);
  }

  private void scalarByte(byte b) {
    if (capture) {
      sessionByte(b);
    }
    if (++scalarLen > SCALAR_LIMIT && emit) {
      error(name(column) + ": a value longer than " + SCALAR_LIMIT + " characters");
      return;
    }
    if (emit) {
      put(b);
    }
  }

  private void endScalar() {
    state = AFTER_VALUE;
  }

  private void sessionByte(byte b) {
    if (sessionLen < SESSION_LIMIT) {
      session[sessionLen++] = b;
    } else {
      sessionOverflow = true;
    }
  }

  private static String name(Column c) {
    return c.name().toLowerCase(java.util.Locale.ROOT);
  }

  // ---- output -----------------------------------------------------------------------------

  private void put(byte b) {
    if (outLen == out.length) {
      out = Arrays.copyOf(out, out.length * 2);
    }
    out[outLen++] = b;
  }

  private void put(byte[] bytes, int off, int len) {
    if (outLen + len > out.length) {
      out = Arrays.copyOf(out, Math.max(out.length * 2, outLen + len));
    }
    System.arraycopy(bytes, off, out, outLen, len);
    outLen += len;
  }
}
