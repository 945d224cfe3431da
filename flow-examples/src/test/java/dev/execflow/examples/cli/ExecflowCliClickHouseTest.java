package dev.execflow.examples.cli;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import dev.execflow.source.clickhouse.testing.ClickHouseServer;
import dev.execflow.source.clickhouse.testing.ClickHouseServerExtension;
import dev.execflow.source.clickhouse.testing.LogTable;
import dev.execflow.examples.cli.ExecflowCliTest.Run;
import dev.execflow.testing.Samples;
import dev.execflow.spi.LogRow;
import dev.execflow.spi.MutableLogRow;
import dev.execflow.spi.RowSink;
import dev.execflow.spi.SessionQuery;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * The CLI's {@code --clickhouse} flags against a real ClickHouse server holding the bundled sample
 * sessions: the same answers as from the JSONL files, and one-line failures for a wrong table or a
 * missing password variable.
 */
@ExtendWith(ClickHouseServerExtension.class)
class ExecflowCliClickHouseTest {
  private static final String TABLE = "cli_samples";

  private static ClickHouseServer server;

  @BeforeAll
  static void loadSamples(ClickHouseServer clickhouse) {
    server = clickhouse;
    server.execute("DROP TABLE IF EXISTS " + server.qualified(TABLE));
    LogTable table = LogTable.windlass(TABLE).create(server);
    List<LogRow> rows = new ArrayList<>();
    for (Samples.Sample sample : Samples.all()) {
      Samples.source().read(SessionQuery.of(sample.sessionId()), new RowSink() {
        @Override
        public void accept(LogRow row) {
          rows.add(new MutableLogRow().copyFrom(row));
        }
      });
    }
    table.insert(server, rows);
  }

  /** The connection flags of the test server, the password passed by variable name. */
  private static String[] connect(String command, String... more) {
    List<String> args = new ArrayList<>(List.of(command, "--clickhouse", server.url(),
        "--database", server.database(), "--table", TABLE, "--schema", "windlass"));
    if (server.isLocal()) {
      // the local server's user with a password; surefire sets the variable (see the pom)
      args.addAll(List.of("--user", ClickHouseServer.LOCAL_USER, "--password-env", "EXECFLOW_TEST_CLICKHOUSE_PASSWORD"));
    } else {
      args.addAll(List.of("--user", server.user()));
      if (!server.password().isEmpty()) {
        args.addAll(List.of("--password-env", "FLOW_CLICKHOUSE_PASSWORD"));
      }
    }
    return Stream.concat(args.stream(), Stream.of(more)).toArray(String[]::new);
  }

  @Test
  void assemblesASessionStoredInClickHouse() throws Exception {
    Run r = ExecflowCliTest.run(connect("assemble", "--session", "sample-soundings"));

    assertThat(r.err()).isEmpty();
    assertThat(r.exit()).isZero();
    JsonNode data = r.json();
    assertThat(data.path("executedPath").toString()).isEqualTo("[\"brief\",\"tagline\",\"finalize\"]");
    assertThat(data.path("phases").path("tagline").path("soundingWinner").asInt()).isEqualTo(2);
    assertThat(data.path("summary").path("totalCost").asDouble()).isCloseTo(0.0025, org.assertj.core.data.Offset.offset(1e-9));
  }

  @Test
  void listsTheSessionsStoredInClickHouse() throws Exception {
    Run r = ExecflowCliTest.run(connect("sessions", "--json", "--status", "error"));

    assertThat(r.exit()).isZero();
    List<String> ids = new ArrayList<>();
    r.json().path("sessions").forEach(s -> ids.add(s.path("session_id").asText()));
    assertThat(ids).containsExactlyInAnyOrder("sample-failed", "sample-wards");
  }

  @Test
  void unknownSessionIsOneLine() {
    ExecflowCliTest.run(connect("assemble", "--session", "no-such-session"))
        .failedWithOneLine(1, "unknown session 'no-such-session'");
  }

  @Test
  void missingTableIsOneLineNamingIt() {
    String[] args = connect("sessions");
    for (int i = 0; i < args.length; i++) {
      if (args[i].equals(TABLE)) {
        args[i] = "no_such_table";
      }
    }
    ExecflowCliTest.run(args).failedWithOneLine(1, "no_such_table");
  }

  @Test
  void aNamedSchemaReadsAFirstGenerationTableWithoutTheOptionalColumns() throws Exception {
    server.execute("DROP TABLE IF EXISTS " + server.qualified("cli_first_generation"));
    server.execute("CREATE TABLE " + server.qualified("cli_first_generation") + " (timestamp Float64,"
        + " session_id String, trace_id Nullable(String), node_type Nullable(String), role Nullable(String),"
        + " phase_name Nullable(String), cost Nullable(Float64)) ENGINE = MergeTree ORDER BY (session_id, timestamp)");
    server.execute("INSERT INTO " + server.qualified("cli_first_generation") + " VALUES"
        + " (1.0, 'old', 't0', 'phase', 'phase_start', 'draft', NULL), (2.0, 'old', 't1', 'agent', 'assistant', 'draft', 0.5)");
    String[] args = connect("assemble", "--session", "old");
    args[java.util.Arrays.asList(args).indexOf(TABLE)] = "cli_first_generation";

    Run r = ExecflowCliTest.run(args);

    assertThat(r.err()).isEmpty();
    assertThat(r.exit()).isZero();
    assertThat(r.json().path("summary").path("totalCost").asDouble()).isEqualTo(0.5);
  }

