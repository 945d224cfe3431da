package dev.execflow.source.jsonl;

import static org.assertj.core.api.Assertions.assertThat;

import dev.execflow.spi.ContentCut;
import dev.execflow.spi.LogRow;
import dev.execflow.spi.SessionListQuery;
import dev.execflow.spi.SessionQuery;
import dev.execflow.testing.RecordingSink;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * What the JSONL source keeps of a line: the fields execflow reads, each bounded while reading
 * (content as every source cuts it), unknown fields skipped unread; and how it finds a session
 * whose id is written as a number or with escapes.
 */
class JsonlProjectionTest {
  @TempDir Path dir;

  private JsonlLogSource source(String text) throws IOException {
    Path file = dir.resolve("t.jsonl");
    Files.writeString(file, text);
    return JsonlLogSource.open(file);
  }

  private static RecordingSink read(JsonlLogSource source, String id) {
    RecordingSink sink = new RecordingSink();
    source.read(SessionQuery.of(id), sink);
    return sink;
  }

  @Test
  void aNumericSessionIdIsListedAndFoundAsItsDigits() throws IOException {
    JsonlLogSource s = source("{\"timestamp\": 1, \"session_id\": 12345, \"node_type\": \"cascade\"}\n"
        + "{\"timestamp\": 2, \"session_id\": 123456, \"node_type\": \"cascade\"}\n");

    assertThat(s.listSessions(SessionListQuery.firstPage(10)).sessions())
        .extracting(x -> x.sessionId()).containsExactlyInAnyOrder("12345", "123456");
    assertThat(read(s, "12345").rows).hasSize(1);
  }

  @Test
  void aPlainSessionIdWrittenWithEscapesIsFound() throws IOException {
    JsonlLogSource s = source("{\"timestamp\": 1, \"session_id\": \"s\\u002d1\", \"node_type\": \"cascade\"}\n");

    assertThat(read(s, "s-1").rows).hasSize(1);
  }

  @Test
  void anEscapedFieldNameIsStillRead() throws IOException {
    JsonlLogSource s = source("{\"timestamp\": 1, \"session\\u005fid\": \"s1\", \"node_type\": \"cascade\"}\n");

    assertThat(read(s, "s1").rows).extracting(LogRow::nodeType).containsExactly("cascade");
  }

  @Test
  void aNullSessionIdMatchesNoSession() throws IOException {
    JsonlLogSource s = source("{\"timestamp\": 1, \"session_id\": null, \"node_type\": \"cascade\"}\n");

    assertThat(read(s, "null").rows).isEmpty();
  }

  @Test
  void contentLongerThanTheBoundIsCutAndItsJsonStringClosedAsClickHouseContentIs() throws IOException {
    String text = "\\\"" + "\u00e9".repeat(5000) + "\\\""; // a JSON string of 5,000 characters
    RecordingSink sink = read(source("{\"timestamp\": 1, \"session_id\": \"s1\", \"content_json\": \"" + text + "\"}\n"), "s1");

    String content = sink.rows.get(0).contentJson();
    assertThat(content).isEqualTo("\"" + "\u00e9".repeat(ContentCut.DEFAULT_CODE_POINTS - 1) + "\"");
    assertThat(sink.warnings).isEmpty();
  }

  @Test
  void aCutNeverSplitsAnEscapedSurrogatePair() throws IOException {
    // 4,095 ASCII characters, then an emoji written as an escaped pair: the pair is the 4,096th code point
    String line = "{\"timestamp\": 1, \"session_id\": \"s1\", \"content_json\": \"" + "a".repeat(4095)
        + "\\ud83d\\ude00" + "b".repeat(10) + "\"}\n";
    String content = read(source(line), "s1").rows.get(0).contentJson();

    assertThat(content).hasSize(4097).endsWith("a\ud83d\ude00");
  }

  @Test
  void embeddedJsonContentLongerThanTheBoundArrivesAsItsCutRawText() throws IOException {
    String big = "{\"text\": \"" + "x".repeat(10_000) + "\"}";
    String content = read(source("{\"timestamp\": 1, \"session_id\": \"s1\", \"content_json\": " + big + "}\n"), "s1")
        .rows.get(0).contentJson();

    assertThat(content).isEqualTo(big.substring(0, ContentCut.DEFAULT_CODE_POINTS));
  }

  @Test
  void otherValuesOverTheirBoundAreCutWithAWarningNamingTheField() throws IOException {
    String meta = "{\\\"k\\\": \\\"" + "m".repeat(JsonlLogSource.MAX_VALUE_CHARS) + "\\\"}";
    RecordingSink sink = read(source("{\"timestamp\": 1, \"session_id\": \"s1\", \"metadata_json\": \"" + meta + "\"}\n"), "s1");

    assertThat(sink.rows.get(0).metadataJson()).hasSize(JsonlLogSource.MAX_VALUE_CHARS);
    assertThat(sink.warnings).singleElement().asString().startsWith("value_cut: ").contains("metadata_json");
  }

  @Test
  void fieldsExecflowDoesNotReadAreSkippedWhateverTheyHold() throws IOException {
    String line = "{\"timestamp\": 1, \"extra\": {\"deep\": [1, {\"x\": \"}]\\\"\"}], \"y\": \"" + "z".repeat(100_000)
        + "\"}, \"session_id\": \"s1\", \"unique_key_0001\": 7, \"node_type\": \"agent\"}\n";
    RecordingSink sink = read(source(line), "s1");

    assertThat(sink.rows).extracting(LogRow::nodeType).containsExactly("agent");
    assertThat(sink.warnings).isEmpty();
  }

  @Test
  void brokenStructureIsABadLineSayingWhatWasWrong() throws IOException {
    String text = """
        {"timestamp": 1, "session_id": "s1" "node_type": "a"}
        {"timestamp": 2, "session_id": "s1", "node_type": "b"} trailing
        [1, 2]
        {"timestamp": 4, "session_id": "s1", "node_type": "d"
        {"timestamp": 5, "session_id": "s1", "node_type": "e"}
        """;
    RecordingSink sink = read(source(text), "s1");

    assertThat(sink.rows).extracting(LogRow::nodeType).containsExactly("e");
    assertThat(sink.warnings).hasSize(4);
    assertThat(sink.warnings.get(0)).contains(":1: expected ',' or '}' after a value");
    assertThat(sink.warnings.get(1)).contains(":2: text after the JSON object");
    assertThat(sink.warnings.get(2)).contains(":3: not a JSON object");
    assertThat(sink.warnings.get(3)).contains(":4: the line ends before its JSON object does");
  }
}
