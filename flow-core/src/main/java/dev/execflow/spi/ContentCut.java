package dev.execflow.spi;

/**
 * How sources bound a row's {@code content_json}: the fold reads a few dozen characters of it (a
 * sounding's preview, a phase named only in its content, a sub-cascade's id, an error message),
 * while content is most of a log's bytes (whole LLM answers, tool output). So sources pass on at
 * most {@link #DEFAULT_CODE_POINTS} code points of it, cut while reading, and close a JSON string
 * that the cut left open with {@link #closeCutString}: every source cuts the same way, so the same
 * rows fold to the same data from every source.
 *
 * <pre>{@code
 * String content = ContentCut.cut(raw, ContentCut.DEFAULT_CODE_POINTS);
 * RowSink bounded = ContentCut.cutting(sink, query.contentLimit());   // a source that reads whole content
 * }</pre>
 */
public final class ContentCut {
  /**
   * The default bound: enough for a 200-character phase name or a 50-character preview even if
   * every character is a JSON escape.
   */
  public static final int DEFAULT_CODE_POINTS = 4096;

  private ContentCut() {}

  /**
   * {@code content} cut to its first {@code limit} code points and, when that cut a JSON string
   * open, closed again ({@link #closeCutString}); content within the bound (or null) as it is.
   */
  public static String cut(String content, int limit) {
    if (content == null || content.length() <= limit || content.codePointCount(0, content.length()) <= limit) {
      return content;
    }
    return closeCutString(content.substring(0, content.offsetByCodePoints(0, limit)), limit);
  }

  /**
   * A sink that hands on {@code sink}'s rows with their content cut at {@code limit} code points
   * ({@link #cut}): for a source that reads content whole and is asked for a bound ({@link
   * SessionQuery#withContent}). A row within the bound passes as it is; a longer one as a copy.
   */
  public static RowSink cutting(RowSink sink, int limit) {
    if (limit < 1) {
      throw new IllegalArgumentException("a content bound must be positive, was " + limit);
    }
    MutableLogRow copy = new MutableLogRow();
    return new RowSink() {
      @Override public void accept(LogRow row) {
        String content = row.contentJson();
        String cut = cut(content, limit);
        if (cut == content) {
          sink.accept(row);
        } else {
          sink.accept(copy.copyFrom(row).contentJson(cut));
        }
      }

      @Override public void warning(String kind, String detail) {
        sink.warning(kind, detail);
      }
    };
  }

  /**
   * Content cut inside a JSON string (such as {@code "abc}, or one ending inside an escape) is no
   * JSON at all, and the fold would show it raw, quote and escapes included. Such a cut string is
   * closed again after its last complete character, so that it still reads as the text it starts
   * with. Anything else (an object, or a content shorter than the bound) is returned as it is.
   *
   * @param content the content as cut to {@code limit} code points, or null
   * @param limit the bound it was cut to, in code points
   */
  public static String closeCutString(String content, int limit) {
    if (content == null || content.length() < limit || content.isEmpty() || content.charAt(0) != '"'
        || content.codePointCount(0, content.length()) < limit) {
      return content;
    }
    int i = 1;
    int n = content.length();
    while (i < n) {
      char c = content.charAt(i);
      if (c == '"') {
        return content; // a complete string (exactly at the bound, or followed by more text)
      }
      if (c == '\\') {
        int need = i + 1 < n && content.charAt(i + 1) == 'u' ? 6 : 2;
        if (i + need > n) {
          break; // an escape cut in the middle
        }
        i += need;
      } else {
        i++;
      }
    }
    // an escaped high surrogate whose low half was cut off decodes to nothing valid: drop it too
    if (i >= 7 && content.charAt(i - 6) == '\\' && content.charAt(i - 5) == 'u'
        && isHex(content, i - 4, i)
        && Character.isHighSurrogate((char) Integer.parseInt(content.substring(i - 4, i), 16))
        && !isEscaped(content, i - 6)) {
      i -= 6;
    }
    return content.substring(0, i) + '"';
  }

  private static boolean isHex(String s, int from, int to) {
    for (int k = from; k < to; k++) {
      if (Character.digit(s.charAt(k), 16) < 0) {
        return false;
      }
    }
    return true;
  }

  /** Whether the backslash at {@code at} is itself escaped (preceded by an odd run of backslashes). */
  private static boolean isEscaped(String s, int at) {
    int run = 0;
    for (int k = at - 1; k >= 0 && s.charAt(k) == '\\'; k--) {
      run++;
    }
    return run % 2 == 1;
  }
}