  @Test
  void aTableWithoutTheSchemasColumnsNamesTheRemedyFirstAndEveryMissingColumn() {
    server.execute("DROP TABLE IF EXISTS " + server.qualified("cli_not_logs"));
    server.execute("CREATE TABLE " + server.qualified("cli_not_logs") + " (id UInt64, payload String)"
        + " ENGINE = MergeTree ORDER BY id");
    String[] args = connect("sessions");
    args[java.util.Arrays.asList(args).indexOf(TABLE)] = "cli_not_logs";

    Run r = ExecflowCliTest.run(args);

    r.failedWithOneLine(1, "try --schema auto");
    assertThat(r.err().strip()).contains("timestamp").contains("session_id").doesNotEndWith("...");
    assertThat(r.err().indexOf("--schema auto")).isLessThan(r.err().indexOf("session_id"));
  }

  @Test
  void serveStartsBeforeItsDatabaseAndAnswers503UntilItIsReachable() throws Exception {
    int port = LoopbackForwarder.freePort();
    int clickhousePort = java.net.URI.create(server.url()).getPort();
    String[] args = connect("serve", "--wait-for-source", "--port", "0");
    for (int i = 0; i < args.length; i++) {
      if (args[i].equals(server.url())) {
        args[i] = "http://127.0.0.1:" + port;
      }
    }
    List<String> before = new ArrayList<>();
    List<String> after = new ArrayList<>();
    long[] upAfterMillis = {-1};
    Run r = ExecflowCliTest.run(flow -> {
      before.add(ExecflowCliTest.answer(flow, "api/sessions"));
      before.add(ExecflowCliTest.answer(flow, "api/health"));
      try (LoopbackForwarder database = LoopbackForwarder.start(port, clickhousePort)) {
        long started = System.nanoTime();
        while (!ExecflowCliTest.answer(flow, "api/health").startsWith("200")
            && System.nanoTime() - started < 20_000_000_000L) {
          Thread.sleep(100);
        }
        upAfterMillis[0] = (System.nanoTime() - started) / 1_000_000;
        after.add(ExecflowCliTest.answer(flow, "api/health"));
        after.add(ExecflowCliTest.answer(flow, "api/sessions"));
      } catch (java.io.IOException e) {
        throw new java.io.UncheckedIOException(e);
      }
    }, args);

    assertThat(r.exit()).isZero();
    assertThat(before.get(0)).containsPattern("^503 retry-after=\\d+ ").contains("not reachable yet");
    assertThat(before.get(1)).startsWith("503").contains("\"state\":\"waiting\"");
    System.out.println("serve --wait-for-source: source reachable -> health 200 after " + upAfterMillis[0] + " ms");
    assertThat(after.get(0)).startsWith("200").contains("\"state\":\"up\"");
    assertThat(after.get(1)).startsWith("200").contains("sample-soundings");
  }

  @Test
  void aProfileThatCutsResultsSilentlyMakesTheReadFailNamingTheLimit() {
    org.junit.jupiter.api.Assumptions.assumeTrue(server.isLocal(), "the limited users exist on the local test server only");
    server.execute("DROP TABLE IF EXISTS " + server.qualified("cli_big"));
    LogTable.windlass("cli_big").create(server).insert(server,
        new dev.execflow.source.clickhouse.testing.SyntheticRows("big", 100_000));

    ExecflowCliTest.run("assemble", "--clickhouse", server.url(), "--database", server.database(), "--table", "cli_big",
            "--user", ClickHouseServer.RESULT_LIMITED_USER, "--session", "big")
        .failedWithOneLine(1, "max_result_rows");
  }

  @Test
  void maxExecutionTimeStopsASlowReadWithOneLine() {
    String view = dev.execflow.source.clickhouse.testing.SlowView.create(server, "cli_slow", "slow", 20_000);
    String[] args = connect("assemble", "--session", "slow", "--max-execution-time", "1");
    for (int i = 0; i < args.length; i++) {
      if (args[i].equals(TABLE)) {
        args[i] = view;
      }
    }
    long t = System.nanoTime();
    ExecflowCliTest.run(args).failedWithOneLine(1, "time limit");
    assertThat((System.nanoTime() - t) / 1_000_000).as("ms; the query alone takes ~10 s").isLessThan(6000);
  }

  @Test
  void timeoutStopsWaitingForASilentServerWithOneLine() {
    String view = dev.execflow.source.clickhouse.testing.SlowView.create(server, "cli_silent", "slow", 20_000);
    String[] args = connect("assemble", "--session", "slow", "--timeout", "1");
    for (int i = 0; i < args.length; i++) {
      if (args[i].equals(TABLE)) {
        args[i] = view;
      }
    }
    long t = System.nanoTime();
    ExecflowCliTest.run(args).failedWithOneLine(1, "did not answer in time");
    assertThat((System.nanoTime() - t) / 1_000_000).as("ms; the query alone takes ~10 s").isLessThan(6000);
    // and the query it gave up on does not run on
    long deadline = System.nanoTime() + 4_000_000_000L;
    while (dev.execflow.source.clickhouse.testing.SlowView.running(server, view) > 0 && System.nanoTime() < deadline) {
      Thread.onSpinWait();
    }
    assertThat(dev.execflow.source.clickhouse.testing.SlowView.running(server, view)).isZero();
  }

  @Test
  void unsetPasswordVariableIsOneLine() {
    ExecflowCliTest.run("sessions", "--clickhouse", server.url(), "--password-env", "EXECFLOW_NO_SUCH_VARIABLE")
        .failedWithOneLine(1, "environment variable EXECFLOW_NO_SUCH_VARIABLE (--password-env) is not set");
  }
}
