package dev.execflow.assemble;

import static org.assertj.core.api.Assertions.assertThat;

import dev.execflow.json.ExecutionJson;
import dev.execflow.model.ExecutionData;
import dev.execflow.model.PhaseExecution;
import dev.execflow.model.ReforgeStep;
import dev.execflow.model.SoundingAttempt;
import dev.execflow.spi.MutableLogRow;
import java.util.List;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;
import net.jqwik.api.constraints.IntRange;

/** Laws the fold keeps for any sequence of rows, however broken. */
class AssemblerPropertiesTest {

  @Provide
  Arbitrary<List<Long>> seeds() {
    return Arbitraries.longs().list().ofMaxSize(120);
  }

  @Property(tries = 400)
  void theFoldNeverThrows(@ForAll("seeds") List<Long> seeds) {
    ExecutionData data = RandomSessions.fold(RandomSessions.rows(seeds, true)).snapshot();

    assertThat(data.summary().rowCount()).isLessThanOrEqualTo(seeds.size());
    assertThat(ExecutionJson.read(ExecutionJson.write(data))).isEqualTo(data);
  }

  @Property(tries = 400)
  void totalCostIsTheSumOfPhaseCosts(@ForAll("seeds") List<Long> seeds) {
    ExecutionData data = RandomSessions.fold(RandomSessions.rows(seeds, true)).snapshot();

    double sum = 0;
    for (PhaseExecution p : data.phases().values()) {
      sum += p.cost();
    }
    assertThat(data.summary().totalCost()).isEqualTo(sum);
  }

  @Property(tries = 400)
  void phaseCountMatchesPhases(@ForAll("seeds") List<Long> seeds) {
    ExecutionData data = RandomSessions.fold(RandomSessions.rows(seeds, true)).snapshot();

    assertThat(data.summary().phaseCount()).isEqualTo(data.phases().size());
    assertThat(data.phases().keySet()).containsAll(data.executedPath());
    assertThat(data.executedPath()).containsAll(data.phases().keySet());
  }

  @Property(tries = 400)
  void everyWinnerIndexLiesInsideItsAttempts(@ForAll("seeds") List<Long> seeds) {
    ExecutionData data = RandomSessions.fold(RandomSessions.rows(seeds, true)).snapshot();

    for (PhaseExecution p : data.phases().values()) {
      var soundings = p.details().soundings();
      if (soundings != null && soundings.winnerIndex() != null) {
        assertThat(soundings.attempts()).extracting(SoundingAttempt::index).contains(soundings.winnerIndex());
        assertThat(soundings.attempts()).filteredOn(SoundingAttempt::winner).singleElement()
            .extracting(SoundingAttempt::index).isEqualTo(soundings.winnerIndex());
      } else if (soundings != null) {
        assertThat(soundings.attempts()).noneMatch(SoundingAttempt::winner);
      }
      assertThat(p.soundingWinner()).isEqualTo(soundings == null ? null : soundings.winnerIndex());
      if (p.details().reforge() != null) {
        assertThat(p.details().reforge().reforgeSteps()).extracting(ReforgeStep::step).isSorted();
      }
    }
  }

  @Property(tries = 400)
  void executedHandoffsAgreeWithExecutedPath(@ForAll("seeds") List<Long> seeds) {
    ExecutionData data = RandomSessions.fold(RandomSessions.rows(seeds, true)).snapshot();

    List<String> path = data.executedPath();
    java.util.Map<String, String> lastHandoff = new java.util.LinkedHashMap<>();
    for (int i = 0; i + 1 < path.size(); i++) {
      lastHandoff.put(path.get(i), path.get(i + 1));
    }
    assertThat(data.executedHandoffs()).isEqualTo(lastHandoff);
    assertThat(data.transitions()).hasSize(Math.max(0, path.size() - 1));
  }

  @Property(tries = 600)
  void foldingTwoTimeRangesAndMergingEqualsFoldingTheWhole(
      @ForAll("seeds") List<Long> seeds, @ForAll @IntRange(min = 0, max = 120) int cut) {
    List<MutableLogRow> rows = RandomSessions.rows(seeds, false, true);
    int split = timeBoundaryAtOrAfter(rows, Math.min(cut, rows.size()));

    ExecutionAssembler whole = RandomSessions.fold(rows);
    ExecutionAssembler merged = ExecutionAssembler.merge(
        RandomSessions.fold(rows.subList(0, split)), RandomSessions.fold(rows.subList(split, rows.size())));

    assertThat(merged.snapshot()).as(() -> "split at " + split + " of " + rows).isEqualTo(whole.snapshot());
  }

  @Property(tries = 300)
  void mergingIsAssociativeOverThreeParts(
      @ForAll("seeds") List<Long> seeds,
      @ForAll @IntRange(min = 0, max = 120) int cut1,
      @ForAll @IntRange(min = 0, max = 120) int cut2) {
    List<MutableLogRow> rows = RandomSessions.rows(seeds, false, true);
    int a = timeBoundaryAtOrAfter(rows, Math.min(Math.min(cut1, cut2), rows.size()));
    int b = timeBoundaryAtOrAfter(rows, Math.max(a, Math.min(Math.max(cut1, cut2), rows.size())));
    ExecutionAssembler p1 = RandomSessions.fold(rows.subList(0, a));
    ExecutionAssembler p2 = RandomSessions.fold(rows.subList(a, b));
    ExecutionAssembler p3 = RandomSessions.fold(rows.subList(b, rows.size()));

    ExecutionData whole = RandomSessions.fold(rows).snapshot();
    assertThat(ExecutionAssembler.merge(ExecutionAssembler.merge(p1, p2), p3).snapshot())
        .as(() -> "left, cuts " + a + "/" + b + " of " + rows).isEqualTo(whole);
    assertThat(ExecutionAssembler.merge(p1, ExecutionAssembler.merge(p2, p3)).snapshot())
        .as(() -> "right, cuts " + a + "/" + b + " of " + rows).isEqualTo(whole);
  }

  /** Splits fall between distinct timestamps, as a time-range query splits a session. */
  private static int timeBoundaryAtOrAfter(List<MutableLogRow> rows, int index) {
    int i = index;
    while (i > 0 && i < rows.size() && rows.get(i).timestamp() == rows.get(i - 1).timestamp()) {
      i++;
    }
    return i;
  }
}
