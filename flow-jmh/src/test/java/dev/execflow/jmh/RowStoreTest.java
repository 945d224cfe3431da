package dev.execflow.jmh;

import static org.assertj.core.api.Assertions.assertThat;

import dev.execflow.assemble.ExecutionAssembler;
import dev.execflow.testing.SessionGenerator;
import dev.execflow.spi.LogRow;
import dev.execflow.spi.MutableLogRow;
import java.util.List;
import org.junit.jupiter.api.Test;

class RowStoreTest {
  private static final SessionGenerator GENERATOR = new SessionGenerator(7);

  @Test
  void theCursorPresentsEveryGeneratedRowColumnByColumn() {
    int rows = 3_000;
    List<LogRow> expected = GENERATOR.materialize(rows);
    RowStore store = RowStore.generate(GENERATOR, rows);
    RowStore.Cursor cursor = store.cursor();
    for (int i = 0; i < rows; i++) {
      cursor.position(i);
      assertThat(new MutableLogRow().copyFrom(cursor)).as("row %d", i).usingRecursiveComparison()
          .withEqualsForType((a, b) -> Double.compare(a, b) == 0, Double.class) // NaN is a null column
          .isEqualTo(expected.get(i));
    }
  }

  @Test
  void theStoredSessionFoldsToTheGeneratorsTotals() {
    RowStore store = RowStore.generate(GENERATOR, 20_000);
    ExecutionAssembler assembler = new ExecutionAssembler();
    store.replay(0, store.size(), assembler);

    Checks.agrees(assembler, store.expected(), "20k stored rows"); // throws when it does not
    assertThat(assembler.rows()).isEqualTo(20_000);
  }

  @Test
  void splitCutsBetweenDistinctTimestampsAndCoversEveryRow() {
    RowStore store = RowStore.generate(GENERATOR, 10_000);
    int[] bounds = store.split(4);

    assertThat(bounds).hasSize(5).startsWith(0).endsWith(10_000).isSorted();
    for (int k = 1; k < 4; k++) {
      assertThat(store.timestamp(bounds[k] - 1)).isLessThan(store.timestamp(bounds[k]));
    }
  }

  @Test
  void partsFoldedSeparatelyMergeToTheWholeSessionsTotals() {
    RowStore store = RowStore.generate(GENERATOR, 20_000);
    int[] bounds = store.split(3);
    ExecutionAssembler merged = null;
    for (int k = 0; k < 3; k++) {
      ExecutionAssembler part = new ExecutionAssembler();
      store.replay(bounds[k], bounds[k + 1], part);
      merged = merged == null ? part : ExecutionAssembler.merge(merged, part);
    }

    Checks.agrees(merged, store.expected(), "3 merged parts");
  }
}
