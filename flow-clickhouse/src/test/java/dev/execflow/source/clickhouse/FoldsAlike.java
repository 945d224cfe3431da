package dev.execflow.source.clickhouse;

import static org.assertj.core.api.Assertions.assertThat;

import dev.execflow.assemble.ExecutionAssembler;
import dev.execflow.json.ExecutionJson;
import dev.execflow.model.ExecutionData;
import dev.execflow.spi.LogRow;
import dev.execflow.spi.MutableLogRow;
import dev.execflow.spi.SessionQuery;
import dev.execflow.testing.Samples;
import java.util.ArrayList;
import java.util.List;

/** The law of the strategies: one session folded by streaming and by pushdown gives equal {@code ExecutionData}. */
final class FoldsAlike {
  private FoldsAlike() {}

  /**
   * Folds {@code sessionId} both ways, asserts the results equal (showing both as JSON when they do
   * not), and returns how pushdown went.
   */
  static FoldReport check(ClickHouseLogSource source, String sessionId) {
    ExecutionAssembler streamed = new ExecutionAssembler();
    FoldReport stream = source.fold(SessionQuery.of(sessionId), streamed, Strategy.STREAM);
    ExecutionAssembler pushed = new ExecutionAssembler();
    FoldReport pushdown = source.fold(SessionQuery.of(sessionId), pushed, Strategy.PUSHDOWN);
    ExecutionData expected = streamed.snapshot();
    ExecutionData actual = pushed.snapshot();
    if (!actual.equals(expected)) {
      assertThat(ExecutionJson.writePretty(actual)).as("pushdown (%s) vs stream of %s", pushdown, sessionId)
          .isEqualTo(ExecutionJson.writePretty(expected));
      assertThat(actual).as("pushdown (%s) vs stream of %s", pushdown, sessionId).isEqualTo(expected);
    }
    assertThat(pushdown.rows()).as("rows read").isEqualTo(stream.rows());
    return pushdown;
  }

  /** The rows of sample {@code name}, under {@code sessionId}. */
  static List<LogRow> sample(String name, String sessionId) {
    List<LogRow> rows = new ArrayList<>();
    try (var source = Samples.source(name)) {
      source.read(SessionQuery.of(Samples.sessionId(name)), row -> rows.add(new MutableLogRow().copyFrom(row)
          .sessionId(sessionId)));
    }
    return rows;
  }
}
