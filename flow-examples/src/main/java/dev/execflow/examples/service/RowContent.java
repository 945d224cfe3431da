package dev.execflow.examples.service;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;

/**
 * What a row said, for a person: a {@code content_json} that is a JSON string is its text, any
 * other content (an object: a tool call, a message list) its JSON as logged. Shown up to {@code
 * limit} code points; the source is asked for its content up to {@link #readBound} code points, so
 * that content the source cut is told from content that merely fills the bound.
 *
 * <pre>{@code
 * RowContent c = RowContent.of(row.contentJson(), RowContent.readBound(65_536), 65_536);
 * }</pre>
 *
 * @param text the content to show, at most {@code limit} code points; null when the row has none
 * @param truncated whether {@code text} is not all of it
 * @param length the content's whole length in code points; null when the source cut it (then only
 *     "more than the bound" is known)
 */
record RowContent(String text, boolean truncated, Integer length) {
  private static final ObjectMapper MAPPER = new ObjectMapper();

  /**
   * The bound to read raw content at for showing {@code limit} code points of it: twice as much
   * (and its quotes, and one more to notice a cut), so that escapes do not shorten the text shown
   * and the length of content up to twice the bound is known.
   */
  static int readBound(int limit) {
    return 2 * limit + 3;
  }

  static RowContent of(String contentJson, int readBound, int limit) {
    if (contentJson == null) {
      return new RowContent(null, false, 0);
    }
    boolean cutBySource = contentJson.codePointCount(0, contentJson.length()) >= readBound;
    String text = text(contentJson);
    int n = text.codePointCount(0, text.length());
    if (n > limit) {
      text = text.substring(0, text.offsetByCodePoints(0, limit));
    }
    return new RowContent(text, cutBySource || n > limit, cutBySource ? null : n);
  }

  /** The text of a content: a JSON string decoded, anything else as it is; null for null. */
  static String text(String contentJson) {
    if (contentJson == null) {
      return null;
    }
    String s = contentJson.strip();
    if (s.length() >= 2 && s.charAt(0) == '"' && s.charAt(s.length() - 1) == '"') {
      try {
        return MAPPER.readValue(s, String.class);
      } catch (JsonProcessingException e) {
        // not a JSON string after all: shown as logged
      }
    }
    return contentJson;
  }
}
