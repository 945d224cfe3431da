package dev.execflow.testing;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.execflow.assemble.AssemblyOptions;
import dev.execflow.assemble.ExecutionAssembler;
import dev.execflow.json.ExecutionJson;
import dev.execflow.model.ExecutionData;
import dev.execflow.spi.SessionQuery;
import java.io.IOException;
import java.io.InputStream;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * Each bundled sample, folded by the assembler, has the values worked out by hand in its {@code
 * <name>.expected.json}. The expected file lists only the fields it checks: every field it has must
 * be in the result with that value (numbers to 1e-9; {@code null} also matches an absent field).
 */
class SamplesFoldTest {
  private static final ObjectMapper JSON = new ObjectMapper();

  static List<String> names() {
    return Samples.names();
  }

  @ParameterizedTest
  @MethodSource("names")
  void foldsToTheHandWorkedExecutionData(String name) throws IOException {
    JsonNode expected;
    try (InputStream in = getClass().getClassLoader().getResourceAsStream(Samples.get(name).expectedResource())) {
      expected = JSON.readTree(in);
    }
    ExecutionData data = ExecutionAssembler.assemble(Samples.source(),
        SessionQuery.of(Samples.sessionId(name)), AssemblyOptions.defaults());
    JsonNode actual = JSON.readTree(ExecutionJson.write(data));

    List<String> differences = new ArrayList<>();
    compare("", expected, actual, differences);

    assertThat(differences).as("differences from %s.expected.json", name).isEmpty();
    assertThat(data.warnings().count()).as("warnings: %s", data.warnings()).isZero();
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
