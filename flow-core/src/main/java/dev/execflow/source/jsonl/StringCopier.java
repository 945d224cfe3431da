package dev.execflow.source.jsonl;

/**
 * Copies one JSON string value, byte by byte after its opening quote, into a {@link LineBuffer},
 * bounded in code points. Bytes are grouped into units, one code point each (a character, an
 * escape, or an escaped surrogate pair), and a unit is copied only if it fits the bound whole, so
 * a cut never splits a character or an escape.
 */
final class StringCopier {
  private final LineBuffer out;
  private final byte[] unit = new byte[6];
  private final byte[] held = new byte[12];
  private int unitLen;
  private int unitNeed;
  private boolean escape;
  private int hex;
  private boolean pendingHigh;
  private long codePoints;
  private boolean cut;
  private int limit;
  private boolean emit;

  StringCopier(LineBuffer out) {
    this.out = out;
  }

  /** Starts a value: at most {@code limit} code points are copied, none unless {@code emit}. */
  void begin(int limit, boolean emit) {
    this.limit = limit;
    this.emit = emit;
    unitLen = 0;
    unitNeed = 0;
    escape = false;
    pendingHigh = false;
    codePoints = 0;
    cut = false;
  }

  /** Code points of the value so far. */
  long codePoints() {
    return codePoints;
  }

  /** Whether the value was longer than the bound. */
  boolean cut() {
    return cut;
  }

  /** Takes one byte; true when it is the closing quote (the value is then complete). */
  boolean accept(byte b) {
    if (!escape && unitLen > 0 && (b & 0xC0) != 0x80) {
      unitDone(false, false); // a multi-byte character cut short (bad UTF-8: the parser says so)
    }
    if (!escape && unitLen == 0 && b == '"') {
      if (pendingHigh) {
        pendingHigh = false;
        keep(held, 0, 6);
      }
      return true;
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
        return false;
      }
      hex = hex * 16 + Math.max(0, Character.digit(b, 16));
      if (unitLen == 6) {
        escape = false;
        unitDone(hex >= 0xD800 && hex <= 0xDBFF, hex >= 0xDC00 && hex <= 0xDFFF);
      }
      return false;
    }
    unit[unitLen++] = b;
    if (unitLen == 1) {
      if (b == '\\') {
        escape = true;
        return false;
      }
      int u = b & 0xFF;
      unitNeed = u >= 0xF0 ? 4 : u >= 0xE0 ? 3 : u >= 0xC0 ? 2 : 1;
    }
    if (unitLen >= unitNeed) {
      unitDone(false, false);
    }
    return false;
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
    codePoints++;
    if (cut || !emit) {
      return;
    }
    if (codePoints > limit) {
      cut = true;
      return;
    }
    out.put(bytes, off, len);
  }
}
