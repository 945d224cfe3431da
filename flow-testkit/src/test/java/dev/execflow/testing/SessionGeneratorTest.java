package dev.execflow.testing;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.within;

import dev.execflow.model.Status;
import dev.execflow.source.jsonl.JsonlLogSource;
import dev.execflow.spi.LogRow;
import dev.execflow.spi.RowSink;
import dev.execflow.spi.SessionListQuery;
import dev.execflow.spi.SessionQuery;
import dev.execflow.spi.SessionSummary;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.zip.GZIPOutputStream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;
import org.junit.jupiter.params.provider.ValueSource;

class SessionGeneratorTest {
  @TempDir Path dir;

  private static String jsonl(SessionGenerator generator, long rows) {
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    generator.writeJsonl(out, rows);
    return out.toString(StandardCharsets.UTF_8);
  }

  @Test
  void theSameSeedGivesTheSameRows() {
    assertThat(jsonl(new SessionGenerator(7), 5_000)).isEqualTo(jsonl(new SessionGenerator(7), 5_000));
  }

  @Test
  void anotherSeedGivesOtherRows() {
    assertThat(jsonl(new SessionGenerator(7), 2_000)).isNotEqualTo(jsonl(new SessionGenerator(8), 2_000));
  }

  @ParameterizedTest
  @ValueSource(longs = {6, 7, 8, 9, 10, 11, 13, 17, 25, 64, 100, 999, 12_345, 80_000})
  void generatesExactlyTheRowsAskedFor(long rows) {
    for (Status outcome : List.of(Status.COMPLETED, Status.ERROR, Status.RUNNING)) {
      long[] seen = {0};
      SessionGenerator.Expected expected = new SessionGenerator(rows).withOutcome(outcome)
          .generate(rows, row -> seen[0]++);

      assertThat(seen[0]).as("%s rows, %s", rows, outcome).isEqualTo(rows);
      assertThat(expected.rows()).isEqualTo(rows);
    }
  }

  @Test
  void refusesSessionsTooSmallToHaveAPhase() {
    assertThatThrownBy(() -> new SessionGenerator(1).expected(5))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("at least 6 rows");
  }

  @Test
  void rowsComeInTimestampOrderAndCarryTheSessionId() {
    List<Double> timestamps = new ArrayList<>();
    new SessionGenerator(3).withSessionId("s-3").generate(3_000, row -> {
      assertThat(row.sessionId()).isEqualTo("s-3");
      timestamps.add(row.timestamp());
    });

    assertThat(timestamps).isSorted().doesNotHaveDuplicates();
  }

  @Test
  void materializedRowsAreIndependentCopies() {
    List<LogRow> rows = new SessionGenerator(5).materialize(500);

    assertThat(rows).hasSize(500).doesNotHaveDuplicates();
    assertThat(rows.get(0).nodeType()).isEqualTo("cascade");
    assertThat(rows.get(499).nodeType()).isEqualTo("cascade_completed");
  }

  @Test
  void containsThePitfallsItPromises() {
    Map<String, Integer> kinds = new HashMap<>();
    new SessionGenerator(11).generate(50_000, row -> {
      String kind = row.nodeType() + "/" + row.role() + (row.phaseName() == null ? "/no-phase" : "");
      kinds.merge(kind, 1, Integer::sum);
    });

    assertThat(kinds).containsKeys("tool_call/tool/no-phase", "tool_result/tool/no-phase",
        "cost_update/system/no-phase", "follow_up/assistant/no-phase", "phase/phase_start/no-phase",
        "turn/structure", "sounding_attempt/sounding_attempt", "evaluator/evaluator", "reforge_step/system",
        "reforge_attempt/system", "reforge_winner/system", "pre_ward/ward", "post_ward/ward");
  }

  /** Totals recomputed from the rows alone, by the rules the fold applies. */
  private static final class Recount implements RowSink {
    final Map<String, Long> priced = new HashMap<>();
    final Set<String> calls = new HashSet<>();
    final Set<String> phases = new LinkedHashSet<>();
    final Pattern name = Pattern.compile("\"(.*)\"");
    long rows;
    int visits;
    Status status = Status.RUNNING;
    double first = Double.NaN;
    double last;

    @Override
    public void accept(LogRow row) {
      rows++;
      first = Double.isNaN(first) ? row.timestamp() : first;
      last = row.timestamp();
      if ("assistant".equals(row.role())) {
        calls.add(row.traceId());
      }
      if (("assistant".equals(row.role()) || "cost_update".equals(row.nodeType())) && !Double.isNaN(row.cost())) {
        priced.putIfAbsent(row.traceId(), Math.round(row.cost() * 1e6));
      }
      if ("phase_start".equals(row.role())) {
        visits++;
        if (row.phaseName() != null) {
          phases.add(row.phaseName());
        } else {
          Matcher m = name.matcher(row.contentJson());
          assertThat(m.matches()).isTrue();
          phases.add(m.group(1));
        }
      }
      if ("cascade_completed".equals(row.nodeType())) {
        status = Status.COMPLETED;
      } else if ("cascade_failed".equals(row.nodeType())) {
        status = Status.ERROR;
      }
    }

