package dev.execflow.examples.cli;

import static org.assertj.core.api.Assertions.assertThat;

import dev.execflow.examples.cli.ExecflowCliTest.Run;
import dev.execflow.source.clickhouse.testing.ClickHouseServer;
import dev.execflow.source.clickhouse.testing.ClickHouseServerExtension;
import dev.execflow.source.clickhouse.testing.LogTable;
import dev.execflow.testing.SqlTables;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * {@code --jdbc jdbc:clickhouse://host:port/db} against the real server (18.16 here) as given: no
 * driver settings on the command line, the source finds the old server and uses clickhouse-jdbc's
 * v1 driver with the settings that work there.
 */
@ExtendWith(ClickHouseServerExtension.class)
class ExecflowCliJdbcClickHouseTest {
  private static final String TABLE = "cli_jdbc_samples";
  private static ClickHouseServer server;

  @BeforeAll
  static void loadSamples(ClickHouseServer clickhouse) {
    server = clickhouse;
    LogTable.windlass(TABLE).create(server).insert(server, SqlTables.sampleRows());
  }

  private static String[] connect(String... command) {
    List<String> args = new ArrayList<>(List.of(command));
    args.addAll(List.of("--jdbc", server.url().replaceFirst("^https?://", "jdbc:clickhouse://") + "/" + server.database(),
        "--table", TABLE));
    if (server.isLocal()) {
      args.addAll(List.of("--jdbc-user", ClickHouseServer.LOCAL_USER, "--jdbc-password-env", "EXECFLOW_TEST_CLICKHOUSE_PASSWORD"));
    } else {
      args.addAll(List.of("--jdbc-user", server.user()));
      if (!server.password().isEmpty()) {
        args.addAll(List.of("--jdbc-password-env", "FLOW_CLICKHOUSE_PASSWORD"));
      }
    }
    return args.toArray(String[]::new);
  }

  @Test
  void assemblesASessionAsFromTheBundledSamples() {
    Run r = ExecflowCliTest.run(connect("assemble", "--session", "sample-reforge", "--pretty"));
    assertThat(r.err()).isEmpty();
    assertThat(r.exit()).isZero();
    assertThat(r.out()).isEqualTo(ExecflowCliTest.run("assemble", "--session", "sample-reforge", "--pretty").out());
  }

  @Test
  void listsTheSessions() throws Exception {
    Run r = ExecflowCliTest.run(connect("sessions", "--json", "--status", "error"));
    assertThat(r.exit()).as(r.err()).isZero();
    List<String> ids = new ArrayList<>();
    r.json().path("sessions").forEach(s -> ids.add(s.path("session_id").asText()));
    assertThat(ids).containsExactlyInAnyOrder("sample-failed", "sample-wards");
  }

  @Test
  void aWrongPasswordIsOneLine() {
    ExecflowCliTest.run("sessions", "--jdbc", server.url().replaceFirst("^https?://", "jdbc:clickhouse://"),
        "--jdbc-user", ClickHouseServer.LOCAL_USER).failedWithOneLine(1, "JDBC connecting");
  }
}
