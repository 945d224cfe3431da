package dev.execflow.examples.cli;

import static org.assertj.core.api.Assertions.assertThat;

import dev.execflow.assemble.ExecutionAssembler;
import dev.execflow.examples.cli.ExecflowCliTest.Run;
import dev.execflow.examples.service.ExecutionFlowService;
import dev.execflow.source.clickhouse.ClickHouseLogSource;
import dev.execflow.source.clickhouse.FoldReport;
import dev.execflow.source.clickhouse.Strategy;
import dev.execflow.source.clickhouse.testing.ClickHouseServer;
import dev.execflow.source.clickhouse.testing.ClickHouseServerExtension;
import dev.execflow.source.clickhouse.testing.LogTable;
import dev.execflow.spi.LogRow;
import dev.execflow.spi.LogSource;
import dev.execflow.spi.MutableLogRow;
import dev.execflow.spi.RowSink;
import dev.execflow.spi.SessionQuery;
import dev.execflow.testing.Samples;
import dev.execflow.testing.SessionGenerator;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * {@code --strategy stream|pushdown|auto} and {@code --parallel-ranges K} against a real ClickHouse
 * server: the same executionData, byte for byte, whichever way the session is folded; the strategy
 * asked for is the one used; a bad name or a source that cannot push down is a one-line error.
 */
@ExtendWith(ClickHouseServerExtension.class)
class ExecflowCliStrategyTest {
  private static final String TABLE = "cli_strategy";
  private static final String GENERATED = "cli-strategy-generated";

  private static ClickHouseServer server;

  @BeforeAll
  static void load(ClickHouseServer clickhouse) {
    server = clickhouse;
    server.execute("DROP TABLE IF EXISTS " + server.qualified(TABLE));
    LogTable table = LogTable.windlass(TABLE).create(server);
    List<LogRow> rows = new ArrayList<>();
    RowSink copy = new RowSink() {
      @Override
      public void accept(LogRow row) {
        rows.add(new MutableLogRow().copyFrom(row));
      }
    };
    for (Samples.Sample sample : Samples.all()) {
      Samples.source().read(SessionQuery.of(sample.sessionId()), copy);
    }
    new SessionGenerator(21).withSessionId(GENERATED).generate(20_000, copy);
    table.insert(server, rows);
  }

  private static List<String> connection() {
    List<String> args = new ArrayList<>(List.of("--clickhouse", server.url(), "--database", server.database(),
        "--table", TABLE));
    if (server.isLocal()) {
      args.addAll(List.of("--user", ClickHouseServer.LOCAL_USER, "--password-env", "EXECFLOW_TEST_CLICKHOUSE_PASSWORD"));
    } else {
      args.addAll(List.of("--user", server.user()));
      if (!server.password().isEmpty()) {
        args.addAll(List.of("--password-env", "FLOW_CLICKHOUSE_PASSWORD"));
      }
    }
    return args;
  }

  private static String[] assemble(String session, String... more) {
    return Stream.concat(Stream.concat(Stream.of("assemble", "--session", session), connection().stream()),
        Stream.of(more)).toArray(String[]::new);
  }

  private static String assembled(String session, String... more) {
    Run r = ExecflowCliTest.run(assemble(session, more));
    assertThat(r.exit()).as("exit; stderr: %s", r.err()).isZero();
    assertThat(r.err()).isEmpty();
    return r.out();
  }

  @Test
  void pushdownPrintsTheSameBytesAsStreamingForAGeneratedSession() {
    String streamed = assembled(GENERATED, "--strategy", "stream");

    assertThat(assembled(GENERATED, "--strategy", "pushdown")).isEqualTo(streamed);
    assertThat(assembled(GENERATED, "--strategy", "auto")).isEqualTo(streamed);
    assertThat(assembled(GENERATED, "--strategy", "stream", "--parallel-ranges", "4")).isEqualTo(streamed);
    assertThat(assembled(GENERATED)).isEqualTo(streamed);
  }

  @Test
  void pushdownPrintsTheSameBytesAsStreamingForEverySample() {
    for (Samples.Sample sample : Samples.all()) {
      assertThat(assembled(sample.sessionId(), "--strategy", "pushdown", "--pretty"))
          .as(sample.sessionId())
          .isEqualTo(assembled(sample.sessionId(), "--strategy", "stream", "--pretty"));
    }
  }

