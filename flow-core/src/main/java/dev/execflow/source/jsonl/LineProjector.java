package dev.execflow.source.jsonl;

import dev.execflow.spi.Column;
import dev.execflow.spi.ColumnMapping;
import java.io.IOException;
import java.io.InputStream;
import java.util.ArrayList;
import java.util.List;

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
  private final FieldNames fieldNames;

  private final byte[] chunk;
  private int pos;
  private int lim;
  private boolean eof;

  private final LineBuffer out = new LineBuffer();
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
  private int valueStart;

  // the current value
  private final StringCopier strings = new StringCopier(out);
  private final NestedCopier nested = new NestedCopier(out);
  private int scalarLen;

  // session_id, noted for the prefilter
  private final SessionIdCapture session = new SessionIdCapture();
  private boolean capture;

  LineProjector(InputStream in, List<ColumnMapping> mappings, int maxLineLength, int contentLimit,
      int valueLimit, int chunkSize) {
    this.in = in;
    this.maxLineLength = maxLineLength;
    this.contentLimit = contentLimit;
    this.valueLimit = valueLimit;
    this.chunk = new byte[Math.max(256, Math.min(CHUNK, chunkSize))];
    this.fieldNames = new FieldNames(mappings);
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
    return out.bytes();
  }

  int length() {
    return out.length();
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
    return session.is(id);
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
    out.clear();
    lineBytes = 0;
    state = START;
    problem = null;
    cuts.clear();
    fields = 0;
    session.reset();
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
        if (strings.accept(b)) {
          endString();
        } else if (capture) {
          session.stringByte(b);
        }
        break;
      case NESTED:
        if (nested.accept(b)) {
          endNested();
        }
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
    column = keyOverflow ? null
        : keyEscaped ? fieldNames.byDecodedName(key, keyLen) : fieldNames.byName(key, keyLen);
    emit = column != null;
    capture = column == Column.SESSION_ID;
    if (capture) {
      session.begin();
    }
    if (emit) {
      if (fields++ > 0) {
        put((byte) ',');
      }
      put((byte) '"');
      put(key, 0, keyLen);
      put((byte) '"');
      put((byte) ':');
    }
    valueStart = out.length();
    state = COLON;
  }

  // ---- strings ----------------------------------------------------------------------------

  private void beginString() {
    if (emit) {
      put((byte) '"');
    }
    if (capture) {
      session.valueIsString(true);
    }
    strings.begin(limit(), emit);
    state = STRING;
  }

  private void endString() {
    if (emit) {
      put((byte) '"');
      if (strings.cut() && column != Column.CONTENT_JSON) {
        cuts.add(name(column) + " (" + strings.codePoints() + " characters, cut to " + limit() + ")");
      }
    }
    state = AFTER_VALUE;
  }

  private int limit() {
    return column == Column.CONTENT_JSON ? contentLimit : valueLimit;
  }

  // ---- nested values ----------------------------------------------------------------------

  private void beginNested(byte b) {
    nested.begin(limit(), emit);
    if (capture) {
      session.valueIsNested(); // not a string: the parser will say so
    }
    if (emit) {
      put(b);
    }
    state = NESTED;
  }

  private void endNested() {
    if (emit && nested.cut()) {
      if (column == Column.CONTENT_JSON || column == Column.METADATA_JSON) {
        // cut JSON is no JSON: it travels as a string of its raw text, as ClickHouse cuts it
        byte[] raw = out.copyFrom(valueStart);
        out.truncate(valueStart);
        put((byte) '"');
        JsonStrings.escapeInto(raw, this::put);
        put((byte) '"');
      } else {
        out.truncate(valueStart);
        put((byte) '{');
        put((byte) '}');
      }
      if (column != Column.CONTENT_JSON) {
        cuts.add(name(column) + " (" + nested.codePoints() + " characters, cut to " + limit() + ")");
      }
    }
    state = AFTER_VALUE;
  }

  // ---- scalars ----------------------------------------------------------------------------

  private void beginScalar(byte b) {
    scalarLen = 0;
    if (capture) {
      session.valueIsString(false);
    }
    state = SCALAR;
    scalarByte(b);
  }

  private void scalarByte(byte b) {
    if (capture) {
      session.add(b);
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

  private static String name(Column c) {
    return c.name().toLowerCase(java.util.Locale.ROOT);
  }

  // ---- output -----------------------------------------------------------------------------

  private void put(byte b) {
    out.put(b);
  }

  private void put(byte[] bytes, int off, int len) {
    out.put(bytes, off, len);
  }
}
