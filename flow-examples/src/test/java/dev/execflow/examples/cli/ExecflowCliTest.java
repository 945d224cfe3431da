package dev.execflow.examples.cli;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.execflow.examples.server.FlowServer;
import dev.execflow.testing.Samples;
import java.io.IOException;
import java.io.InputStream;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.net.ServerSocket;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Nested;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The CLI run in-process, as a user's shell would see it: stdout, stderr, exit code. */
class ExecflowCliTest {
  private static final ObjectMapper JSON = new ObjectMapper();

  /** What one run printed and returned. */
  record Run(int exit, String out, String err) {
    JsonNode json() throws IOException {
      return JSON.readTree(out);
    }

    /** A failure as a user should see it: exactly one line on stderr, no Java internals. */
    Run failedWithOneLine(int expectedExit, String messagePart) {
      assertThat(exit).as("exit code").isEqualTo(expectedExit);
      assertThat(err.strip().lines()).as("stderr: " + err).hasSize(1);
      // no stack trace and no Java exception class name (a server's own error text may say "Exception")
      assertThat(err).contains(messagePart).doesNotContain("\tat ")
          .doesNotContainPattern("\\b[a-z]+(\\.[a-z0-9]+)+\\.[A-Z]\\w*(Exception|Error)\\b");
      assertThat(out).isEmpty();
      return this;
    }
  }

  static Run run(String... args) {
    return run(server -> {}, args);
  }

  static Run run(ServerHook hook, String... args) {
    StringWriter out = new StringWriter();
    StringWriter err = new StringWriter();
    int exit = ExecflowCli.execute(new PrintWriter(out), new PrintWriter(err), hook, args);
    return new Run(exit, out.toString(), err.toString());
  }

  /** Copies a bundled sample's rows to a file, as a user's export would be. */
  static Path export(Path dir, String sample) throws IOException {
    Path file = dir.resolve(sample + ".jsonl");
    try (InputStream in = ExecflowCliTest.class.getClassLoader()
        .getResourceAsStream(Samples.get(sample).sessionResource())) {
      Files.copy(in, file);
    }
    return file;
  }

  @Nested
  class Assemble {
    @Test
    void printsTheExecutionDataOfABundledSample() throws Exception {
      Run r = run("assemble", "--session", "sample-soundings");

      assertThat(r.exit()).isZero();
      assertThat(r.err()).isEmpty();
      assertThat(r.out().strip().lines()).as("compact: one line").hasSize(1);
      JsonNode data = r.json();
      assertThat(data.path("sessionId").asText()).isEqualTo("sample-soundings");
      assertThat(data.path("executedPath").toString()).isEqualTo("[\"brief\",\"tagline\",\"finalize\"]");
      assertThat(data.path("phases").path("tagline").path("soundingWinner").asInt()).isEqualTo(2);
      assertThat(data.path("summary").path("status").asText()).isEqualTo("completed");
    }

    @Test
    void readsAJsonlFile(@TempDir Path dir) throws Exception {
      Path file = export(dir, "failed");

      Run r = run("assemble", "--jsonl", file.toString(), "--session", "sample-failed", "--pretty");

      assertThat(r.exit()).isZero();
      assertThat(r.out().lines().count()).as("pretty: indented over many lines").isGreaterThan(20);
      assertThat(r.json().path("phases").path("transform").path("status").asText()).isEqualTo("error");
      assertThat(r.json().path("summary").path("status").asText()).isEqualTo("error");
    }

    @Test
    void readsADirectoryOfJsonlFiles(@TempDir Path dir) throws Exception {
      export(dir, "simple");
      export(dir, "loop");

      Run r = run("assemble", "--jsonl", dir.toString(), "--session", "sample-loop");

      assertThat(r.exit()).isZero();
      assertThat(r.json().path("executedPath")).hasSize(4);
    }

