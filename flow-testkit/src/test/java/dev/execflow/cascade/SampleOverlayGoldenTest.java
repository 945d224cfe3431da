package dev.execflow.cascade;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.execflow.assemble.AssemblyOptions;
import dev.execflow.assemble.ExecutionAssembler;
import dev.execflow.json.ExecutionJson;
import dev.execflow.model.ExecutionData;
import dev.execflow.testing.Samples;
import dev.execflow.source.jsonl.JsonlLogSource;
import dev.execflow.spi.SessionQuery;
import java.io.IOException;
import java.io.InputStream;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.Set;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * Each bundled sample session, assembled and overlaid on its bundled cascade definition, gives the
 * JSON in {@code cascade/golden/<sample>.json}. Those files were written by hand: the seed values from
 * reading the rows (they agree with the samples' own hand-worked {@code .expected.json}), the
 * overlay's parts (pending phases, declared handoffs, edges, ward names and modes, progress,
 * totalPhases) from reading the definition, not pasted from the program's output.
 *
 * <p>Comparison: every field of the golden file must be there with that value (numbers to 1e-9),
 * arrays element by element; a field the golden file does not have is a difference, except the
 * assembler's extensions the overlay does not touch ({@link #NOT_WRITTEN_BY_HAND}).
 */
class SampleOverlayGoldenTest {
  private static final ObjectMapper JSON = new ObjectMapper();
  private static final Set<String> NOT_WRITTEN_BY_HAND = Set.of("startedAt", "endedAt", "tokensIn", "tokensOut",
      "models", "maxTurns", "rowCount", "error", "subCascades", "unattributedCost", "transitions", "warnings");

  private static final CascadeCatalog CATALOG = CascadeCatalog.bundledSamples();

  @Test
  void everyBundledDefinitionLoadsCleanly() {
    assertThat(CATALOG.problems()).isEmpty();
    assertThat(CATALOG.warnings()).isEmpty();
    assertThat(CATALOG.specs()).extracting(CascadeDefinition::cascadeId)
        .containsExactlyInAnyOrderElementsOf(Samples.all().stream().map(Samples.Sample::cascadeId).toList());
  }

  @ParameterizedTest
  @ValueSource(strings = {"simple", "soundings", "reforge", "running", "failed", "wards", "loop"})
  void theOverlaidSampleIsTheHandWrittenJson(String name) throws IOException {
    ExecutionData data;
    try (JsonlLogSource source = Samples.source(name)) {
      data = ExecutionAssembler.assemble(source, SessionQuery.of(Samples.sessionId(name)), AssemblyOptions.defaults());
    }

    ExecutionData overlaid = CATALOG.overlay(data);

    List<String> differences = new ArrayList<>();
    compare("", golden(name), JSON.readTree(ExecutionJson.write(overlaid)), differences);
    assertThat(differences).as("differences from cascade/golden/%s.json", name).isEmpty();
    assertThat(overlaid.warnings()).as("the overlay adds no warnings").isEqualTo(data.warnings());
  }

  private static JsonNode golden(String name) throws IOException {
    try (InputStream in = SampleOverlayGoldenTest.class.getResourceAsStream("/cascade/golden/" + name + ".json")) {
      return JSON.readTree(in);
    }
  }

  private static void compare(String path, JsonNode expected, JsonNode actual, List<String> out) {
    if (actual == null || actual.isMissingNode()) {
      out.add(path + ": expected " + expected + ", missing");
    } else if (expected.isObject()) {
      if (!actual.isObject()) {
        out.add(path + ": expected an object, was " + actual);
        return;
      }
      for (Iterator<String> it = expected.fieldNames(); it.hasNext(); ) {
        String field = it.next();
        compare(path + "." + field, expected.get(field), actual.get(field), out);
      }
      for (Iterator<String> it = actual.fieldNames(); it.hasNext(); ) {
        String field = it.next();
        if (!expected.has(field) && !NOT_WRITTEN_BY_HAND.contains(field)) {
          out.add(path + "." + field + ": not in the golden file, was " + actual.get(field));
        }
      }
    } else if (expected.isArray()) {
      if (!actual.isArray() || actual.size() != expected.size()) {
        out.add(path + ": expected " + expected + ", was " + actual);
        return;
      }
      for (int i = 0; i < expected.size(); i++) {
        compare(path + "[" + i + "]", expected.get(i), actual.get(i), out);
      }
    } else if (expected.isNumber()) {
      if (!actual.isNumber() || Math.abs(expected.doubleValue() - actual.doubleValue()) > 1e-9) {
        out.add(path + ": expected " + expected + ", was " + actual);
      }
    } else if (!expected.equals(actual)) {
      out.add(path + ": expected " + expected + ", was " + actual);
    }
  }
}
