package dev.execflow.assemble;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.execflow.spi.LogRow;
import java.util.ArrayList;
import java.util.List;

/** Reading the small JSON values inside rows: metadata objects and content strings. */
final class RowJson {
  private static final ObjectMapper MAPPER = new ObjectMapper();
  /** A reader bound to JsonNode once: ObjectMapper.readTree resolves the type on every call. */
  private static final com.fasterxml.jackson.databind.ObjectReader TREE = MAPPER.readerFor(JsonNode.class);

  private RowJson() {}

  /** The parsed text, or null when it is null/blank; throws when it is not JSON. */
  static JsonNode parse(String text) throws JsonProcessingException {
    if (text == null || text.isBlank()) {
      return null;
    }
    return TREE.readTree(text);
  }

  /** An integer field given as a number, a float with no fraction, or a numeric string. */
  static int intField(JsonNode node, String... names) {
    if (node == null || !node.isObject()) {
      return LogRow.NO_INT;
    }
    for (String name : names) {
      JsonNode v = node.get(name);
      if (v == null || v.isNull()) {
        continue;
      }
      if (v.isIntegralNumber() && v.canConvertToInt()) {
        return v.intValue();
      }
      if (v.isNumber() && v.doubleValue() == Math.rint(v.doubleValue())
          && Math.abs(v.doubleValue()) <= Integer.MAX_VALUE) {
        return (int) v.doubleValue();
      }
      if (v.isTextual()) {
        try {
          double d = Double.parseDouble(v.textValue().trim());
          if (d == Math.rint(d) && Math.abs(d) <= Integer.MAX_VALUE) {
            return (int) d;
          }
        } catch (NumberFormatException ignored) {
          // not a number: try the next name
        }
      }
    }
    return LogRow.NO_INT;
  }

  /** A boolean given as true/false, 1/0, or "true"/"false"/"1"/"0"/"yes"/"no"; else null. */
  static Boolean boolField(JsonNode node, String name) {
    JsonNode v = node == null ? null : node.get(name);
    if (v == null || v.isNull()) {
      return null;
    }
    if (v.isBoolean()) {
      return v.booleanValue();
    }
    if (v.isNumber()) {
      return v.doubleValue() != 0;
    }
    if (v.isTextual()) {
      return boolWord(v.textValue());
    }
    return null;
  }

  /** A boolean spelled as a word: true/false, 1/0, yes/no, pass/fail, valid/invalid; else null. */
  static Boolean boolWord(String word) {
    switch (word.trim().toLowerCase(java.util.Locale.ROOT)) {
      case "true": case "1": case "yes": case "pass": case "passed": case "valid":
        return Boolean.TRUE;
      case "false": case "0": case "no": case "fail": case "failed": case "invalid":
        return Boolean.FALSE;
      default:
        return null;
    }
  }

  static String textField(JsonNode node, String... names) {
    if (node == null || !node.isObject()) {
      return null;
    }
    for (String name : names) {
      JsonNode v = node.get(name);
      if (v != null && !v.isNull()) {
        return v.isValueNode() ? v.asText() : v.toString();
      }
    }
    return null;
  }

  /** Handoff targets from a list of names or {@code {target, description}} objects. */
  static List<String> handoffTargets(JsonNode node) {
    List<String> targets = new ArrayList<>();
    if (node != null && node.isArray()) {
      for (JsonNode item : node) {
        String target = item.isTextual() ? item.textValue() : textField(item, "target", "name", "phase");
        if (target != null && !target.isEmpty()) {
          targets.add(target);
        }
      }
    }
    return List.copyOf(targets);
  }

  /**
   * The text of a content value: a JSON string unquoted, the {@code content}/{@code text} field of
   * an object, otherwise the raw text as logged.
   */
  static String contentText(String content) {
    if (content == null) {
      return null;
    }
    String trimmed = content.strip();
    if (trimmed.startsWith("\"") || trimmed.startsWith("{")) {
      try {
        JsonNode node = TREE.readTree(trimmed);
        if (node.isTextual()) {
          return node.textValue();
        }
        String inner = textField(node, "content", "text", "output", "result");
        if (inner != null) {
          return inner;
        }
      } catch (JsonProcessingException e) {
        // not JSON after all: show it as it was logged (a cut-off content is common)
      }
    }
    return content;
  }

  /** The first {@code max} code points of {@code text}, with "..." appended when cut. */
  static String preview(String text, int max) {
    if (text == null) {
      return null;
    }
    int cps = text.codePointCount(0, text.length());
    if (cps <= max) {
      return text;
    }
    return text.substring(0, text.offsetByCodePoints(0, max)) + "...";
  }
}
