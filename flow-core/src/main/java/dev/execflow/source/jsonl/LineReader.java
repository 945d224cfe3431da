package dev.execflow.source.jsonl;

import java.io.IOException;
import java.io.InputStream;

/**
 * Splits a byte stream into lines over one reusable buffer, so that a file is never held in memory
 * and no per-line array is allocated. A line longer than the bound is skipped (its bytes are
 * discarded as they arrive) and reported as {@link #TOO_LONG}.
 */
final class LineReader {
  static final int LINE = 1;
  static final int TOO_LONG = 2;
  static final int EOF = 0;
  /** Only in tail mode: the input ends inside a line, left unconsumed (a writer mid-write). */
  static final int PARTIAL = 3;

  private static final int CHUNK = 64 * 1024;

  private final InputStream in;
  private final int maxLineLength;
  /** Tail mode: a last line without its newline is not a line yet. */
  private final boolean waitForNewline;
  private byte[] buf;
  /** Stream offset of {@code buf[0]}. */
  private long bufferBase;
  /** Unconsumed bytes are {@code buf[start, end)}; {@code scan} is where the newline search resumes. */
  private int start;
  private int end;
  private int scan;
  private boolean eof;
  private long lineNumber;
  private int lineStart;
  private int lineLength;

  LineReader(InputStream in, int maxLineLength) {
    this(in, maxLineLength, false);
  }

  /**
   * A reader that, with {@code waitForNewline}, answers {@link #PARTIAL} for bytes after the last
   * newline instead of a last line, and leaves them unconsumed ({@link #consumed()}).
   */
  LineReader(InputStream in, int maxLineLength, boolean waitForNewline) {
    this.in = in;
    this.maxLineLength = maxLineLength;
    this.waitForNewline = waitForNewline;
    this.buf = new byte[Math.min(CHUNK, maxLineLength + 1)];
  }

  /** Advances to the next line: {@link #LINE}, {@link #TOO_LONG} (already skipped) or {@link #EOF}. */
  int next() throws IOException {
    while (true) {
      for (int i = scan; i < end; i++) {
        if (buf[i] == '\n') {
          int len = i - start;
          if (len > 0 && buf[i - 1] == '\r') {
            len--;
          }
          lineStart = start;
          lineLength = len;
          start = scan = i + 1;
          lineNumber++;
          return len > maxLineLength ? skipped() : LINE;
        }
      }
      scan = end;
      if (end - start > maxLineLength) {
        return skipRestOfLine();
      }
      if (eof) {
        if (start == end) {
          return EOF;
        }
        if (waitForNewline) {
          lineStart = start;
          lineLength = end - start;
          return PARTIAL;
        }
        // last line without a trailing newline
        lineStart = start;
        lineLength = end - start;
        start = scan = end;
        lineNumber++;
        return LINE;
      }
      fill();
    }
  }

  private int skipped() {
    lineLength = 0;
    return TOO_LONG;
  }

  /** Reads more bytes, first making room by moving the pending line to the front or growing. */
  private void fill() throws IOException {
    if (start > 0) {
      bufferBase += start;
      System.arraycopy(buf, start, buf, 0, end - start);
      end -= start;
      scan -= start;
      start = 0;
    }
    if (end == buf.length) {
      byte[] bigger = new byte[(int) Math.min((long) buf.length * 2, (long) maxLineLength + 1)];
      System.arraycopy(buf, 0, bigger, 0, end);
      buf = bigger;
    }
    int n = in.read(buf, end, buf.length - end);
    if (n < 0) {
      eof = true;
    } else {
      end += n;
    }
  }

  /** Drops bytes up to and including the next newline (or the end of input). */
  private int skipRestOfLine() throws IOException {
    long lineStartOffset = bufferBase + start;
    lineNumber++;
    bufferBase += end;
    start = end = scan = 0;
    while (true) {
      int n = in.read(buf, 0, buf.length);
      if (n < 0) {
        eof = true;
        if (waitForNewline) {
          // the long line is still being written: it is skipped once it has ended
          lineNumber--;
          bufferBase = lineStartOffset;
          lineLength = 0;
          return PARTIAL;
        }
        return skipped();
      }
      for (int i = 0; i < n; i++) {
        if (buf[i] == '\n') {
          start = scan = i + 1;
          end = n;
          return skipped();
        }
      }
      bufferBase += n;
    }
  }

  /**
   * Bytes of the stream consumed by the lines returned so far, newlines included (after {@link
   * #PARTIAL}: where the unfinished line starts).
   */
  long consumed() {
    return bufferBase + start;
  }

  byte[] buffer() {
    return buf;
  }

  int lineStart() {
    return lineStart;
  }

  int lineLength() {
    return lineLength;
  }

  /** The 1-based number of the line last returned. */
  long lineNumber() {
    return lineNumber;
  }
}
