package dev.execflow.testing;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.within;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.dataformat.yaml.YAMLMapper;
import dev.execflow.model.Status;
import dev.execflow.testing.Samples.Sample;
import dev.execflow.spi.LogRow;
import dev.execflow.spi.RowSink;
import dev.execflow.spi.SessionListQuery;
import dev.execflow.spi.SessionQuery;
import dev.execflow.spi.SessionSummary;
import java.io.IOException;
import java.io.InputStream;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

class SamplesTest {
  private static final ObjectMapper JSON = new ObjectMapper();
  private static final YAMLMapper YAML = new YAMLMapper();

  static List<String> names() {
    return Samples.names();
  }

  private static JsonNode resource(String path) throws IOException {
    try (InputStream in = SamplesTest.class.getClassLoader().getResourceAsStream(path)) {
      assertThat(in).as(path).isNotNull();
      return path.endsWith(".json") ? JSON.readTree(in) : YAML.readTree(in);
    }
  }

  /** Names of the definition's phases (or, in the later generation's words, cells). */
  private static List<String> declaredPhases(JsonNode cascade) {
    JsonNode phases = cascade.has("phases") ? cascade.get("phases") : cascade.get("cells");
    List<String> names = new ArrayList<>();
    phases.forEach(p -> names.add(p.get("name").asText()));
    return names;
  }

  private static List<String> declaredHandoffs(JsonNode cascade, String phase) {
    JsonNode phases = cascade.has("phases") ? cascade.get("phases") : cascade.get("cells");
    List<String> targets = new ArrayList<>();
    for (JsonNode p : phases) {
      if (p.get("name").asText().equals(phase) && p.has("handoffs")) {
        p.get("handoffs").forEach(h -> targets.add(h.isTextual() ? h.asText() : h.get("target").asText()));
      }
    }
    return targets;
  }

  @Test
  void namesTheSevenSamples() {
    assertThat(Samples.names())
        .containsExactly("simple", "soundings", "reforge", "running", "failed", "wards", "loop");
    assertThat(Samples.sessionId("loop")).isEqualTo("sample-loop");
  }

  @Test
  void anUnknownSampleNameListsTheKnownOnes() {
    assertThatThrownBy(() -> Samples.get("nope"))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("No sample called 'nope'")
        .hasMessageContaining("soundings");
  }

  @ParameterizedTest
  @MethodSource("names")
  void eachSampleReadsCleanlyAndInTimestampOrder(String name) {
    List<String> warnings = new ArrayList<>();
    List<Double> timestamps = new ArrayList<>();
    long rows = Samples.source().read(SessionQuery.of(Samples.sessionId(name)), new RowSink() {
      @Override public void accept(LogRow row) {
        assertThat(row.sessionId()).isEqualTo(Samples.sessionId(name));
        assertThat(row.nodeType()).isNotNull();
        assertThat(row.role()).isNotNull();
        assertThat(row.traceId()).isNotNull();
        timestamps.add(row.timestamp());
      }

      @Override public void warning(String kind, String detail) {
        warnings.add(kind + " " + detail);
      }
    });

    assertThat(warnings).isEmpty();
    assertThat(rows).isBetween(10L, 40L);
    assertThat(timestamps).isSorted();
  }

  @ParameterizedTest
  @MethodSource("names")
  void theListingAgreesWithTheHandWorkedTotals(String name) throws IOException {
    Sample sample = Samples.get(name);
    JsonNode summary = resource(sample.expectedResource()).get("summary");
    SessionSummary listed = Samples.source().listSessions(new SessionListQuery(sample.cascadeId(), null, 10, null))
        .sessions().get(0);

    assertThat(listed.sessionId()).isEqualTo(sample.sessionId());
    assertThat(listed.status()).isEqualTo(Status.fromJson(summary.get("status").asText()));
    assertThat(listed.cost()).isCloseTo(summary.get("totalCost").asDouble(), within(1e-9));
    assertThat(listed.duration()).isCloseTo(summary.get("totalDuration").asDouble(), within(1e-6));
  }

  @ParameterizedTest
  @MethodSource("names")
  void eachExpectedResultAddsUp(String name) throws IOException {
    JsonNode expected = resource(Samples.get(name).expectedResource());
    JsonNode phases = expected.get("phases");
    double cost = 0;
    for (JsonNode phase : phases) {
      cost += phase.get("cost").asDouble();
      JsonNode soundings = phase.path("details").path("soundings");
      if (!soundings.isMissingNode()) {
        assertThat(phase.get("soundingWinner")).isEqualTo(soundings.get("winnerIndex"));
      }
    }
    Set<String> visited = new TreeSet<>();
    Map<String, String> handoffs = new LinkedHashMap<>();
    List<String> path = new ArrayList<>();
    expected.get("executedPath").forEach(p -> path.add(p.asText()));
    for (int i = 0; i < path.size(); i++) {
      visited.add(path.get(i));
      if (i > 0) {
        handoffs.put(path.get(i - 1), path.get(i));
      }
    }
    Map<String, String> expectedHandoffs = new LinkedHashMap<>();
    expected.get("executedHandoffs").fields().forEachRemaining(e -> expectedHandoffs.put(e.getKey(), e.getValue().asText()));

    assertThat(expected.get("sessionId").asText()).isEqualTo(Samples.sessionId(name));
    assertThat(expected.at("/summary/totalCost").asDouble()).isCloseTo(cost, within(1e-9));
    assertThat(expected.at("/summary/phaseCount").asInt()).isEqualTo(phases.size());
    assertThat(visited).isEqualTo(new TreeSet<>(iterable(phases.fieldNames())));
    assertThat(expectedHandoffs).isEqualTo(handoffs);
  }

  @ParameterizedTest
  @MethodSource("names")
  void eachCascadeDeclaresWhatItsSessionRan(String name) throws IOException {
    Sample sample = Samples.get(name);
    JsonNode cascade = resource(sample.cascadeResource());
    JsonNode expected = resource(sample.expectedResource());

    assertThat(cascade.get("cascade_id").asText()).isEqualTo(sample.cascadeId());
    assertThat(expected.get("cascadeId").asText()).isEqualTo(sample.cascadeId());
    assertThat(declaredPhases(cascade)).containsAll(iterable(expected.get("phases").fieldNames()));
    expected.get("executedHandoffs").fields().forEachRemaining(e ->
        assertThat(declaredHandoffs(cascade, e.getKey())).contains(e.getValue().asText()));
  }

  @Test
  void theRunningSamplesCascadeHasPhasesThatNeverStarted() throws IOException {
    Sample running = Samples.get("running");
    List<String> declared = declaredPhases(resource(running.cascadeResource()));
    List<String> ran = iterable(resource(running.expectedResource()).get("phases").fieldNames());

    assertThat(declared).containsSubsequence(ran).contains("write_report", "review");
  }

  @Test
  void theSourceOverAllSamplesListsEachSessionOnce() {
    List<SessionSummary> listed = Samples.source().listSessions(SessionListQuery.firstPage(50)).sessions();

    assertThat(listed).extracting(SessionSummary::sessionId)
        .containsExactlyInAnyOrderElementsOf(Samples.all().stream().map(Sample::sessionId).toList());
  }

  private static List<String> iterable(Iterator<String> names) {
    List<String> list = new ArrayList<>();
    names.forEachRemaining(list::add);
    return list;
  }
}