    @Test
    void overlaysTheCascadeDefinitionsOfADirectory(@TempDir Path dir) throws Exception {
      Path cascades = Files.createDirectory(dir.resolve("cascades"));
      try (InputStream in = getClass().getClassLoader().getResourceAsStream(Samples.get("failed").cascadeResource())) {
        Files.copy(in, cascades.resolve("data_pipeline.json"));
      }

      Run r = run("assemble", "--session", "sample-failed", "--cascades", cascades.toString());

      assertThat(r.exit()).isZero();
      assertThat(r.json().path("phases").path("load").path("status").asText()).isEqualTo("pending");
    }

    @Test
    void missingFileIsOneLineAndExit1(@TempDir Path dir) {
      Path missing = dir.resolve("nope.jsonl");

      run("assemble", "--jsonl", missing.toString(), "--session", "s1")
          .failedWithOneLine(1, "no such file or directory: " + missing);
    }

    @Test
    void unknownSessionIsOneLineAndExit1() {
      run("assemble", "--session", "no-such-session")
          .failedWithOneLine(1, "unknown session 'no-such-session'");
    }

    @Test
    void missingSessionOptionIsAUsageErrorExit2() {
      run("assemble").failedWithOneLine(2, "Missing required option: '--session=ID'");
    }

    @Test
    void unknownOptionIsAUsageErrorExit2() {
      run("assemble", "--session", "sample-simple", "--frobnicate")
          .failedWithOneLine(2, "Unknown option: '--frobnicate'");
    }

    @Test
    void missingCascadesDirectoryIsOneLine(@TempDir Path dir) {
      run("assemble", "--session", "sample-simple", "--cascades", dir.resolve("none").toString())
          .failedWithOneLine(1, "no such directory");
    }

    @Test
    void jsonlAndClickHouseTogetherIsOneLine(@TempDir Path dir) throws Exception {
      run("assemble", "--jsonl", export(dir, "simple").toString(), "--clickhouse", "http://127.0.0.1:1",
          "--session", "s").failedWithOneLine(1, "give one of --jsonl, --clickhouse, --jdbc and --parquet");
    }
  }

  @Nested
  class Sessions {
    @Test
    void printsATableOfTheBundledSamplesNewestFirst() {
      Run r = run("sessions");

      assertThat(r.exit()).isZero();
      List<String> lines = r.out().lines().toList();
      assertThat(lines.get(0)).startsWith("SESSION").contains("CASCADE", "STATUS", "COST", "DURATION", "STARTED");
      assertThat(lines).hasSize(1 + Samples.names().size());
      assertThat(lines.get(1)).startsWith("sample-reforge").contains("logo_brief_reforge", "completed", "$0.0026");
      assertThat(r.out()).contains("sample-running").contains("running");
    }

    @Test
    void filtersByStatusAndCascade() {
      assertThat(run("sessions", "--status", "error").out()).contains("sample-failed", "sample-wards")
          .doesNotContain("sample-simple");
      assertThat(run("sessions", "--cascade", "blog_post").out().lines().count()).isEqualTo(2);
    }

    @Test
    void limitsAndTellsHowToGetTheRest() {
      Run r = run("sessions", "--limit", "2");

      assertThat(r.out().lines().filter(l -> l.startsWith("sample-")).count()).isEqualTo(2);
      assertThat(r.out()).contains("more: add --after ");
    }

    @Test
    void printsJsonOnRequest() throws Exception {
      Run r = run("sessions", "--json", "--status", "running");

      assertThat(r.exit()).isZero();
      JsonNode sessions = r.json().path("sessions");
      assertThat(sessions).hasSize(1);
      assertThat(sessions.get(0).path("session_id").asText()).isEqualTo("sample-running");
      assertThat(sessions.get(0).path("status").asText()).isEqualTo("running");
    }