  @Test
  void theStrategyNamedIsTheOneTheSourceFoldsWith() {
    SourceOptions options = new SourceOptions();
    options.clickhouseUrl = server.url();
    options.database = server.database();
    options.table = TABLE;
    options.user = server.isLocal() ? ClickHouseServer.LOCAL_USER : server.user();
    options.passwordEnv = server.isLocal() ? "EXECFLOW_TEST_CLICKHOUSE_PASSWORD"
        : server.password().isEmpty() ? null : "FLOW_CLICKHOUSE_PASSWORD";
    options.strategy = Strategy.PUSHDOWN;
    try (LogSource opened = options.open()) {
      ClickHouseLogSource source = (ClickHouseLogSource) opened;
      FoldReport how = source.fold(SessionQuery.of(GENERATED), new ExecutionAssembler());

      assertThat(source.strategy()).isEqualTo(Strategy.PUSHDOWN);
      assertThat(how.strategy()).as("%s", how).isEqualTo(Strategy.PUSHDOWN);
      assertThat(how.summedRows()).as("%s", how).isGreaterThan(how.rows() / 2);
    }
  }

  @Test
  void theServicesSessionReadFoldsWithTheStrategy() throws Exception {
    SourceOptions options = new SourceOptions();
    options.clickhouseUrl = server.url();
    options.database = server.database();
    options.table = TABLE;
    options.user = server.isLocal() ? ClickHouseServer.LOCAL_USER : server.user();
    options.passwordEnv = server.isLocal() ? "EXECFLOW_TEST_CLICKHOUSE_PASSWORD"
        : server.password().isEmpty() ? null : "FLOW_CLICKHOUSE_PASSWORD";
    options.strategy = Strategy.PUSHDOWN;
    long[] assembled = {0};
    try (LogSource pushdown = options.open()) {
      LogSource watched = new LogSource() {
        @Override
        public long read(SessionQuery query, RowSink sink) {
          return pushdown.read(query, sink);
        }

        @Override
        public long assemble(SessionQuery query, ExecutionAssembler target) {
          assembled[0]++;
          return pushdown.assemble(query, target);
        }
      };
      String path = "/api/session/" + GENERATED + "/execution-flow";
      String viaPushdown = new ExecutionFlowService(watched).handle("GET", path, null).body();
      options.strategy = Strategy.STREAM;
      try (LogSource stream = options.open()) {
        assertThat(viaPushdown).isEqualTo(new ExecutionFlowService(stream).handle("GET", path, null).body());
      }
    }
    assertThat(assembled[0]).isEqualTo(1);
  }

  @Test
  void anUnknownStrategyIsAUsageErrorNamingTheThree() {
    ExecflowCliTest.run(assemble(GENERATED, "--strategy", "fast"))
        .failedWithOneLine(2, "unknown strategy 'fast': use stream, pushdown or auto");
  }

  @Test
  void theNamesAreExact() {
    ExecflowCliTest.run(assemble(GENERATED, "--strategy", "PUSHDOWN")).failedWithOneLine(2, "unknown strategy");
  }

  @Test
  void pushdownOnAJsonlSourceIsAOneLineError() {
    ExecflowCliTest.run("assemble", "--session", "sample-simple", "--strategy", "pushdown")
        .failedWithOneLine(1, "--strategy pushdown needs --clickhouse URL");
  }

  @Test
  void pushdownOnAJsonlFileSaysItIsAlwaysStreamed(@org.junit.jupiter.api.io.TempDir java.nio.file.Path dir)
      throws Exception {
    java.nio.file.Path file = ExecflowCliTest.export(dir, "simple");

    ExecflowCliTest.run("assemble", "--jsonl", file.toString(), "--session", "sample-simple", "--strategy", "pushdown")
        .failedWithOneLine(1, "--strategy pushdown needs --clickhouse URL: JSONL files are always streamed");
    ExecflowCliTest.run("assemble", "--jsonl", file.toString(), "--session", "sample-simple", "--parallel-ranges", "2")
        .failedWithOneLine(1, "--parallel-ranges needs --clickhouse URL");
  }

  @Test
  void streamOnAJsonlSourceIsWhatItDoesAnyway() {
    Run r = ExecflowCliTest.run("assemble", "--session", "sample-simple", "--strategy", "stream");

    assertThat(r.exit()).isZero();
    assertThat(r.out()).isEqualTo(ExecflowCliTest.run("assemble", "--session", "sample-simple").out());
  }

  @Test
  void serveAndFollowTakeTheStrategyToo() {
    ExecflowCliTest.run("serve", "--strategy", "auto").failedWithOneLine(1, "--strategy auto needs --clickhouse URL");
    ExecflowCliTest.run("follow", "--session", "sample-simple", "--strategy", "nope")
        .failedWithOneLine(2, "unknown strategy 'nope'");
  }
}
