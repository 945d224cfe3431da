package dev.execflow.examples.service;

import dev.execflow.spi.LogRow;
import dev.execflow.spi.SessionCursor;
import java.nio.ByteBuffer;
import java.util.Base64;

/**
 * Where a page of a phase's rows ended: the visit, and the last row's timestamp and row key (the
 * SPI's {@link SessionCursor#rowKey}, as a 64-bit hash so that the cursor stays short whatever the
 * ids). A page after it skips the visit's rows up to that row, in the order every source delivers
 * them. It also carries a check of the session, phase and visit filter it was made for, so a
 * cursor is not taken for another listing. Opaque to clients: URL-safe base64 of 29 bytes.
 *
 * @param visit the visit (1-based) the last row belongs to
 * @param timestamp its timestamp
 * @param key the hash of its row key
 * @param check the hash of what the listing was of
 */
record RowsCursor(int visit, double timestamp, long key, int check) {
  private static final byte VERSION = 1;
  private static final int BYTES = 1 + 4 + 8 + 8 + 4 + 4;

  static RowsCursor after(LogRow row, int visit, int check) {
    return new RowsCursor(visit, order(row.timestamp()), keyOf(row), check);
  }

  /** The check of a listing of {@code phase}'s rows of {@code sessionId}, visit {@code visit} (0: all). */
  static int check(String sessionId, String phase, int visit) {
    return (sessionId + '\u0000' + phase + '\u0000' + visit).hashCode();
  }

  /** Whether {@code row} is the row this cursor stands after. */
  boolean isAt(LogRow row) {
    return order(row.timestamp()) == timestamp && keyOf(row) == key;
  }

  String encode() {
    ByteBuffer b = ByteBuffer.allocate(BYTES);
    b.put(VERSION).putInt(visit).putDouble(timestamp).putLong(key).putInt(check);
    b.putInt(crc(b.array(), BYTES - 4));
    return Base64.getUrlEncoder().withoutPadding().encodeToString(b.array());
  }

  /** The cursor {@link #encode} wrote, or null for text that is not one. */
  static RowsCursor decode(String text) {
    byte[] bytes;
    try {
      bytes = Base64.getUrlDecoder().decode(text);
    } catch (IllegalArgumentException e) {
      return null;
    }
    if (bytes.length != BYTES || bytes[0] != VERSION) {
      return null;
    }
    ByteBuffer b = ByteBuffer.wrap(bytes);
    b.get();
    RowsCursor c = new RowsCursor(b.getInt(), b.getDouble(), b.getLong(), b.getInt());
    return b.getInt() == crc(bytes, BYTES - 4) && c.visit() > 0 && !Double.isNaN(c.timestamp()) ? c : null;
  }

  private static int crc(byte[] bytes, int length) {
    java.util.zip.CRC32 crc = new java.util.zip.CRC32();
    crc.update(bytes, 0, length);
    return (int) crc.getValue();
  }

  /** Rows without a usable timestamp sort first, as a {@link SessionCursor} orders them. */
  static double order(double ts) {
    return Double.isNaN(ts) ? Double.NEGATIVE_INFINITY : ts;
  }

  /** 64-bit FNV-1a of the row key. */
  static long keyOf(LogRow row) {
    String k = SessionCursor.rowKey(row);
    long h = 0xcbf29ce484222325L;
    for (int i = 0; i < k.length(); i++) {
      h = (h ^ k.charAt(i)) * 0x100000001b3L;
    }
    return h;
  }
}
