package dev.execflow.examples.cli;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.execflow.examples.cli.ExecflowCliTest.Run;
import dev.execflow.json.ExecutionJson;
import dev.execflow.model.ExecutionData;
import dev.execflow.source.jsonl.JsonlWriter;
import dev.execflow.spi.LogRow;
import dev.execflow.spi.MutableLogRow;
import dev.execflow.spi.SessionQuery;
import dev.execflow.testing.Samples;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** {@code execflow follow}: JSON lines of events, as a script reads them. */
class FollowCommandTest {
  private static final ObjectMapper JSON = new ObjectMapper();

  @TempDir Path dir;

  private static List<JsonNode> lines(Run r) throws IOException {
    List<JsonNode> out = new ArrayList<>();
    for (String line : r.out().strip().split("\n")) {
      out.add(JSON.readTree(line));
    }
    return out;
  }

  private static List<String> types(List<JsonNode> lines) {
    return lines.stream().map(n -> n.path("type").asText()).toList();
  }

  private static ExecutionData data(JsonNode event) throws IOException {
    return ExecutionJson.read(JSON.writeValueAsString(event.path("executionData")));
  }

  @Test
  void aSessionThatEndedLongAgoPrintsItsSnapshotThenFinalAndExitsZero() throws Exception {
    Path file = ExecflowCliTest.export(dir, "simple");

    Run r = ExecflowCliTest.run("follow", "--jsonl", file.toString(), "--session", "sample-simple");

    assertThat(r.exit()).isZero();
    assertThat(r.err()).isEmpty();
    List<JsonNode> lines = lines(r);
    assertThat(types(lines)).containsExactly("snapshot", "cascade_complete", "final");
    Run assemble = ExecflowCliTest.run("assemble", "--jsonl", file.toString(), "--session", "sample-simple");
    assertThat(data(lines.get(2))).isEqualTo(ExecutionJson.read(assemble.out()));
  }

  @Test
  void aFileWrittenWhileFollowedEndsWithExactlyWhatAssembleGives() throws Exception {
    // the sample's rows, re-timed to now at 20x speed, written as they happen
    List<LogRow> rows = new ArrayList<>();
    try (var sample = Samples.source("soundings")) {
      sample.read(SessionQuery.of("sample-soundings"), r -> rows.add(new MutableLogRow().copyFrom(r)));
    }
    double first = rows.get(0).timestamp();
    double start = System.currentTimeMillis() / 1000.0;
    List<LogRow> live = rows.stream()
        .map(r -> (LogRow) new MutableLogRow().copyFrom(r).timestamp(start + (r.timestamp() - first) / 20)).toList();
    Path file = dir.resolve("live.jsonl");
    Files.write(file, new byte[0]);
    CompletableFuture<Void> writer = CompletableFuture.runAsync(() -> {
      for (LogRow row : live) {
        long due = (long) (row.timestamp() * 1000) - System.currentTimeMillis();
        try {
          Thread.sleep(Math.max(0, due));
          try (OutputStream out = Files.newOutputStream(file, StandardOpenOption.APPEND);
              JsonlWriter w = new JsonlWriter(out)) {
            w.accept(row);
          }
        } catch (IOException | InterruptedException e) {
          throw new IllegalStateException(e);
        }
      }
    });

    Run r = ExecflowCliTest.run("follow", "--jsonl", file.toString(), "--session", "sample-soundings",
        "--interval", "50", "--grace", "1", "--timeout", "30");
    writer.join();

    assertThat(r.exit()).isZero();
    List<JsonNode> lines = lines(r);
    assertThat(lines.get(0).path("type").asText()).isEqualTo("snapshot");
    assertThat(types(lines)).contains("phase_start", "phase_complete", "sounding_complete", "sounding_winner",
        "cost", "cascade_complete").endsWith("final");
    Run assemble = ExecflowCliTest.run("assemble", "--jsonl", file.toString(), "--session", "sample-soundings");
    assertThat(data(lines.get(lines.size() - 1))).isEqualTo(ExecutionJson.read(assemble.out()));
    assertThat(lines).extracting(n -> n.path("id").asLong()).isSorted().doesNotHaveDuplicates();
  }

  @Test
  void atTheTimeoutTheLastLineIsASnapshotOfTheWholeState() throws Exception {
    Path file = ExecflowCliTest.export(dir, "running");

    Run r = ExecflowCliTest.run("follow", "--jsonl", file.toString(), "--session", "sample-running",
        "--timeout", "0.3");

    assertThat(r.exit()).isZero();
    List<JsonNode> lines = lines(r);
    JsonNode last = lines.get(lines.size() - 1);
    assertThat(last.path("type").asText()).isEqualTo("snapshot");
    assertThat(data(last).summary().status().json()).isEqualTo("running");
    assertThat(data(last)).isEqualTo(data(lines.get(0)));
  }

  @Test
  void aSessionWithoutRowsYetGivesAnEmptySnapshotAndWaits() throws Exception {
    Path file = ExecflowCliTest.export(dir, "simple");

    Run r = ExecflowCliTest.run("follow", "--jsonl", file.toString(), "--session", "not-yet", "--timeout", "0.2");

    assertThat(r.exit()).isZero();
    List<JsonNode> lines = lines(r);
    assertThat(types(lines)).containsExactly("snapshot", "snapshot");
    assertThat(lines.get(0).path("sessionId").asText()).isEqualTo("not-yet");
    assertThat(lines.get(0).path("executionData").path("phases").size()).isZero();
  }

  @Test
  void onSigtermTheLastLineIsAClosingSnapshot() throws Exception {
    Path file = ExecflowCliTest.export(dir, "running");
    Process p = new ProcessBuilder(Path.of(System.getProperty("java.home"), "bin", "java").toString(),
        "-cp", System.getProperty("java.class.path"), ExecflowCli.class.getName(),
        "follow", "--jsonl", file.toString(), "--session", "sample-running")
        .redirectErrorStream(false).start();
    var out = new java.io.BufferedReader(new java.io.InputStreamReader(p.getInputStream(),
        java.nio.charset.StandardCharsets.UTF_8));
    String first = out.readLine();

    // SIGTERM by pid (Process.destroy would also close our end of its output)
    new ProcessBuilder("kill", "-TERM", String.valueOf(p.pid())).start().waitFor();
    List<String> rest = new ArrayList<>();
    String line;
    while ((line = out.readLine()) != null) {
      rest.add(line);
    }
    p.waitFor();

    assertThat(JSON.readTree(first).path("type").asText()).isEqualTo("snapshot");
    assertThat(rest).isNotEmpty();
    JsonNode last = JSON.readTree(rest.get(rest.size() - 1));
    assertThat(last.path("type").asText()).isEqualTo("snapshot");
    assertThat(data(last)).isEqualTo(data(JSON.readTree(first)));
  }

  @Test
  void aBadIntervalIsAUsageError() {
    ExecflowCliTest.run("follow", "--session", "s", "--interval", "0").failedWithOneLine(2, "--interval");
  }

  @Test
  void aMissingFileIsOneLineOnStderr() {
    ExecflowCliTest.run("follow", "--jsonl", dir.resolve("none.jsonl").toString(), "--session", "s")
        .failedWithOneLine(1, "no such file");
  }
}
