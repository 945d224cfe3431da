package dev.execflow.source.jsonl;

import java.util.Arrays;

/**
 * The raw bytes of a line's {@code session_id} value, noted while the line is copied, so that a
 * read can skip the lines of other sessions without parsing them; a number or an escaped string
 * is left to the parser.
 */
final class SessionIdCapture {
  private static final int LIMIT = 1024;

  private final byte[] bytes = new byte[LIMIT];
  private int length;
  private boolean seen;
  private boolean string;
  private boolean escaped;
  private boolean overflow;

  /** A new line: no session id seen yet. */
  void reset() {
    seen = false;
  }

  /** The line's {@code session_id} field begins. */
  void begin() {
    seen = true;
    length = 0;
    overflow = false;
    escaped = false;
  }

  /** The value is a string (true) or a scalar (false). */
  void valueIsString(boolean string) {
    this.string = string;
  }

  /** The value is nested: not a session id, the parser will say so. */
  void valueIsNested() {
    overflow = true;
  }

  /** One byte of a string value (its quotes excepted). */
  void stringByte(byte b) {
    add(b);
    if (b == '\\') {
      escaped = true;
    }
  }

  /** One byte of a scalar value. */
  void add(byte b) {
    if (length < LIMIT) {
      bytes[length++] = b;
    } else {
      overflow = true;
    }
  }

  /**
   * Whether the line's {@code session_id} is {@code id}: TRUE or FALSE when that is certain from
   * the bytes, null when only parsing can tell (an escaped or very long value).
   */
  Boolean is(byte[] id) {
    if (!seen) {
      return Boolean.FALSE;
    }
    if (overflow || (string && escaped)) {
      return null;
    }
    if (!string && length == 4 && bytes[0] == 'n' && bytes[1] == 'u' && bytes[2] == 'l' && bytes[3] == 'l') {
      return Boolean.FALSE; // a null session_id
    }
    return Arrays.equals(bytes, 0, length, id, 0, id.length);
  }
}