    long costMicros() {
      return priced.values().stream().mapToLong(Long::longValue).sum();
    }
  }

  @ParameterizedTest
  @EnumSource(value = Status.class, names = {"COMPLETED", "ERROR", "RUNNING"})
  void theExpectedTotalsAgreeWithTheRows(Status outcome) {
    Recount recount = new Recount();
    SessionGenerator.Expected expected = new SessionGenerator(21).withOutcome(outcome).generate(40_000, recount);

    assertThat(expected.rows()).isEqualTo(recount.rows);
    assertThat(expected.llmCalls()).isEqualTo(recount.calls.size()).isEqualTo(recount.priced.size());
    assertThat(expected.costMicros()).isEqualTo(recount.costMicros());
    assertThat(expected.phaseVisits()).isEqualTo(recount.visits).isGreaterThan(10);
    assertThat(expected.distinctPhases()).isEqualTo(recount.phases.size()).isLessThan(expected.phaseVisits());
    assertThat(expected.status()).isEqualTo(outcome).isEqualTo(recount.status);
    assertThat(expected.firstTimestamp()).isEqualTo(recount.first);
    assertThat(expected.lastTimestamp()).isEqualTo(recount.last);
    assertThat(expected.totalCost()).isEqualTo(expected.costMicros() / 1e6);
  }

  @Test
  void expectedIsTheSameWithoutKeepingRows() {
    SessionGenerator generator = new SessionGenerator(4);

    assertThat(generator.expected(10_000)).isEqualTo(generator.generate(10_000, row -> {}));
  }

  @Test
  void writtenJsonlReadsBackWithTheSameRows() throws IOException {
    Path file = dir.resolve("gen.jsonl.gz");
    SessionGenerator generator = new SessionGenerator(9).withSessionId("g-9");
    SessionGenerator.Expected expected;
    try (OutputStream out = new GZIPOutputStream(Files.newOutputStream(file))) {
      expected = generator.writeJsonl(out, 5_000);
    }
    Recount recount = new Recount();
    List<String> warnings = new ArrayList<>();

    long read = JsonlLogSource.open(file).read(SessionQuery.of("g-9"), new RowSink() {
      @Override public void accept(LogRow row) {
        recount.accept(row);
      }

      @Override public void warning(String kind, String detail) {
        warnings.add(kind + " " + detail);
      }
    });

    assertThat(warnings).isEmpty();
    assertThat(read).isEqualTo(5_000);
    assertThat(recount.costMicros()).isEqualTo(expected.costMicros());
    assertThat(recount.visits).isEqualTo(expected.phaseVisits());
    assertThat(recount.last).isEqualTo(expected.lastTimestamp());
  }

  @Test
  void severalSessionsShareOneFile() throws IOException {
    Path file = dir.resolve("three.jsonl");
    List<SessionGenerator.Expected> written = new ArrayList<>();
    List<Status> outcomes = List.of(Status.COMPLETED, Status.ERROR, Status.RUNNING);
    try (OutputStream out = Files.newOutputStream(file)) {
      for (int i = 0; i < 3; i++) {
        written.add(new SessionGenerator(i).withSessionId("multi-" + i).withOutcome(outcomes.get(i))
            .withStart(1736071200.0 + i * 36_000).writeJsonl(out, 3_000 + i));
      }
    }
    JsonlLogSource source = JsonlLogSource.open(file);
    List<SessionSummary> listed = source.listSessions(SessionListQuery.firstPage(10)).sessions();

    assertThat(listed).extracting(SessionSummary::sessionId).containsExactly("multi-2", "multi-1", "multi-0");
    for (int i = 0; i < 3; i++) {
      SessionGenerator.Expected expected = written.get(i);
      SessionSummary summary = listed.get(2 - i);
      assertThat(source.read(SessionQuery.of("multi-" + i), row -> {})).isEqualTo(3_000 + i);
      assertThat(summary.rowCount()).isEqualTo(expected.rows());
      assertThat(summary.cost()).isCloseTo(expected.totalCost(), within(1e-9));
      assertThat(summary.status()).isEqualTo(expected.status());
      assertThat(summary.duration()).isCloseTo(expected.totalDuration(), within(1e-6));
    }
  }
}
