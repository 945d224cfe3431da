package dev.execflow.testing.conformance;

import static org.assertj.core.api.Assertions.assertThat;

import dev.execflow.assemble.ExecutionAssembler;
import dev.execflow.spi.LogRow;
import dev.execflow.spi.SessionQuery;
import java.util.ArrayList;
import java.util.List;
import java.util.TreeSet;
import org.junit.jupiter.api.Test;

/** Reading part of a session: {@code [from, until)}, and parts that merge into the whole. */
public abstract class TimeRangeConformance extends ConformanceFamily {

  @Test
  protected void aTimeRangeDeliversExactlyTheRowsItCovers() {
    String sessionId = uniqueId("range");
    List<LogRow> loaded = loadSample("soundings", sessionId, null);
    List<Double> times = new ArrayList<>(new TreeSet<>(loaded.stream().map(LogRow::timestamp).toList()));
    double from = times.get(2);
    double until = times.get(times.size() - 2);

    List<Double> part = new ArrayList<>();
    source().read(SessionQuery.of(sessionId).from(from).until(until), row -> part.add(row.timestamp()));

    assertThat(part).containsExactlyElementsOf(
        loaded.stream().map(LogRow::timestamp).filter(t -> t >= from && t < until).sorted().toList());
  }

  @Test
  protected void aRangeWithoutRowsDeliversNothing() {
    String sessionId = uniqueId("range-empty");
    loadSample("simple", sessionId, null);
    List<LogRow> rows = new ArrayList<>();

    source().read(SessionQuery.of(sessionId).from(1.0).until(2.0), rows::add);

    assertThat(rows).isEmpty();
  }

  @Test
  protected void foldingThreeRangesAndMergingEqualsFoldingTheWhole() {
    String sessionId = uniqueId("range-merge");
    loadGenerated(21, 3_000, sessionId, "generated_cascade");
    List<Double> times = new ArrayList<>();
    source().read(SessionQuery.of(sessionId), row -> times.add(row.timestamp()));
    double first = times.get(times.size() / 3);
    double second = times.get(2 * times.size() / 3);
    SessionQuery whole = SessionQuery.of(sessionId);

    ExecutionAssembler a = new ExecutionAssembler(OPTIONS);
    ExecutionAssembler b = new ExecutionAssembler(OPTIONS);
    ExecutionAssembler c = new ExecutionAssembler(OPTIONS);
    source().read(whole.until(first), a);
    source().read(whole.from(first).until(second), b);
    source().read(whole.from(second), c);

    assertThat(ExecutionAssembler.merge(ExecutionAssembler.merge(a, b), c).snapshot())
        .isEqualTo(fold(sessionId));
  }
}
