package dev.execflow.assemble;

import static dev.execflow.Theories.theories;
import static org.assertj.core.api.Assertions.assertThat;
import static org.quicktheories.generators.SourceDSL.integers;
import static org.quicktheories.generators.SourceDSL.lists;
import static org.quicktheories.generators.SourceDSL.longs;

import dev.execflow.json.ExecutionJson;
import dev.execflow.model.ExecutionData;
import dev.execflow.model.PhaseExecution;
import dev.execflow.model.ReforgeStep;
import dev.execflow.model.SoundingAttempt;
import dev.execflow.spi.MutableLogRow;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.quicktheories.core.Gen;

/** Laws the fold keeps for any sequence of rows, however broken. */
class AssemblerPropertiesTest {

  /** One seed per row (see {@link RandomSessions}): shrinking drops and simplifies rows. */
  private static Gen<List<Long>> seeds() {
    return lists().of(longs().all()).ofSizeBetween(0, 120);
  }

  private static Gen<Integer> cuts() {
    return integers().between(0, 120);
  }

  @Test
  void theFoldNeverThrows() {
    theories(400).forAll(seeds()).checkAssert(seeds -> {
      ExecutionData data = RandomSessions.fold(RandomSessions.rows(seeds, true)).snapshot();

      assertThat(data.summary().rowCount()).isLessThanOrEqualTo(seeds.size());
      assertThat(ExecutionJson.read(ExecutionJson.write(data))).isEqualTo(data);
    });
  }

  @Test
  void totalCostIsTheSumOfPhaseCosts() {
    theories(400).forAll(seeds()).checkAssert(seeds -> {
      ExecutionData data = RandomSessions.fold(RandomSessions.rows(seeds, true)).snapshot();

      // Exact: the phases' costs are whole pico-dollars, and so is their sum.
      java.math.BigDecimal sum = java.math.BigDecimal.ZERO;
      for (PhaseExecution p : data.phases().values()) {
        sum = sum.add(java.math.BigDecimal.valueOf(Math.round(p.cost() * 1e12)));
      }
      assertThat(data.summary().totalCost()).isEqualTo(sum.doubleValue() / 1e12);
    });
  }

  @Test
  void phaseCountMatchesPhases() {
    theories(400).forAll(seeds()).checkAssert(seeds -> {
      ExecutionData data = RandomSessions.fold(RandomSessions.rows(seeds, true)).snapshot();

      assertThat(data.summary().phaseCount()).isEqualTo(data.phases().size());
      assertThat(data.phases().keySet()).containsAll(data.executedPath());
      assertThat(data.executedPath()).containsAll(data.phases().keySet());
    });
  }

  @Test
  void everyWinnerIndexLiesInsideItsAttempts() {
    theories(400).forAll(seeds()).checkAssert(seeds -> {
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
    });
  }

  @Test
  void executedHandoffsAgreeWithExecutedPath() {
    theories(400).forAll(seeds()).checkAssert(seeds -> {
      ExecutionData data = RandomSessions.fold(RandomSessions.rows(seeds, true)).snapshot();

      List<String> path = data.executedPath();
      java.util.Map<String, String> lastHandoff = new java.util.LinkedHashMap<>();
      for (int i = 0; i + 1 < path.size(); i++) {
        lastHandoff.put(path.get(i), path.get(i + 1));
      }
      assertThat(data.executedHandoffs()).isEqualTo(lastHandoff);
      assertThat(data.transitions()).hasSize(Math.max(0, path.size() - 1));
    });
  }

  @Test
  void foldingTwoTimeRangesAndMergingEqualsFoldingTheWhole() {
    theories(600).forAll(seeds(), cuts()).checkAssert((seeds, cut) -> {
      List<MutableLogRow> rows = RandomSessions.rows(seeds, false, true);
      int split = timeBoundaryAtOrAfter(rows, Math.min(cut, rows.size()));

      ExecutionAssembler whole = RandomSessions.fold(rows);
      ExecutionAssembler merged = ExecutionAssembler.merge(
          RandomSessions.fold(rows.subList(0, split)), RandomSessions.fold(rows.subList(split, rows.size())));

      assertThat(merged.snapshot()).as(() -> "split at " + split + " of " + rows).isEqualTo(whole.snapshot());
    });
  }

  @Test
  void mergingIsAssociativeOverThreeParts() {
    theories(300).forAll(seeds(), cuts(), cuts()).checkAssert((seeds, cut1, cut2) -> {
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
    });
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
