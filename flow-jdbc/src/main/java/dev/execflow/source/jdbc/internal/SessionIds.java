package dev.execflow.source.jdbc.internal;

import dev.execflow.spi.LogSourceException;
import dev.execflow.spi.LogSourceException.Reason;

/** How messages show a session id, and the ids no query can carry. */
public final class SessionIds {
  private SessionIds() {}

  /** The id quoted for a message: cut to 80 characters, control characters escaped. */
  public static String describe(String id) {
    String shown = id.length() > 80 ? id.substring(0, 80) + "...(" + id.length() + " chars)" : id;
    StringBuilder out = new StringBuilder("\"");
    shown.codePoints().forEach(cp -> {
      if (cp < 0x20 || cp == 0x7F || (cp >= 0xD800 && cp <= 0xDFFF)) {
        out.append(String.format("\\x%02X", cp));
      } else {
        out.appendCodePoint(cp);
      }
    });
    return out.append('"').toString();
  }

  /**
   * Refuses a value with an unpaired surrogate: it has no UTF-8 form, so a driver would send
   * {@code ?} and match a different id.
   */
  public static void requireWellFormed(String value, String what) {
    for (int i = 0; i < value.length(); i++) {
      char ch = value.charAt(i);
      if (Character.isHighSurrogate(ch) && i + 1 < value.length() && Character.isLowSurrogate(value.charAt(i + 1))) {
        i++;
      } else if (Character.isSurrogate(ch)) {
        throw new LogSourceException(Reason.BAD_INPUT, "cannot query for " + describe(value)
            + ": unpaired surrogate at index " + i + " (" + what + ")");
      }
    }
  }
}