    @Test
    void listsAJsonlDirectory(@TempDir Path dir) throws Exception {
      export(dir, "wards");

      Run r = run("sessions", "--jsonl", dir.toString());

      assertThat(r.out().lines().toList()).hasSize(2);
      assertThat(r.out()).contains("sample-wards");
    }

    @Test
    void emptyDirectorySaysSo(@TempDir Path dir) {
      Run r = run("sessions", "--jsonl", dir.toString());

      assertThat(r.exit()).isZero();
      assertThat(r.out()).contains("no sessions in " + dir);
    }

    @Test
    void badStatusIsAUsageError() {
      run("sessions", "--status", "done").failedWithOneLine(2, "--status must be completed, running or error");
    }

    @Test
    void badLimitIsAUsageError() {
      run("sessions", "--limit", "0").failedWithOneLine(2, "--limit must be between 1 and 10000");
      run("sessions", "--limit", "many").failedWithOneLine(2, "Invalid value for option '--limit'");
    }
  }

  @Nested
  class Honesty {
    @org.junit.jupiter.api.io.TempDir Path dir;

    private Path truncatedGzip() throws IOException {
      StringBuilder rows = new StringBuilder();
      for (int i = 0; i < 3000; i++) {
        rows.append("{\"timestamp\": ").append(1000 + i).append(", \"session_id\": \"cut\", \"trace_id\": \"t")
            .append(i).append("\", \"node_type\": \"tool_call\", \"role\": \"tool\", \"content_json\": \"\\\"n")
            .append(i * 7919L % 10007).append("\\\"\"}\n");
      }
      java.io.ByteArrayOutputStream gz = new java.io.ByteArrayOutputStream();
      try (java.util.zip.GZIPOutputStream out = new java.util.zip.GZIPOutputStream(gz)) {
        out.write(rows.toString().getBytes(java.nio.charset.StandardCharsets.UTF_8));
      }
      byte[] bytes = gz.toByteArray();
      Path file = dir.resolve("cut.jsonl.gz");
      Files.write(file, java.util.Arrays.copyOf(bytes, bytes.length / 2));
      return file;
    }

    @Test
    void aTruncatedInputPrintsTheJsonButSaysSoOnStderrAndExits3() throws IOException {
      Run r = run("assemble", "--jsonl", truncatedGzip().toString(), "--session", "cut");

      assertThat(r.exit()).isEqualTo(ExecflowCli.EXIT_INCOMPLETE);
      assertThat(r.json().path("warnings").path("byKind").path("truncated_file").asInt()).isEqualTo(1);
      assertThat(r.err().strip().lines()).singleElement().asString()
          .startsWith("warning: input ends early; rows may be missing (").contains("truncated_file 1");
    }

    @Test
    void unreadableLinesExit3NamingHowManyAreMissing() throws IOException {
      Path file = dir.resolve("bad.jsonl");
      Files.writeString(file, "{\"timestamp\": 1, \"session_id\": \"s\", \"node_type\": \"cascade\"}\n{oops\n{\"x\": \n");

      Run r = run("assemble", "--jsonl", file.toString(), "--session", "s");

      assertThat(r.exit()).isEqualTo(3);
      assertThat(r.err()).startsWith("warning: 2 input lines could not be read as rows; they are missing");
    }

    @Test
    void warningsOfTheFoldAloneAreOneLineWithExit0() throws IOException {
      Path file = dir.resolve("odd.jsonl");
      Files.writeString(file, "{\"timestamp\": 1, \"session_id\": \"s\", \"node_type\": \"cascade\", \"role\": \"system\"}\n"
          + "{\"timestamp\": 2, \"session_id\": \"s\", \"node_type\": \"mystery\", \"role\": \"oracle\"}\n");

      Run r = run("assemble", "--jsonl", file.toString(), "--session", "s");

      assertThat(r.exit()).isZero();
      assertThat(r.json().path("warnings").path("byKind").path("unknown_node_type").asInt()).isEqualTo(1);
      assertThat(r.err().strip().lines()).singleElement().asString()
          .isEqualTo("warning: 1 row could not be interpreted (unknown_node_type 1; see \"warnings\" in the output)");
    }

