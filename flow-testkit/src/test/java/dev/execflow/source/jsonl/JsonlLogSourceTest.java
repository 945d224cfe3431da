package dev.execflow.source.jsonl;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.within;

import dev.execflow.spi.LogRow;
import dev.execflow.spi.LogSourceException;
import dev.execflow.spi.SessionQuery;
import dev.execflow.testing.RecordingSink;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.Arrays;
import java.util.zip.GZIPOutputStream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class JsonlLogSourceTest {
  @TempDir Path dir;

  private static final String THREE_ROWS = """
      {"timestamp": 100.0, "session_id": "s1", "trace_id": "t0", "node_type": "cascade", "role": "system", "cascade_id": "demo"}
      {"timestamp": 101.5, "session_id": "s1", "trace_id": "t1", "parent_id": "t0", "node_type": "phase", "role": "phase_start", "phase_name": "draft"}
      {"timestamp": 103.25, "session_id": "s1", "trace_id": "t2", "parent_id": "t1", "node_type": "agent", "role": "assistant", "phase_name": "draft", "model": "m-1", "cost": 0.0012, "tokens_in": 222, "tokens_out": 40, "turn_number": 0}
      """;

  private Path write(String name, String text) throws IOException {
    Path file = dir.resolve(name);
    Files.writeString(file, text);
    return file;
  }

  private Path writeGzip(String name, String text) throws IOException {
    Path file = dir.resolve(name);
    try (OutputStream out = new GZIPOutputStream(Files.newOutputStream(file))) {
      out.write(text.getBytes(StandardCharsets.UTF_8));
    }
    return file;
  }

  private static RecordingSink read(JsonlLogSource source, String sessionId) {
    RecordingSink sink = new RecordingSink();
    long count = source.read(SessionQuery.of(sessionId), sink);
    assertThat(count).isEqualTo(sink.rows.size());
    return sink;
  }

  @Test
  void readsEveryColumnOfAPlainFile() throws IOException {
    RecordingSink sink = read(JsonlLogSource.open(write("s1.jsonl", THREE_ROWS)), "s1");

    assertThat(sink.nodeTypes()).containsExactly("cascade", "phase", "agent");
    LogRow call = sink.rows.get(2);
    assertThat(call.timestamp()).isEqualTo(103.25);
    assertThat(call.traceId()).isEqualTo("t2");
    assertThat(call.parentId()).isEqualTo("t1");
    assertThat(call.role()).isEqualTo("assistant");
    assertThat(call.phaseName()).isEqualTo("draft");
    assertThat(call.model()).isEqualTo("m-1");
    assertThat(call.cost()).isEqualTo(0.0012);
    assertThat(call.tokensIn()).isEqualTo(222);
    assertThat(call.tokensOut()).isEqualTo(40);
    assertThat(call.turnNumber()).isZero();
    assertThat(sink.rows.get(0).cascadeId()).isEqualTo("demo");
    assertThat(sink.warnings).isEmpty();
  }

  @Test
  void absentAndNullColumnsReadAsNull() throws IOException {
    String line = "{\"timestamp\": 1, \"session_id\": \"s1\", \"node_type\": \"agent\", \"cost\": null, "
        + "\"phase_name\": null, \"sounding_index\": null, \"is_winner\": null}\n";
    LogRow row = read(JsonlLogSource.open(write("s.jsonl", line)), "s1").rows.get(0);

    assertThat(row.cost()).isNaN();
    assertThat(row.phaseName()).isNull();
    assertThat(row.soundingIndex()).isEqualTo(LogRow.NO_INT);
    assertThat(row.reforgeStep()).isEqualTo(LogRow.NO_INT);
    assertThat(row.tokensIn()).isEqualTo(LogRow.NO_LONG);
    assertThat(row.isWinner()).isNull();
    assertThat(row.contentJson()).isNull();
  }

  @Test
  void readsAGzippedFile() throws IOException {
    RecordingSink sink = read(JsonlLogSource.open(writeGzip("s1.jsonl.gz", THREE_ROWS)), "s1");

    assertThat(sink.nodeTypes()).containsExactly("cascade", "phase", "agent");
  }

  @Test
  void recognisesGzipByItsMagicBytesWhateverTheFileIsCalled() throws IOException {
    RecordingSink sink = read(JsonlLogSource.open(writeGzip("export.jsonl", THREE_ROWS)), "s1");

    assertThat(sink.nodeTypes()).containsExactly("cascade", "phase", "agent");
  }

  @Test
  void readsConcatenatedGzipMembers() throws IOException {
    Path file = dir.resolve("two-members.jsonl.gz");
    try (OutputStream out = Files.newOutputStream(file)) {
      for (String part : THREE_ROWS.split("(?<=\n)", 2)) {
        GZIPOutputStream member = new GZIPOutputStream(out);
        member.write(part.getBytes(StandardCharsets.UTF_8));
        member.finish();
      }
    }

    assertThat(read(JsonlLogSource.open(file), "s1").rows).hasSize(3);
  }

  @Test
  void plainRowsAppendedToAGzipFileAreAWarningNotASilentLoss() throws IOException {
    Path file = writeGzip("appended.jsonl.gz", THREE_ROWS.lines().limit(2).map(l -> l + "\n").reduce("", String::concat));
    Files.writeString(file, THREE_ROWS.lines().skip(2).map(l -> l + "\n").reduce("", String::concat),
        java.nio.file.StandardOpenOption.APPEND);

    RecordingSink sink = read(JsonlLogSource.open(file), "s1");

    assertThat(sink.nodeTypes()).containsExactly("cascade", "phase");
    assertThat(sink.warnings).singleElement().asString()
        .startsWith("trailing_data: " + file + ": ").contains("after gzip member 1").contains("not read");
  }

  @Test
  void aCorruptSecondGzipMemberIsAWarningAndTheFirstIsKept() throws IOException {
    Path file = dir.resolve("corrupt.jsonl.gz");
    try (OutputStream out = Files.newOutputStream(file)) {
      GZIPOutputStream first = new GZIPOutputStream(out);
      first.write(THREE_ROWS.getBytes(StandardCharsets.UTF_8));
      first.finish();
      ByteArrayOutputStream second = new ByteArrayOutputStream();
      try (GZIPOutputStream g = new GZIPOutputStream(second)) {
        g.write(THREE_ROWS.getBytes(StandardCharsets.UTF_8));
      }
      byte[] bytes = second.toByteArray();
      for (int i = 12; i < bytes.length - 8; i++) {
        bytes[i] ^= 0x5A; // the compressed data, not the header
      }
      out.write(bytes);
    }

    RecordingSink sink = read(JsonlLogSource.open(file), "s1");

    assertThat(sink.rows).hasSize(3);
    assertThat(sink.warnings).anySatisfy(w -> assertThat(w).startsWith("corrupt_gzip: " + file + ": gzip member 2 is corrupt"));
  }

  @Test
  void aGzipMemberWithAWrongChecksumIsAWarning() throws IOException {
    Path file = writeGzip("crc.jsonl.gz", THREE_ROWS);
    byte[] bytes = Files.readAllBytes(file);
    bytes[bytes.length - 8] ^= 1;
    Files.write(file, bytes);

    RecordingSink sink = read(JsonlLogSource.open(file), "s1");

    assertThat(sink.warnings).anySatisfy(w -> assertThat(w).contains("corrupt_gzip").contains("checksum"));
  }

  @Test
  void aTruncatedGzipFileKeepsItsRowsAndWarns() throws IOException {
    StringBuilder many = new StringBuilder();
    for (int i = 0; i < 2000; i++) {
      many.append("{\"timestamp\": ").append(i).append(", \"session_id\": \"s1\", \"node_type\": \"tool_call\", "
          + "\"content_json\": \"\\\"call number ").append(i * 7919L % 10007).append("\\\"\"}\n");
    }
    Path whole = writeGzip("whole.gz", many.toString());
    byte[] bytes = Files.readAllBytes(whole);
    Path cut = dir.resolve("cut.jsonl.gz");
    Files.write(cut, Arrays.copyOf(bytes, bytes.length * 2 / 3));

    RecordingSink sink = read(JsonlLogSource.open(cut), "s1");

    assertThat(sink.rows).isNotEmpty().hasSizeLessThan(2000);
    assertThat(sink.warnings).anySatisfy(w -> assertThat(w).startsWith("truncated_file: " + cut));
  }

  @Test
  void readsEveryJsonlFileOfADirectoryInNameOrder() throws IOException {
    write("a.jsonl", THREE_ROWS.lines().limit(1).map(l -> l + "\n").reduce("", String::concat));
    writeGzip("b.jsonl.gz", THREE_ROWS.lines().skip(1).limit(1).map(l -> l + "\n").reduce("", String::concat));
    write("c.ndjson", THREE_ROWS.lines().skip(2).map(l -> l + "\n").reduce("", String::concat));
    write("notes.txt", "{\"session_id\": \"s1\", \"node_type\": \"ignored\"}\n");

    RecordingSink sink = read(JsonlLogSource.open(dir), "s1");

    assertThat(sink.nodeTypes()).containsExactly("cascade", "phase", "agent");
  }

  @Test
  void aSessionSplitOverFilesIsMergedByTimestamp() throws IOException {
    write("worker-1.jsonl", """
        {"timestamp": 1, "session_id": "s1", "node_type": "a"}
        {"timestamp": 4, "session_id": "s1", "node_type": "d"}
        {"timestamp": 5, "session_id": "s1", "node_type": "e2", "trace_id": "t2"}
        """);
    writeGzip("worker-2.jsonl.gz", """
        {"timestamp": 2, "session_id": "s1", "node_type": "b"}
        {"timestamp": 3, "session_id": "other", "node_type": "x"}
        {"timestamp": 3, "session_id": "s1", "node_type": "c"}
        {"timestamp": 5, "session_id": "s1", "node_type": "e1", "trace_id": "t1"}
        {"timestamp": 6, "session_id": "s1", "node_type": "f"}
        """);

    RecordingSink sink = read(JsonlLogSource.open(dir), "s1");

    assertThat(sink.nodeTypes()).as("by time; equal times by the canonical tie-break (trace t1 before t2)")
        .containsExactly("a", "b", "c", "d", "e1", "e2", "f");
    assertThat(sink.warnings).isEmpty();
  }

  @Test
  void aMergedReadStillWarnsAboutAFileThatGoesBackInTime() throws IOException {
    write("one.jsonl", "{\"timestamp\": 5, \"session_id\": \"s1\"}\n{\"timestamp\": 1, \"session_id\": \"s1\"}\n");
    write("two.jsonl", "{\"timestamp\": 3, \"session_id\": \"s1\"}\n");

    RecordingSink sink = read(JsonlLogSource.open(dir), "s1");

    assertThat(sink.rows).hasSize(3);
    assertThat(sink.warnings).singleElement().asString().startsWith("out_of_order_row: ");
  }

  @Test
  void seesFilesAddedToTheDirectoryAfterOpening() throws IOException {
    JsonlLogSource source = JsonlLogSource.open(dir);
    assertThat(read(source, "s1").rows).isEmpty();

    write("late.jsonl", THREE_ROWS);

    assertThat(read(source, "s1").rows).hasSize(3);
  }

  @Test
  void deliversOnlyTheQueriedSession() throws IOException {
    String text = """
        {"timestamp": 1, "session_id": "s-1", "node_type": "cascade"}
        {"timestamp": 2, "session_id": "s-10", "node_type": "cascade"}
        {"timestamp": 3, "session_id": "s-1", "node_type": "agent", "content_json": "\\"see s-10\\""}
        {"timestamp": 4, "session_id": "other", "node_type": "agent", "content_json": "\\"about \\\\\\"s-1\\\\\\"\\""}
        """;
    JsonlLogSource source = JsonlLogSource.open(write("mixed.jsonl", text));

    assertThat(read(source, "s-1").rows).extracting(LogRow::timestamp).containsExactly(1.0, 3.0);
    assertThat(read(source, "s-10").rows).extracting(LogRow::timestamp).containsExactly(2.0);
    assertThat(read(source, "missing").rows).isEmpty();
  }

  @Test
  void findsSessionIdsThatJsonWritersEscape() throws IOException {
    String text = "{\"timestamp\": 1, \"session_id\": \"runs\\/2025\\u00e9\", \"node_type\": \"cascade\"}\n";
    JsonlLogSource source = JsonlLogSource.open(write("escaped.jsonl", text));

    assertThat(read(source, "runs/2025\u00e9").rows).hasSize(1);
  }

  @Test
  void filtersToTheHalfOpenTimeRange() throws IOException {
    JsonlLogSource source = JsonlLogSource.open(write("s1.jsonl", THREE_ROWS));
    RecordingSink sink = new RecordingSink();

    source.read(SessionQuery.of("s1").from(101.5).until(103.25), sink);

    assertThat(sink.rows).extracting(LogRow::timestamp).containsExactly(101.5);
  }

  @Test
  void acceptsIntegersWrittenAsFloatsOrStrings() throws IOException {
    String line = "{\"timestamp\": \"1736071200.5\", \"session_id\": \"s1\", \"node_type\": \"agent\", "
        + "\"turn_number\": 1.0, \"tokens_in\": \"222\", \"tokens_out\": \"40.0\", \"sounding_index\": \"2\", "
        + "\"reforge_step\": 1, \"depth\": -1, \"attempt_number\": \"\", \"cost\": \"0.0012\", \"duration_ms\": 1500}\n";
    LogRow row = read(JsonlLogSource.open(write("s.jsonl", line)), "s1").rows.get(0);

    assertThat(row.timestamp()).isEqualTo(1736071200.5);
    assertThat(row.turnNumber()).isEqualTo(1);
    assertThat(row.tokensIn()).isEqualTo(222);
    assertThat(row.tokensOut()).isEqualTo(40);
    assertThat(row.soundingIndex()).isEqualTo(2);
    assertThat(row.reforgeStep()).isEqualTo(1);
    assertThat(row.depth()).isEqualTo(-1);
    assertThat(row.attemptNumber()).isEqualTo(LogRow.NO_INT);
    assertThat(row.cost()).isEqualTo(0.0012);
    assertThat(row.durationMs()).isEqualTo(1500.0);
  }

  @Test
  void acceptsWinnerFlagsAsBooleansNumbersOrStrings() throws IOException {
    String text = """
        {"timestamp": 1, "session_id": "s1", "is_winner": true}
        {"timestamp": 2, "session_id": "s1", "is_winner": 0}
        {"timestamp": 3, "session_id": "s1", "is_winner": "1"}
        {"timestamp": 4, "session_id": "s1", "is_winner": "false"}
        {"timestamp": 5, "session_id": "s1", "is_winner": 1.0}
        """;
    RecordingSink sink = read(JsonlLogSource.open(write("s.jsonl", text)), "s1");

    assertThat(sink.rows).extracting(LogRow::isWinner).containsExactly(true, false, true, false, true);
  }

  @Test
  void readsDateTime64AndIsoTimestampsAsUtc() throws IOException {
    double tenOClock = Instant.parse("2025-01-05T10:00:00Z").getEpochSecond();
    String text = """
        {"timestamp": "2025-01-05 10:00:00.123456", "session_id": "s1"}
        {"timestamp": "2025-01-05T10:00:01Z", "session_id": "s1"}
        {"timestamp": "2025-01-05T12:00:02.5+02:00", "session_id": "s1"}
        {"timestamp": "2025-01-05 10:00:03", "session_id": "s1"}
        {"timestamp": "2024-02-29 00:00:00", "session_id": "s1"}
        """;
    RecordingSink sink = read(JsonlLogSource.open(write("s.jsonl", text)), "s1");

    assertThat(sink.rows.get(0).timestamp()).isCloseTo(tenOClock + 0.123456, within(1e-6));
    assertThat(sink.rows.get(1).timestamp()).isEqualTo(tenOClock + 1);
    assertThat(sink.rows.get(2).timestamp()).isEqualTo(tenOClock + 2.5);
    assertThat(sink.rows.get(3).timestamp()).isEqualTo(tenOClock + 3);
    assertThat(sink.rows.get(4).timestamp()).isEqualTo(Instant.parse("2024-02-29T00:00:00Z").getEpochSecond());
  }

  @Test
  void aTimestampThatIsNoDateIsABadLine() throws IOException {
    String text = """
        {"timestamp": "2025-02-30 10:00:00", "session_id": "s1"}
        {"timestamp": "yesterday", "session_id": "s1"}
        """;
    RecordingSink sink = read(JsonlLogSource.open(write("s.jsonl", text)), "s1");

    assertThat(sink.rows).isEmpty();
    assertThat(sink.warnings).hasSize(2).allSatisfy(w -> assertThat(w).contains("timestamp"));
  }

  @Test
  void acceptsTheLaterSchemasColumnNames() throws IOException {
    String line = "{\"timestamp\": \"2025-01-05 10:00:00.000000\", \"session_id\": \"s1\", "
        + "\"message_id\": \"9b2f\", \"node_type\": \"candidate_attempt\", \"cell_name\": \"draft\", "
        + "\"candidate_index\": 2, \"winning_candidate_index\": \"2\"}\n";
    LogRow row = read(JsonlLogSource.open(write("s.jsonl", line)), "s1").rows.get(0);

    assertThat(row.phaseName()).isEqualTo("draft");
    assertThat(row.soundingIndex()).isEqualTo(2);
    assertThat(row.winningSoundingIndex()).isEqualTo(2);
    assertThat(row.messageId()).isEqualTo("9b2f");
  }

  @Test
  void keepsEmbeddedJsonContentAsItsRawText() throws IOException {
    String line = "{\"session_id\": \"s1\", \"content_json\": {\"text\": \"h\u00e9llo\", \"n\": [1, 2]}, "
        + "\"metadata_json\": [\"a\"], \"timestamp\": 5}\n";
    LogRow row = read(JsonlLogSource.open(write("s.jsonl", line)), "s1").rows.get(0);

    assertThat(row.contentJson()).isEqualTo("{\"text\": \"h\u00e9llo\", \"n\": [1, 2]}");
    assertThat(row.metadataJson()).isEqualTo("[\"a\"]");
    assertThat(row.timestamp()).isEqualTo(5.0);
  }

  @Test
  void keepsJsonStringContentAsTheJsonTextItHolds() throws IOException {
    String line = "{\"session_id\": \"s1\", \"content_json\": \"\\\"draft\\\"\", "
        + "\"metadata_json\": \"{\\\"winner_index\\\": 2}\"}\n";
    LogRow row = read(JsonlLogSource.open(write("s.jsonl", line)), "s1").rows.get(0);

    assertThat(row.contentJson()).isEqualTo("\"draft\"");
    assertThat(row.metadataJson()).isEqualTo("{\"winner_index\": 2}");
  }

  @Test
  void aBadLineIsReportedWithItsLineNumberAndTheOtherRowsStillArrive() throws IOException {
    String text = THREE_ROWS.lines().limit(2).map(l -> l + "\n").reduce("", String::concat)
        + "{\"timestamp\": 102, \"session_id\": \"s1\", \"node_type\": \n"
        + THREE_ROWS.lines().skip(2).map(l -> l + "\n").reduce("", String::concat);
    Path file = write("s1.jsonl", text);

    RecordingSink sink = read(JsonlLogSource.open(file), "s1");

    assertThat(sink.nodeTypes()).containsExactly("cascade", "phase", "agent");
    assertThat(sink.warnings).singleElement().asString().startsWith("bad_json_line: " + file + ":3: ");
  }

  @Test
  void aValueOfTheWrongTypeMakesABadLineNamingTheColumn() throws IOException {
    String text = """
        {"timestamp": 1, "session_id": "s1", "turn_number": "first"}
        {"timestamp": 2, "session_id": "s1", "cost": {"usd": 1}}
        {"timestamp": 3, "session_id": "s1", "sounding_index": 1.5}
        {"timestamp": 4, "session_id": "s1", "is_winner": "maybe"}
        {"timestamp": 5, "session_id": "s1", "node_type": "agent"}
        """;
    RecordingSink sink = read(JsonlLogSource.open(write("s.jsonl", text)), "s1");

    assertThat(sink.rows).extracting(LogRow::timestamp).containsExactly(5.0);
    assertThat(sink.warnings).hasSize(4);
    assertThat(sink.warnings.get(0)).endsWith(":1: turn_number: expected an integer, got \"first\"");
    assertThat(sink.warnings.get(1)).endsWith(":2: cost: expected a number, got an object");
    assertThat(sink.warnings.get(2)).endsWith(":3: sounding_index: expected an integer, got 1.5");
    assertThat(sink.warnings.get(3)).endsWith(":4: is_winner: expected true/false/0/1, got maybe");
  }

  @Test
  void skipsBlankLinesAndWindowsLineEndings() throws IOException {
    String text = "\n" + THREE_ROWS.replace("\n", "\r\n") + "\r\n   \n";
    RecordingSink sink = read(JsonlLogSource.open(write("s1.jsonl", text)), "s1");

    assertThat(sink.rows).hasSize(3);
    assertThat(sink.warnings).isEmpty();
  }

  @Test
  void readsALastLineWithoutNewline() throws IOException {
    RecordingSink sink = read(JsonlLogSource.open(write("s1.jsonl", THREE_ROWS.strip())), "s1");

    assertThat(sink.rows).hasSize(3);
  }

  @Test
  void skipsAnOverlongLineWithAWarningAndReadsOn() throws IOException {
    String longLine = "{\"timestamp\": 102, \"session_id\": \"s1\", \"content_json\": \"" + "x".repeat(5000) + "\"}";
    String[] rows = THREE_ROWS.split("\n");
    String text = rows[0] + "\n" + rows[1] + "\n" + longLine + "\n" + rows[2] + "\n" + longLine;
    Path file = write("s1.jsonl", text);

    RecordingSink sink = read(JsonlLogSource.open(file).withMaxLineLength(1000), "s1");

    assertThat(sink.nodeTypes()).containsExactly("cascade", "phase", "agent");
    assertThat(sink.warnings).containsExactly(
        "line_too_long: " + file + ":3: longer than 1000 bytes, skipped",
        "line_too_long: " + file + ":5: longer than 1000 bytes, skipped");
  }

  @Test
  void readsLinesLongerThanTheReadChunkCuttingTheirContentToTheBound() throws IOException {
    String content = "y".repeat(300_000);
    String text = "{\"timestamp\": 1, \"session_id\": \"s1\", \"content_json\": \"" + content + "\"}\n" + THREE_ROWS;

    RecordingSink sink = read(JsonlLogSource.open(write("s1.jsonl", text)), "s1");

    assertThat(sink.rows).hasSize(4);
    assertThat(sink.rows.get(0).contentJson()).isEqualTo("y".repeat(dev.execflow.spi.ContentCut.DEFAULT_CODE_POINTS));
    assertThat(sink.warnings).as("content is cut by design, without a warning").isEmpty();
  }

  @Test
  void deliversAnOutOfOrderRowAndWarnsAboutIt() throws IOException {
    String text = """
        {"timestamp": 10, "session_id": "s1", "node_type": "a"}
        {"timestamp": 12, "session_id": "s1", "node_type": "b"}
        {"timestamp": 11, "session_id": "s1", "node_type": "c"}
        """;
    Path file = write("s1.jsonl", text);

    RecordingSink sink = read(JsonlLogSource.open(file), "s1");

    assertThat(sink.nodeTypes()).containsExactly("a", "b", "c");
    assertThat(sink.warnings).singleElement().asString()
        .startsWith("out_of_order_row: " + file + ":3: timestamp 11.0 is before");
  }

  @Test
  void aMissingFileIsABadInputWithOneClearLine() {
    Path missing = dir.resolve("nope.jsonl");

    assertThatThrownBy(() -> JsonlLogSource.open(missing))
        .isInstanceOf(LogSourceException.class)
        .hasMessage("No such JSONL file or directory: " + missing.toAbsolutePath())
        .extracting(e -> ((LogSourceException) e).reason())
        .isEqualTo(LogSourceException.Reason.BAD_INPUT);
  }

  @Test
  void aMissingResourceIsABadInput() {
    assertThatThrownBy(() -> JsonlLogSource.fromResource("dev/execflow/nothing-here.jsonl"))
        .isInstanceOf(LogSourceException.class)
        .hasMessage("No such classpath resource: dev/execflow/nothing-here.jsonl");
  }

  @Test
  void readsAClasspathResource() {
    RecordingSink sink = read(JsonlLogSource.fromResource("dev/execflow/source/jsonl/two-sessions.jsonl"), "r1");

    assertThat(sink.nodeTypes()).containsExactly("cascade", "cascade_completed");
  }

  @Test
  void aClosedSourceRefusesToRead() throws IOException {
    JsonlLogSource source = JsonlLogSource.open(write("s1.jsonl", THREE_ROWS));
    source.close();

    assertThatThrownBy(() -> read(source, "s1"))
        .isInstanceOf(LogSourceException.class)
        .hasMessageContaining("closed");
  }
}
