package dev.execflow.source.jsonl;

import dev.execflow.spi.WarningKind;
import java.io.EOFException;
import java.io.IOException;
import java.io.InputStream;
import java.util.zip.CRC32;
import java.util.zip.DataFormatException;
import java.util.zip.Inflater;

/**
 * A gzip file read member after member (as {@code cat a.gz b.gz} makes them), saying what the
 * JDK's {@code GZIPInputStream} passes over in silence: bytes after the last member that are no
 * gzip member (appended plain rows, garbage) and a member that is corrupt (bad data, a wrong
 * checksum) are reported as a warning and the rest of the file is not read; a file cut short
 * throws {@link EOFException} (the caller's {@code truncated_file} warning).
 */
final class GzipMembers extends InputStream {
  /** Told about what was not read. */
  interface Problems {
    void warning(String kind, String detail);
  }

  private static final int FHCRC = 2;
  private static final int FEXTRA = 4;
  private static final int FNAME = 8;
  private static final int FCOMMENT = 16;

  private final InputStream raw;
  private final Problems problems;
  private final byte[] in;
  private int inPos;
  private int inLim;
  private long consumed;
  private final Inflater inflater = new Inflater(true);
  private final CRC32 crc = new CRC32();
  private int members;
  private boolean inMember;
  private boolean done;

  GzipMembers(InputStream raw, Problems problems, int buffer) {
    this.raw = raw;
    this.in = new byte[Math.max(512, buffer)];
    this.problems = problems;
  }

  @Override
  public int read() throws IOException {
    byte[] one = new byte[1];
    return read(one, 0, 1) < 0 ? -1 : one[0] & 0xFF;
  }

  @Override
  public int read(byte[] b, int off, int len) throws IOException {
    if (len == 0) {
      return 0;
    }
    while (!done) {
      if (!inMember) {
        startMember();
        continue;
      }
      if (inflater.needsInput()) {
        if (inPos == inLim && !fill()) {
          throw new EOFException("gzip member " + (members + 1) + " is cut short");
        }
        inflater.setInput(in, inPos, inLim - inPos);
        inPos = inLim;
      }
      int n;
      try {
        n = inflater.inflate(b, off, len);
      } catch (DataFormatException e) {
        corrupt("bad compressed data (" + e.getMessage() + ")");
        return -1;
      }
      if (n > 0) {
        crc.update(b, off, n);
      }
      if (inflater.finished()) {
        // what the inflater was given but did not use belongs to the trailer and what follows
        int unused = inflater.getRemaining();
        inPos -= unused;
        endMember();
      }
      if (n > 0) {
        return n;
      }
      if (inflater.needsDictionary()) {
        corrupt("a preset dictionary, which gzip does not use");
        return -1;
      }
    }
    return -1;
  }

  private void startMember() throws IOException {
    int first = next();
    if (first < 0) {
      done = true;
      return;
    }
    int second = next();
    if (first != 0x1F || second != 0x8B) {
      long trailing = 1 + (second < 0 ? 0 : 1) + skipAll();
      problems.warning(WarningKind.TRAILING_DATA.wireName(), trailing + " bytes after gzip member " + members
          + " are not gzip data and were not read");
      done = true;
      return;
    }
    int method = need();
    int flags = need();
    for (int i = 0; i < 6; i++) {
      need(); // mtime, xfl, os
    }
    if (method != 8) {
      corrupt("compression method " + method + " (gzip has only 8, deflate)");
      return;
    }
    if ((flags & FEXTRA) != 0) {
      int xlen = need() | (need() << 8);
      for (int i = 0; i < xlen; i++) {
        need();
      }
    }
    if ((flags & FNAME) != 0) {
      while (need() != 0) {
        // the original file name
      }
    }
    if ((flags & FCOMMENT) != 0) {
      while (need() != 0) {
        // a comment
      }
    }
    if ((flags & FHCRC) != 0) {
      need();
      need();
    }
    inflater.reset();
    crc.reset();
    inMember = true;
  }

  private void endMember() throws IOException {
    long expectedCrc = readIntLe();
    long expectedSize = readIntLe();
    inMember = false;
    members++;
    if (expectedCrc != crc.getValue() || expectedSize != (inflater.getBytesWritten() & 0xFFFFFFFFL)) {
      members--;
      corrupt("its checksum does not match its data");
    }
  }

  private void corrupt(String why) throws IOException {
    long rest = skipAll();
    problems.warning(WarningKind.CORRUPT_GZIP.wireName(), "gzip member " + (members + 1) + " is corrupt: " + why
        + "; the rest of the file (" + rest + " more bytes) was not read");
    done = true;
    inMember = false;
  }

  private long readIntLe() throws IOException {
    return need() | ((long) need() << 8) | ((long) need() << 16) | ((long) need() << 24);
  }

  /** The next byte, or -1 at the end of the file. */
  private int next() throws IOException {
    if (inPos == inLim && !fill()) {
      return -1;
    }
    return in[inPos++] & 0xFF;
  }

  /** The next byte of a header or trailer: the file must not end here. */
  private int need() throws IOException {
    int b = next();
    if (b < 0) {
      throw new EOFException("gzip member " + (members + 1) + " is cut short");
    }
    return b;
  }

  private boolean fill() throws IOException {
    int n = raw.read(in, 0, in.length);
    if (n <= 0) {
      if (n == 0) {
        // a stream that returns 0 has not ended: read one byte to know
        int b = raw.read();
        if (b < 0) {
          return false;
        }
        in[0] = (byte) b;
        inPos = 0;
        inLim = 1;
        consumed++;
        return true;
      }
      return false;
    }
    consumed += n;
    inPos = 0;
    inLim = n;
    return true;
  }

  /** Counts (and drops) the rest of the file. */
  private long skipAll() throws IOException {
    long n = inLim - inPos;
    inPos = inLim;
    byte[] buf = new byte[8192];
    for (int r; (r = raw.read(buf)) > 0; ) {
      n += r;
    }
    return n;
  }

  @Override
  public void close() throws IOException {
    inflater.end();
    raw.close();
  }
}