    @Test
    void aListingThatLeftSessionsOutExits3() throws IOException {
      Path file = dir.resolve("many.jsonl");
      StringBuilder rows = new StringBuilder();
      for (int i = 0; i < 5; i++) {
        rows.append("{\"timestamp\": ").append(i).append(", \"session_id\": \"s").append(i).append("\"}\n");
      }
      rows.append("{broken\n");
      Files.writeString(file, rows);

      Run r = run("sessions", "--jsonl", file.toString(), "--json");

      assertThat(r.exit()).isEqualTo(3);
      assertThat(r.json().path("warnings").get(0).asText()).contains("bad_json_line=1");
      assertThat(r.err()).startsWith("warning: 1 problem reading ");
    }

    @Test
    void outputThatCannotBeWrittenFailsWithOneLine() {
      org.junit.jupiter.api.Assumptions.assumeTrue(Files.isWritable(Path.of("/dev/full")), "no /dev/full here");
      StringWriter err = new StringWriter();
      int exit;
      try (java.io.FileOutputStream full = new java.io.FileOutputStream("/dev/full")) {
        exit = ExecflowCli.execute(new PrintWriter(full), new PrintWriter(err), server -> {},
            "assemble", "--session", "sample-soundings", "--pretty");
      } catch (IOException e) {
        throw new java.io.UncheckedIOException(e);
      }

      assertThat(exit).isEqualTo(ExecflowCli.EXIT_FAILURE);
      assertThat(err.toString().strip().lines()).singleElement().asString().contains("cannot write the output");
    }

    @Test
    void aLongReadShowsProgressOnATerminalAndErasesIt() throws IOException {
      Path file = dir.resolve("big.jsonl");
      try (java.io.OutputStream out = Files.newOutputStream(file)) {
        new dev.execflow.testing.SessionGenerator(3).withSessionId("big").writeJsonl(out, 60_000);
      }
      java.util.function.BooleanSupplier was = ReadReport.stderrIsTerminal;
      long after = ReadReport.Progress.afterNanos;
      try {
        ReadReport.stderrIsTerminal = () -> true;
        ReadReport.Progress.afterNanos = 0;
        Run r = run("assemble", "--jsonl", file.toString(), "--session", "big");

        assertThat(r.exit()).isZero();
        assertThat(r.err()).startsWith("\rreading: ").contains(" rows/s, ").contains(" phases so far")
            .endsWith("\r");
        assertThat(r.json().path("summary").path("rowCount").asLong()).isEqualTo(60_000);
      } finally {
        ReadReport.stderrIsTerminal = was;
        ReadReport.Progress.afterNanos = after;
      }
    }

    @Test
    void noProgressWhenStderrIsNoTerminal() throws IOException {
      Path file = dir.resolve("big2.jsonl");
      try (java.io.OutputStream out = Files.newOutputStream(file)) {
        new dev.execflow.testing.SessionGenerator(3).withSessionId("big").writeJsonl(out, 60_000);
      }
      long after = ReadReport.Progress.afterNanos;
      java.util.function.BooleanSupplier was = ReadReport.stderrIsTerminal;
      try {
        ReadReport.stderrIsTerminal = () -> false;
        ReadReport.Progress.afterNanos = 0;
        assertThat(run("assemble", "--jsonl", file.toString(), "--session", "big").err()).isEmpty();
      } finally {
        ReadReport.Progress.afterNanos = after;
        ReadReport.stderrIsTerminal = was;
      }
    }
  }

  @Nested
  class StandardInput {
    private Run withStdin(byte[] input, String... args) {
      java.io.InputStream was = System.in;
      System.setIn(new java.io.ByteArrayInputStream(input));
      try {
        return run(args);
      } finally {
        System.setIn(was);
      }
    }

