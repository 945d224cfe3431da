package dev.execflow.source.jsonl;

import java.util.Arrays;

/** The growing byte buffer a {@link LineProjector} writes a line's compact copy into. */
final class LineBuffer {
  private byte[] bytes = new byte[4096];
  private int length;

  byte[] bytes() {
    return bytes;
  }

  int length() {
    return length;
  }

  void clear() {
    length = 0;
  }

  /** Drops what was written after {@code length} bytes. */
  void truncate(int length) {
    this.length = length;
  }

  /** A copy of the bytes written from {@code start} on. */
  byte[] copyFrom(int start) {
    return Arrays.copyOfRange(bytes, start, length);
  }

  void put(byte b) {
    if (length == bytes.length) {
      bytes = Arrays.copyOf(bytes, bytes.length * 2);
    }
    bytes[length++] = b;
  }

  void put(byte[] from, int off, int len) {
    if (length + len > bytes.length) {
      bytes = Arrays.copyOf(bytes, Math.max(bytes.length * 2, length + len));
    }
    System.arraycopy(from, off, bytes, length, len);
    length += len;
  }
}
