package dev.execflow.source.jsonl;

import static org.assertj.core.api.Assertions.assertThat;

import dev.execflow.assemble.ExecutionAssembler;
import dev.execflow.spi.LogRow;
import dev.execflow.spi.MutableLogRow;
import dev.execflow.spi.SessionCursor;
import dev.execflow.spi.SessionQuery;
import dev.execflow.spi.SessionTail;
import dev.execflow.spi.TailSink;
import dev.execflow.testing.SessionGenerator;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import java.util.zip.GZIPOutputStream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** {@link JsonlLogSource#tail}: following a file that is being appended to. */
class JsonlTailTest {
  @TempDir Path dir;

  private static String line(double ts, String trace) {
    return "{\"timestamp\": " + ts + ", \"session_id\": \"s1\", \"trace_id\": \"" + trace
        + "\", \"node_type\": \"agent\", \"role\": \"assistant\", \"phase_name\": \"draft\", \"cost\": 0.001}\n";
  }

  /** What polls delivered, restarts clearing it as the tail asks. */
  private static final class Got implements TailSink {
    final List<String> traces = new ArrayList<>();
    final List<String> warnings = new ArrayList<>();
    final List<String> restarts = new ArrayList<>();

    @Override public void accept(LogRow row) {
      traces.add(row.traceId());
    }

    @Override public void warning(String kind, String detail) {
      warnings.add(kind + ": " + detail);
    }

    @Override public void restart(String reason) {
      restarts.add(reason);
      traces.clear();
    }
  }

  private Path file(String text) throws IOException {
    Path file = dir.resolve("logs.jsonl");
    Files.writeString(file, text);
    return file;
  }

  private static void append(Path file, String text) throws IOException {
    Files.writeString(file, text, StandardOpenOption.APPEND);
  }

  private static SessionTail tail(Path fileOrDir) {
    return JsonlLogSource.open(fileOrDir).tail("s1", SessionCursor.START, SessionTail.DEFAULT_LOOK_BACK);
  }

  @Test
  void linesAppendedBetweenPollsComeWithTheNextPoll() throws IOException {
    Path file = file(line(1, "a") + line(2, "b"));
    SessionTail tail = tail(file);
    Got got = new Got();
    tail.poll(got);
    append(file, line(3, "c"));

    assertThat(tail.poll(got)).isEqualTo(1);
    assertThat(tail.poll(got)).isZero();
    assertThat(got.traces).containsExactly("a", "b", "c");
    assertThat(got.warnings).isEmpty();
  }

  @Test
  void aLastLineWithoutItsNewlineWaitsForItWithoutAWarning() throws IOException {
    String whole = line(2, "b");
    Path file = file(line(1, "a") + whole.substring(0, 30));
    SessionTail tail = tail(file);
    Got got = new Got();

    tail.poll(got);
    tail.poll(got);
    append(file, whole.substring(30));
    tail.poll(got);

    assertThat(got.traces).containsExactly("a", "b");
    assertThat(got.warnings).isEmpty();
  }

  @Test
  void aWholeRowThatNeverGetsItsNewlineIsTakenOnceTheFileStopsGrowing() throws IOException {
    String last = line(2, "b");
    Path file = file(line(1, "a") + last.substring(0, last.length() - 1));
    SessionTail tail = tail(file);
    Got first = new Got();
    Got second = new Got();

    tail.poll(first);
    tail.poll(second);
    append(file, "\n" + line(3, "c"));
    tail.poll(second);

    assertThat(first.traces).containsExactly("a");
    assertThat(second.traces).containsExactly("b", "c");
    assertThat(second.warnings).isEmpty();
  }

  @Test
  void aFileTruncatedMidFollowRestartsTheFollowWithAWarning() throws IOException {
    Path file = file(line(1, "a") + line(2, "b") + line(3, "c"));
    SessionTail tail = tail(file);
    Got got = new Got();
    tail.poll(got);
    Files.writeString(file, line(1, "x"));

    tail.poll(got);

    assertThat(got.restarts).singleElement().asString().contains("truncated");
    assertThat(got.traces).containsExactly("x");
    assertThat(got.warnings).singleElement().asString().startsWith("follow_restarted: ");
  }

  @Test
  void aFileReplacedByAnotherAtItsPathRestartsTheFollow() throws IOException {
    Path file = file(line(1, "a"));
    SessionTail tail = tail(file);
    Got got = new Got();
    tail.poll(got);
    Path other = dir.resolve("next.tmp");
    Files.writeString(other, line(1, "y") + line(2, "z"));
    Files.move(other, file, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);

    tail.poll(got);

    assertThat(got.restarts).singleElement().asString().contains("replaced");
    assertThat(got.traces).containsExactly("y", "z");
  }

  @Test
  void aBadLineIsReportedOnceWithItsLineNumber() throws IOException {
    Path file = file(line(1, "a"));
    SessionTail tail = tail(file);
    Got got = new Got();
    tail.poll(got);
    append(file, "{\"timestamp\": 2, \"session_id\": \"s1\", oops}\n" + line(3, "c"));

    tail.poll(got);
    tail.poll(got);

    assertThat(got.warnings).singleElement().asString().startsWith("bad_json_line: ").contains("logs.jsonl:2: ");
    assertThat(got.traces).containsExactly("a", "c");
  }

  @Test
  void aFileNewInTheDirectoryIsFollowedToo() throws IOException {
    Files.writeString(dir.resolve("part-1.jsonl"), line(1, "a"));
    SessionTail tail = tail(dir);
    Got got = new Got();
    tail.poll(got);
    Files.writeString(dir.resolve("part-2.jsonl"), line(2, "b"));

    tail.poll(got);

    assertThat(got.traces).containsExactly("a", "b");
  }

  @Test
  void aGzippedFileIsFollowedAsItGrows() throws IOException {
    Path file = dir.resolve("logs.jsonl.gz");
    try (OutputStream out = new GZIPOutputStream(Files.newOutputStream(file))) {
      out.write((line(1, "a") + line(2, "b")).getBytes(StandardCharsets.UTF_8));
    }
    SessionTail tail = tail(file);
    Got got = new Got();

    tail.poll(got);
    tail.poll(got);

    assertThat(got.traces).containsExactly("a", "b");
  }

  @Test
  void aRowGoingBackInTimeIsDeliveredWithTheWarningAReadGives() throws IOException {
    Path file = file(line(5, "a"));
    SessionTail tail = tail(file);
    Got got = new Got();
    tail.poll(got);
    append(file, line(3, "back"));

    tail.poll(got);

    assertThat(got.traces).containsExactly("a", "back");
    assertThat(got.warnings).singleElement().asString().startsWith("out_of_order_row: ");
    assertThat(tail.deliversLateRows()).isFalse();
  }

  @Test
  void aFileAppendedToInRandomChunksFoldsToTheBatchFold() throws IOException {
    ByteArrayOutputStream whole = new ByteArrayOutputStream();
    new SessionGenerator(7).withSessionId("s1").writeJsonl(whole, 2_000);
    byte[] bytes = whole.toByteArray();
    Path file = file("");
    SessionTail tail = tail(file);
    ExecutionAssembler followed = new ExecutionAssembler();
    Random random = new Random(7);
    int at = 0;
    while (at < bytes.length) {
      int chunk = Math.min(bytes.length - at, 1 + random.nextInt(20_000));
      try (OutputStream out = Files.newOutputStream(file, StandardOpenOption.APPEND)) {
        out.write(bytes, at, chunk); // most chunks end mid-line
      }
      at += chunk;
      tail.poll(TailSink.of(followed));
    }
    tail.poll(TailSink.of(followed));

    ExecutionAssembler batch = new ExecutionAssembler();
    JsonlLogSource.open(file).read(SessionQuery.of("s1"), batch);
    assertThat(followed.snapshot()).isEqualTo(batch.snapshot());
    assertThat(followed.snapshot().warnings().count()).isZero();
  }

  @Test
  void aTailResumedFromACursorSkipsTheRowsAtOrBeforeIt() throws IOException {
    Path file = file(line(1, "a") + line(2, "b") + line(3, "c"));
    MutableLogRow b = new MutableLogRow();
    JsonlLogSource.open(file).read(SessionQuery.of("s1"), row -> {
      if (row.traceId().equals("b")) {
        b.copyFrom(row);
      }
    });
    Got got = new Got();

    JsonlLogSource.open(file).tail("s1", SessionCursor.at(b), SessionTail.DEFAULT_LOOK_BACK).poll(got);

    assertThat(got.traces).containsExactly("c");
  }
}