    @Test
    void assembleReadsStandardInputForADash() throws Exception {
      byte[] rows = ExecflowCliTest.class.getClassLoader()
          .getResourceAsStream(Samples.get("soundings").sessionResource()).readAllBytes();

      Run r = withStdin(rows, "assemble", "--jsonl", "-", "--session", "sample-soundings");

      assertThat(r.exit()).isZero();
      assertThat(r.json().path("phases").path("tagline").path("soundingWinner").asInt()).isEqualTo(2);
    }

    @Test
    void sessionsReadsGzippedStandardInput() throws Exception {
      java.io.ByteArrayOutputStream gz = new java.io.ByteArrayOutputStream();
      try (java.util.zip.GZIPOutputStream out = new java.util.zip.GZIPOutputStream(gz);
          InputStream in = ExecflowCliTest.class.getClassLoader().getResourceAsStream(Samples.get("loop").sessionResource())) {
        in.transferTo(out);
      }

      Run r = withStdin(gz.toByteArray(), "sessions", "--jsonl", "-", "--json");

      assertThat(r.exit()).isZero();
      assertThat(r.json().path("sessions").get(0).path("session_id").asText()).isEqualTo("sample-loop");
    }

    @Test
    void serveRefusesStandardInput() {
      run("serve", "--jsonl", "-", "--port", "0").failedWithOneLine(1, "can be read only once");
    }
  }

  @Nested
  class ClickHouseFlags {
    @Test
    void credentialsInTheUrlAreRefusedAndNeverEchoed() {
      Run r = run("sessions", "--clickhouse", "http://alice:s3cret@127.0.0.1:8123");

      r.failedWithOneLine(1, "credentials in the ClickHouse URL are refused");
      assertThat(r.err()).contains("--user").contains("--password-env").doesNotContain("s3cret").doesNotContain("alice");
    }

    @Test
    void aUrlWithoutHttpSaysSo() {
      run("sessions", "--clickhouse", "localhost:8123").failedWithOneLine(1, "not an http:// or https:// URL");
      run("sessions", "--clickhouse", "tcp://localhost:9000").failedWithOneLine(1, "HTTP interface");
      run("sessions", "--clickhouse", "http://").failedWithOneLine(1, "is not a URL");
    }

    @Test
    void emptyNamesAreRefusedNamingTheOption() {
      run("sessions", "--clickhouse", "http://127.0.0.1:1", "--table", "").failedWithOneLine(1, "--table must not be empty");
      run("sessions", "--clickhouse", "http://127.0.0.1:1", "--database", "").failedWithOneLine(1, "--database must not be empty");
    }

    @Test
    void timeoutsMustBePositiveAndNeedClickHouse() {
      run("sessions", "--clickhouse", "http://127.0.0.1:1", "--timeout", "0")
          .failedWithOneLine(1, "--timeout must be a positive number of seconds");
      run("sessions", "--max-execution-time", "5").failedWithOneLine(1, "need --clickhouse URL");
    }
  }

  @Nested
  class Serve {
    @Test
    void servesTheApiAndPrintsTheUrl() {
      List<Integer> statuses = new ArrayList<>();
      Run r = run(server -> statuses.add(status(server, "api/sessions")), "serve", "--port", "0");

      assertThat(r.exit()).isZero();
      assertThat(r.out()).containsPattern("execflow viewer: http://127\\.0\\.0\\.1:\\d+/");
      assertThat(r.out()).contains("7 cascade definitions");
      assertThat(statuses).containsExactly(200);
    }

    @Test
    void portInUseIsOneLine() throws Exception {
      try (ServerSocket taken = new ServerSocket(0, 1, java.net.InetAddress.getByName("127.0.0.1"))) {
        run("serve", "--port", Integer.toString(taken.getLocalPort()))
            .failedWithOneLine(1, "cannot listen on 127.0.0.1:" + taken.getLocalPort());
      }
    }

