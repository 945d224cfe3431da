package dev.execflow.source.jsonl;

import static org.assertj.core.api.Assertions.assertThat;

import dev.execflow.spi.ColumnMapping;
import dev.execflow.spi.LogRow;
import dev.execflow.spi.MutableLogRow;
import dev.execflow.spi.SessionQuery;
import dev.execflow.testing.RecordingSink;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class JsonlWriterTest {
  @TempDir Path dir;

  private static final MutableLogRow FULL = new MutableLogRow().timestamp(1736071200.25).sessionId("s1")
      .messageId("m-1").traceId("t1").parentId("t0").nodeType("agent").role("assistant").depth(2)
      .soundingIndex(1).isWinner(true).winningSoundingIndex(1).reforgeStep(2).attemptNumber(0)
      .turnNumber(3).phaseName("draft").cascadeId("c").model("m").cost(0.0012).tokensIn(222)
      .tokensOut(40).durationMs(1500).contentJson("\"hi \\\"you\\\"\"").metadataJson("{\"a\": [1]}");

  private static String write(ColumnMapping mapping, boolean int64AsStrings, LogRow... rows) {
    ByteArrayOutputStream bytes = new ByteArrayOutputStream();
    try (JsonlWriter writer = new JsonlWriter(bytes, mapping, int64AsStrings)) {
      for (LogRow row : rows) {
        writer.accept(row);
      }
    }
    return bytes.toString(StandardCharsets.UTF_8);
  }

  private static void assertSameRow(LogRow actual, LogRow expected) {
    assertThat(actual).usingRecursiveComparison().isEqualTo(expected);
  }

  @Test
  void everyColumnSurvivesAWriteAndRead() throws IOException {
    Path file = Files.writeString(dir.resolve("one.jsonl"), write(ColumnMapping.WINDLASS, true, FULL));
    RecordingSink sink = new RecordingSink();

    JsonlLogSource.open(file).read(SessionQuery.of("s1"), sink);

    assertSameRow(sink.rows.get(0), FULL);
  }

  @Test
  void writesOneLinePerRowLeavingNullColumnsOut() {
    LogRow sparse = new MutableLogRow().timestamp(1.5).sessionId("s1").nodeType("cascade");

    String text = write(ColumnMapping.WINDLASS, false, sparse, sparse);

    assertThat(text).isEqualTo("{\"timestamp\":1.5,\"session_id\":\"s1\",\"node_type\":\"cascade\"}\n"
        + "{\"timestamp\":1.5,\"session_id\":\"s1\",\"node_type\":\"cascade\"}\n");
  }

  @Test
  void quotes64BitIntegersAsClickHouseDoes() {
    assertThat(write(ColumnMapping.WINDLASS, true, FULL)).contains("\"tokens_in\":\"222\"");
    assertThat(write(ColumnMapping.WINDLASS, false, FULL)).contains("\"tokens_in\":222");
  }

  @Test
  void writesDecimalsWithoutExponents() {
    assertThat(write(ColumnMapping.WINDLASS, false, FULL)).contains("\"timestamp\":1736071200.25", "\"cost\":0.0012");
    assertThat(write(ColumnMapping.WINDLASS, false, new MutableLogRow().timestamp(1.736071200109E9).cost(1.44E-4)))
        .contains("\"timestamp\":1736071200.109", "\"cost\":0.000144");
  }

  @Test
  void writesTheLaterSchemasNamesWithItsMapping() throws IOException {
    String text = write(ColumnMapping.RVBBIT, false, FULL);
    Path file = Files.writeString(dir.resolve("rvbbit.jsonl"), text);
    RecordingSink sink = new RecordingSink();

    JsonlLogSource.open(file).read(SessionQuery.of("s1"), sink);

    assertThat(text).contains("\"cell_name\":\"draft\"", "\"candidate_index\":1", "\"winning_candidate_index\":1");
    assertSameRow(sink.rows.get(0), FULL);
  }
}
