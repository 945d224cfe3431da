package dev.execflow.source.jsonl;

/**
 * Copies one nested JSON value (an object or an array), byte by byte after its opening bracket,
 * into a {@link LineBuffer} while it fits a bound in code points; it tracks strings and depth
 * only to find where the value ends.
 */
final class NestedCopier {
  private final LineBuffer out;
  private int depth;
  private boolean inString;
  private boolean escape;
  private long codePoints;
  private boolean cut;
  private int limit;
  private boolean emit;

  NestedCopier(LineBuffer out) {
    this.out = out;
  }

  /** Starts a value whose opening bracket was read (and counts as its first code point). */
  void begin(int limit, boolean emit) {
    this.limit = limit;
    this.emit = emit;
    depth = 1;
    inString = false;
    escape = false;
    codePoints = 1;
    cut = false;
  }

  long codePoints() {
    return codePoints;
  }

  boolean cut() {
    return cut;
  }

  /** Takes one byte; true when it closes the value. */
  boolean accept(byte b) {
    boolean starts = (b & 0xC0) != 0x80;
    if (starts) {
      codePoints++;
    }
    if (emit && !cut && starts && codePoints > limit) {
      cut = true;
    }
    if (emit && !cut) {
      out.put(b);
    }
    if (inString) {
      if (escape) {
        escape = false;
      } else if (b == '\\') {
        escape = true;
      } else if (b == '"') {
        inString = false;
      }
      return false;
    }
    if (b == '"') {
      inString = true;
    } else if (b == '{' || b == '[') {
      depth++;
    } else if (b == '}' || b == ']') {
      return --depth == 0;
    }
    return false;
  }
}