    @Test
    void portOutOfRangeIsAUsageError() {
      run("serve", "--port", "70000").failedWithOneLine(2, "--port must be between 0 and 65535");
    }

    @Test
    void waitingForTheSourceServesAndAnswers503UntilItIsReachable() {
      List<String> answers = new ArrayList<>();
      Run r = run(server -> {
            answers.add(answer(server, "api/sessions"));
            answers.add(answer(server, "api/health"));
            answers.add(answer(server, "api/cascade-definitions"));
          },
          "serve", "--clickhouse", "http://127.0.0.1:1", "--wait-for-source", "--port", "0");

      assertThat(r.exit()).isZero();
      assertThat(r.out()).contains("waiting for the source");
      assertThat(answers.get(0)).containsPattern("^503 retry-after=\\d+ ").contains("not reachable yet");
      assertThat(answers.get(1)).containsPattern("^503 retry-after=\\d+ ").contains("\"state\":\"waiting\"");
      assertThat(answers.get(2)).startsWith("200");
    }

    @Test
    void clickHouseOnAClosedPortIsOneLineBeforeServing() {
      Run r = run(server -> { throw new AssertionError("must not start"); },
          "serve", "--clickhouse", "http://127.0.0.1:1", "--port", "0");

      r.failedWithOneLine(1, "127.0.0.1:1");
    }
  }

  @Nested
  class Demo {
    @Test
    void printsTheTableTheSoundingsJsonAndTheViewerUrl() throws Exception {
      List<Integer> statuses = new ArrayList<>();
      Run r = run(server -> statuses.add(status(server, "api/session/sample-soundings/execution-flow")),
          "demo", "--port", "0");

      assertThat(r.exit()).isZero();
      assertThat(r.out()).contains("SESSION").contains("sample-loop");
      assertThat(r.out()).contains("\"sessionId\" : \"sample-soundings\"").contains("\"soundingWinner\" : 2");
      assertThat(r.out()).containsPattern("execflow viewer: http://127\\.0\\.0\\.1:\\d+/");
      assertThat(statuses).containsExactly(200);
    }

    @Test
    void takesAFreePortWhenTheDefaultIsTaken() throws Exception {
      try (ServerSocket taken = new ServerSocket(0, 1, java.net.InetAddress.getByName("127.0.0.1"))) {
        Run r = run("demo", "--port", Integer.toString(taken.getLocalPort()));

        assertThat(r.exit()).isZero();
        assertThat(r.out()).containsPattern("execflow viewer: http://127\\.0\\.0\\.1:\\d+/")
            .doesNotContain(":" + taken.getLocalPort() + "/");
      }
    }
  }

  @Test
  void noCommandIsAUsageError() {
    run().failedWithOneLine(2, "Missing command");
  }

  @Test
  void helpListsTheCommands() {
    Run r = run("--help");

    assertThat(r.exit()).isZero();
    assertThat(r.out()).contains("assemble", "sessions", "serve", "demo");
  }

  /** "STATUS retry-after=N BODY" of one GET. */
  static String answer(FlowServer server, String path) {
    try {
      HttpResponse<String> response = HttpClient.newHttpClient().send(
          HttpRequest.newBuilder(server.uri().resolve(path)).build(), HttpResponse.BodyHandlers.ofString());
      return response.statusCode() + " retry-after=" + response.headers().firstValue("Retry-After").orElse("")
          + " " + response.body();
    } catch (IOException e) {
      throw new java.io.UncheckedIOException(e);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      return "interrupted";
    }
  }

  private static int status(FlowServer server, String path) {
    try {
      HttpResponse<String> response = HttpClient.newHttpClient().send(
          HttpRequest.newBuilder(server.uri().resolve(path)).build(), HttpResponse.BodyHandlers.ofString());
      return response.statusCode();
    } catch (IOException e) {
      throw new java.io.UncheckedIOException(e);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      return -1;
    }
  }
}
