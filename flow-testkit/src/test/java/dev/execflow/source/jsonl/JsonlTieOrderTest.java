package dev.execflow.source.jsonl;

import static org.assertj.core.api.Assertions.assertThat;

import dev.execflow.assemble.AssemblyOptions;
import dev.execflow.assemble.ExecutionAssembler;
import dev.execflow.model.ExecutionData;
import dev.execflow.spi.LogRow;
import dev.execflow.spi.MutableLogRow;
import dev.execflow.spi.RowOrder;
import dev.execflow.spi.SessionQuery;
import dev.execflow.testing.RecordingSink;
import dev.execflow.testing.SessionGenerator;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Random;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Rows with equal timestamps (a second-resolution clock) fold the same whatever their order in the
 * file: the source delivers each timestamp's rows in {@link RowOrder}, as the ClickHouse source's
 * ORDER BY does.
 */
class JsonlTieOrderTest {
  @TempDir Path dir;

  /** A generated session on a second-resolution clock: runs of rows share a timestamp. */
  private static List<LogRow> secondResolutionSession() {
    List<LogRow> rows = new ArrayList<>();
    for (LogRow row : new SessionGenerator(77).materialize(3_000)) {
      MutableLogRow copy = new MutableLogRow().copyFrom(row);
      copy.timestamp(Math.floor(row.timestamp()));
      rows.add(copy);
    }
    return rows;
  }

  private Path write(String name, List<LogRow> rows) throws IOException {
    Path file = dir.resolve(name);
    try (OutputStream out = Files.newOutputStream(file); JsonlWriter writer = new JsonlWriter(out)) {
      rows.forEach(writer::accept);
    }
    return file;
  }

  /** The same rows, shuffled within each timestamp (the order between timestamps kept). */
  private static List<LogRow> shuffledWithinTimestamps(List<LogRow> rows, long seed) {
    Random random = new Random(seed);
    List<LogRow> out = new ArrayList<>();
    int i = 0;
    while (i < rows.size()) {
      int j = i;
      while (j < rows.size() && rows.get(j).timestamp() == rows.get(i).timestamp()) {
        j++;
      }
      List<LogRow> run = new ArrayList<>(rows.subList(i, j));
      Collections.shuffle(run, random);
      out.addAll(run);
      i = j;
    }
    return out;
  }

  private static ExecutionData fold(Path file) {
    try (JsonlLogSource source = JsonlLogSource.open(file)) {
      return ExecutionAssembler.assemble(source, SessionQuery.of("gen-77"), AssemblyOptions.defaults());
    }
  }

  @Test
  void rowsShuffledWithinEachTimestampFoldAsTheCanonicalOrder() throws IOException {
    List<LogRow> canonical = new ArrayList<>(secondResolutionSession());
    canonical.sort(RowOrder.CANONICAL);
    ExecutionAssembler inMemory = new ExecutionAssembler();
    canonical.forEach(inMemory::accept);

    ExecutionData expected = inMemory.snapshot();
    for (long seed = 1; seed <= 3; seed++) {
      assertThat(fold(write("shuffled-" + seed + ".jsonl", shuffledWithinTimestamps(canonical, seed))))
          .as("shuffle %s", seed).isEqualTo(expected);
    }
  }

  @Test
  void eachTimestampsRowsAreDeliveredInRowOrder() throws IOException {
    List<LogRow> canonical = new ArrayList<>(secondResolutionSession());
    canonical.sort(RowOrder.CANONICAL);
    Path file = write("shuffled.jsonl", shuffledWithinTimestamps(canonical, 9));

    RecordingSink sink = new RecordingSink();
    try (JsonlLogSource source = JsonlLogSource.open(file)) {
      source.read(SessionQuery.of("gen-77"), sink);
    }

    assertThat(sink.rows).hasSameSizeAs(canonical).isSortedAccordingTo(RowOrder.CANONICAL);
    assertThat(sink.warnings).isEmpty();
  }
}
