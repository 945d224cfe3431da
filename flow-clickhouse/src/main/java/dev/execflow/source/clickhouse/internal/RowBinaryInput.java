package dev.execflow.source.clickhouse.internal;

import java.io.EOFException;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;

/**
 * Reads ClickHouse {@code RowBinary} values of the few fixed wire types the SELECT produces
 * (Float64, UInt32, Nullable(String|Int64|Float64)) from a stream, without boxing: the client's
 * generic reader decodes every value into an Object first, which measured at 0.8-1.0 s of CPU per
 * million rows of this projection, most of a read's client-side cost.
 *
 * <p>Short strings that repeat from row to row (node types, roles, phase names, models) are
 * compared with the previous value of the same column and the previous String is reused, so a
 * session of a million rows does not allocate a million copies of {@code "assistant"}.
 *
 * <p>Anything that is not well-formed RowBinary (a null flag other than 0 or 1, an absurd string
 * length, a stream ending inside a row) is an {@link IOException}: that is what an old server's
 * error text appended to a started response, or a dying server, looks like.
 */
public final class RowBinaryInput {
  /** Strings up to this many bytes are compared with the column's previous value. */
  private static final int CACHED_LENGTH = 64;
  private static final int MAX_STRING = 1 << 30;

  private final InputStream in;
  private final byte[] buf = new byte[1 << 16];
  private int pos;
  private int limit;
  private long consumed;

  private final byte[][] lastBytes;
  private final int[] lastLength;
  private final String[] lastString;

  /** @param cacheSlots how many string columns may use {@link #nullableString(int)} caching */
  public RowBinaryInput(InputStream in, int cacheSlots) {
    this.in = in;
    this.lastBytes = new byte[cacheSlots][CACHED_LENGTH];
    this.lastLength = new int[cacheSlots];
    this.lastString = new String[cacheSlots];
    Arrays.fill(lastLength, -1);
  }

  /** True when the stream ended cleanly here (between rows). */
  public boolean atEnd() throws IOException {
    return pos == limit && !fill();
  }

  private boolean fill() throws IOException {
    consumed += limit;
    pos = 0;
    limit = 0;
    int n;
    do {
      n = in.read(buf, 0, buf.length);
    } while (n == 0);
    if (n < 0) {
      return false;
    }
    limit = n;
    return true;
  }

  private void require(int bytes) throws IOException {
    if (limit - pos >= bytes) {
      return;
    }
    // move the remainder to the front and read until enough is there
    int remaining = limit - pos;
    System.arraycopy(buf, pos, buf, 0, remaining);
    consumed += pos;
    pos = 0;
    limit = remaining;
    while (limit < bytes) {
      int n = in.read(buf, limit, buf.length - limit);
      if (n < 0) {
        throw new EOFException("the stream ended inside a row (after " + (consumed + limit) + " bytes)");
      }
      limit += n;
    }
  }

  public int uint8() throws IOException {
    require(1);
    return buf[pos++] & 0xFF;
  }

  public long int64() throws IOException {
    require(8);
    long v = (buf[pos] & 0xFFL) | (buf[pos + 1] & 0xFFL) << 8 | (buf[pos + 2] & 0xFFL) << 16
        | (buf[pos + 3] & 0xFFL) << 24 | (buf[pos + 4] & 0xFFL) << 32 | (buf[pos + 5] & 0xFFL) << 40
        | (buf[pos + 6] & 0xFFL) << 48 | (buf[pos + 7] & 0xFFL) << 56;
    pos += 8;
    return v;
  }

  public long uint32() throws IOException {
    require(4);
    long v = (buf[pos] & 0xFFL) | (buf[pos + 1] & 0xFFL) << 8 | (buf[pos + 2] & 0xFFL) << 16
        | (buf[pos + 3] & 0xFFL) << 24;
    pos += 4;
    return v;
  }

  public double float64() throws IOException {
    return Double.longBitsToDouble(int64());
  }

  /** Reads a Nullable flag: true when the value is NULL (and absent from the stream). */
  public boolean isNull() throws IOException {
    int flag = uint8();
    if (flag > 1) {
      throw corrupt("a null flag of " + flag);
    }
    return flag == 1;
  }

  /** A Nullable(String) value; {@code slot} >= 0 reuses the column's previous String when equal. */
  public String nullableString(int slot) throws IOException {
    return isNull() ? null : string(slot);
  }

  public String string(int slot) throws IOException {
    int length = length();
    if (length > buf.length) {
      byte[] big = new byte[length];
      int have = limit - pos;
      System.arraycopy(buf, pos, big, 0, have);
      pos = limit;
      int off = have;
      while (off < length) {
        int n = in.read(big, off, length - off);
        if (n < 0) {
          throw new EOFException("the stream ended inside a string of " + length + " bytes");
        }
        off += n;
      }
      return new String(big, StandardCharsets.UTF_8);
    }
    require(length);
    String s;
    if (slot >= 0 && length <= CACHED_LENGTH) {
      byte[] last = lastBytes[slot];
      if (lastLength[slot] == length && Arrays.equals(buf, pos, pos + length, last, 0, length)) {
        s = lastString[slot];
      } else {
        s = new String(buf, pos, length, StandardCharsets.UTF_8);
        System.arraycopy(buf, pos, last, 0, length);
        lastLength[slot] = length;
        lastString[slot] = s;
      }
    } else {
      s = new String(buf, pos, length, StandardCharsets.UTF_8);
    }
    pos += length;
    return s;
  }

  /** The length of an Array value (a varint, as a string's), whose elements follow. */
  public int arrayLength() throws IOException {
    return length();
  }

  /** Bytes read from the stream so far. */
  public long position() {
    return consumed + pos;
  }

  private int length() throws IOException {
    long value = 0;
    for (int shift = 0; shift < 64; shift += 7) {
      int b = uint8();
      value |= (long) (b & 0x7F) << shift;
      if ((b & 0x80) == 0) {
        if (value > MAX_STRING) {
          throw corrupt("a string length of " + value);
        }
        return (int) value;
      }
    }
    throw corrupt("an endless string length");
  }

  /**
   * Not RowBinary: most likely the server's error text written into a response it had already
   * started (servers before 19 do that), which is quoted when it is there.
   */
  private IOException corrupt(String what) {
    String text = new String(buf, 0, limit, StandardCharsets.UTF_8);
    int code = text.indexOf("Code: ");
    String server = code < 0 ? "" : ": the server wrote \""
        + text.substring(code, Math.min(text.length(), code + 300)).split("\n")[0] + "\"";
    return new IOException("malformed RowBinary (" + what + " after " + (consumed + pos) + " bytes)" + server);
  }
}
