package dev.execflow.testing;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.execflow.json.ExecutionJson;
import dev.execflow.model.ExecutionData;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.Map;

/**
 * Hand-worked expected {@code executionData}, as in the samples' {@code <name>.expected.json}: the
 * file lists only the fields it checks; every field it has must be in the result with that value
 * (numbers to 1e-9; {@code null} also matches an absent field).
 *
 * <pre>{@code
 * List<String> wrong = ExpectedJson.differences(ExpectedJson.ofSample("soundings"), data);
 * assertThat(wrong).isEmpty();
 * }</pre>
 */
public final class ExpectedJson {
  private static final ObjectMapper JSON = new ObjectMapper();

  private ExpectedJson() {}

  /** The expected fields of sample {@code name}. */
  public static JsonNode ofSample(String name) {
    String resource = Samples.get(name).expectedResource();
    try (InputStream in = ExpectedJson.class.getClassLoader().getResourceAsStream(resource)) {
      if (in == null) {
        throw new IllegalStateException("missing resource " + resource);
      }
      return JSON.readTree(in);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  /** The expected fields of sample {@code name} for a copy of its rows under another session id. */
  public static JsonNode ofSample(String name, String sessionId) {
    ObjectNode expected = (ObjectNode) ofSample(name).deepCopy();
    if (expected.has("sessionId")) {
      expected.put("sessionId", sessionId);
    }
    return expected;
  }

  /** Where {@code actual} differs from {@code expected}, one line per field; empty when it matches. */
  public static List<String> differences(JsonNode expected, ExecutionData actual) {
    List<String> out = new ArrayList<>();
    try {
      compare("", expected, JSON.readTree(ExecutionJson.write(actual)), out);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
    return out;
  }

  private static void compare(String path, JsonNode expected, JsonNode actual, List<String> out) {
    if (expected.isNull()) {
      if (actual != null && !actual.isNull() && !actual.isMissingNode()) {
        out.add(path + ": expected null, was " + actual);
      }
      return;
    }
    if (actual == null || actual.isMissingNode() || actual.isNull()) {
      out.add(path + ": expected " + expected + ", missing");
      return;
    }
    if (expected.isObject()) {
      Iterator<Map.Entry<String, JsonNode>> fields = expected.fields();
      while (fields.hasNext()) {
        Map.Entry<String, JsonNode> field = fields.next();
        compare(path + "." + field.getKey(), field.getValue(), actual.get(field.getKey()), out);
      }
    } else if (expected.isArray()) {
      if (actual.size() != expected.size()) {
        out.add(path + ": expected " + expected.size() + " entries " + expected + ", was " + actual);
        return;
      }
      for (int i = 0; i < expected.size(); i++) {
        compare(path + "[" + i + "]", expected.get(i), actual.get(i), out);
      }
    } else if (expected.isNumber()) {
      if (!actual.isNumber() || Math.abs(expected.asDouble() - actual.asDouble()) > 1e-9) {
        out.add(path + ": expected " + expected + ", was " + actual);
      }
    } else if (!expected.equals(actual)) {
      out.add(path + ": expected " + expected + ", was " + actual);
    }
  }
}
