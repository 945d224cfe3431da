package dev.execflow.assemble;

import static org.assertj.core.api.Assertions.assertThat;

import dev.execflow.model.ExecutionData;
import dev.execflow.spi.LogRow;
import dev.execflow.testing.SessionGenerator;
import java.util.List;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * The merge law under a bounded trace index: {@code merge(fold(A), fold(B)) == fold(A ++ B)} holds
 * while the later part forgot none of the calls the earlier part knows, and {@code
 * mergesExactlyAfter} says when that may not be so. A 100,000-row generated session (about 40,000
 * calls) cut in two exceeds the default index in each part: some cuts separate a call's two priced
 * rows, and the later part forgets that call before the merge (it would be counted twice).
 */
class MergeExactnessTest {
  private static final int ROWS = 100_000;
  private static List<LogRow> rows;
  private static ExecutionData whole;

  @BeforeAll
  static void generate() {
    rows = new SessionGenerator(42).materialize(ROWS);
    whole = fold(0, ROWS).snapshot();
  }

  private static ExecutionAssembler fold(int from, int to) {
    ExecutionAssembler part = new ExecutionAssembler();
    rows.subList(from, to).forEach(part::accept);
    return part;
  }

  /** The first row at or after {@code at} whose timestamp differs from the row before it. */
  private static int cutBetweenDistinctTimestamps(int at) {
    int cut = at;
    while (rows.get(cut - 1).timestamp() == rows.get(cut).timestamp()) {
      cut++;
    }
    return cut;
  }

  @Test
  void aLaterPartThatForgotNoCallMergesExactly() {
    int cut = cutBetweenDistinctTimestamps(ROWS - 2_000);
    ExecutionAssembler earlier = fold(0, cut);
    ExecutionAssembler later = fold(cut, ROWS);

    assertThat(later.mergesExactlyAfter(earlier)).isTrue();
    assertThat(ExecutionAssembler.merge(earlier, later).snapshot()).isEqualTo(whole);
  }

  @Test
  void wheneverTheLaterPartSaysItMergesExactlyItDoesAndSomeCutsItCannot() {
    int exact = 0;
    int doubtful = 0;
    for (int i = 1; i < 20; i++) {
      int cut = cutBetweenDistinctTimestamps(ROWS * i / 20);
      ExecutionAssembler earlier = fold(0, cut);
      ExecutionAssembler later = fold(cut, ROWS);
      if (later.mergesExactlyAfter(earlier)) {
        exact++;
        assertThat(ExecutionAssembler.merge(earlier, later).snapshot()).as("cut at row %d", cut).isEqualTo(whole);
      } else {
        doubtful++;
      }
    }
    assertThat(exact).as("cuts whose later part kept what the earlier knows").isPositive();
    assertThat(doubtful).as("cuts whose later part forgot a call the earlier knows").isPositive();
  }

  @Test
  void aMergeThatTheLaterPartDoubtsCanDifferFromTheWholeFold() {
    // why the check exists: the cut of BENCHMARKS.md's finding (half way) counts one call twice
    int cut = cutBetweenDistinctTimestamps(ROWS / 2);
    ExecutionAssembler earlier = fold(0, cut);
    ExecutionAssembler later = fold(cut, ROWS);

    assertThat(later.mergesExactlyAfter(earlier)).isFalse();
    assertThat(ExecutionAssembler.merge(earlier, later).snapshot()).isNotEqualTo(whole);
  }
}
