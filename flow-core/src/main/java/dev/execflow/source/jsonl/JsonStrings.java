package dev.execflow.source.jsonl;

import java.io.ByteArrayOutputStream;
import java.nio.ByteBuffer;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.StandardCharsets;

/** The few JSON string operations {@link LineProjector} needs on raw bytes. */
final class JsonStrings {
  private JsonStrings() {}

  /** Where escaped bytes go. */
  interface ByteSink {
    void put(byte b);
  }

  /**
   * The text of the JSON string content {@code buf[off, off + len)} (without its quotes), escapes
   * decoded; null when it is not valid (a bad escape, bad UTF-8).
   */
  static String decode(byte[] buf, int off, int len) {
    ByteArrayOutputStream plain = new ByteArrayOutputStream(len);
    StringBuilder text = new StringBuilder(len);
    int i = off;
    int end = off + len;
    try {
      while (i < end) {
        byte b = buf[i];
        if (b != '\\') {
          plain.write(b);
          i++;
          continue;
        }
        flush(plain, text);
        if (i + 1 >= end) {
          return null;
        }
        byte e = buf[i + 1];
        switch (e) {
          case '"': text.append('"'); break;
          case '\\': text.append('\\'); break;
          case '/': text.append('/'); break;
          case 'b': text.append('\b'); break;
          case 'f': text.append('\f'); break;
          case 'n': text.append('\n'); break;
          case 'r': text.append('\r'); break;
          case 't': text.append('\t'); break;
          case 'u':
            if (i + 6 > end) {
              return null;
            }
            int v = 0;
            for (int k = i + 2; k < i + 6; k++) {
              int d = Character.digit(buf[k], 16);
              if (d < 0) {
                return null;
              }
              v = v * 16 + d;
            }
            text.append((char) v);
            i += 4;
            break;
          default:
            return null;
        }
        i += 2;
      }
      flush(plain, text);
    } catch (CharacterCodingException ex) {
      return null;
    }
    return text.toString();
  }

  private static void flush(ByteArrayOutputStream plain, StringBuilder text) throws CharacterCodingException {
    if (plain.size() > 0) {
      text.append(StandardCharsets.UTF_8.newDecoder().decode(ByteBuffer.wrap(plain.toByteArray())));
      plain.reset();
    }
  }

  private static final byte[] HEX = "0123456789abcdef".getBytes(StandardCharsets.US_ASCII);

  /** Writes {@code raw} as the content of a JSON string: quotes, backslashes and controls escaped. */
  static void escapeInto(byte[] raw, ByteSink out) {
    for (byte b : raw) {
      if (b == '"' || b == '\\') {
        out.put((byte) '\\');
        out.put(b);
      } else if (b >= 0 && b < 0x20) {
        out.put((byte) '\\');
        out.put((byte) 'u');
        out.put((byte) '0');
        out.put((byte) '0');
        out.put(HEX[b >> 4]);
        out.put(HEX[b & 0xF]);
      } else {
        out.put(b);
      }
    }
  }
}
