package dev.execflow.examples.cli;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import dev.execflow.examples.cli.ExecflowCliTest.Run;
import dev.execflow.source.clickhouse.testing.ClickHouseServer;
import dev.execflow.source.clickhouse.testing.ClickHouseServerExtension;
import dev.execflow.source.clickhouse.testing.ListingSessions;
import dev.execflow.source.clickhouse.testing.LogTable;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * {@code execflow install-listing} and what {@code execflow sessions} says before and after it: a
 * scan is noted (stderr, and {@code "scanned": true} in the JSON), a dry run prints the DDL and
 * changes nothing, installing makes the same pages come from the summary, installing again is a
 * no-op.
 */
@ExtendWith(ClickHouseServerExtension.class)
class ExecflowCliInstallListingTest {
  private static ClickHouseServer server;

  @BeforeAll
  static void start(ClickHouseServer clickhouse) {
    server = clickhouse;
  }

  private static String table(String name) {
    server.execute("DROP TABLE IF EXISTS " + server.qualified(name));
    LogTable.windlass(name).create(server).insert(server, sink -> ListingSessions.write(30, "cli", sink));
    return name;
  }

  /** The connection flags of the test server for {@code table}, the password passed by variable name. */
  private static String[] connect(String command, String table, String... more) {
    List<String> args = new ArrayList<>(List.of(command, "--clickhouse", server.url(),
        "--database", server.database(), "--table", table));
    if (server.isLocal()) {
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
  void aScannedListingSaysSoInItsJsonAndInOneLineOnStderr() throws Exception {
    Run r = ExecflowCliTest.run(connect("sessions", table("cli_listing_scan"), "--json", "--limit", "5"));

    assertThat(r.exit()).isZero();
    assertThat(r.json().path("scanned").asBoolean()).isTrue();
    assertThat(r.err().strip()).contains("install-listing").doesNotContain("\n");
  }

  @Test
  void aDryRunPrintsTheDdlAndChangesNothing() throws Exception {
    String table = table("cli_listing_dry");

    Run dry = ExecflowCliTest.run(connect("install-listing", table, "--dry-run"));

    assertThat(dry.exit()).isZero();
    assertThat(dry.err()).isEmpty();
    assertThat(dry.out()).contains("dry run").contains("CREATE MATERIALIZED VIEW").contains("INSERT INTO");
    Run after = ExecflowCliTest.run(connect("sessions", table, "--json"));
    assertThat(after.json().path("scanned").asBoolean()).isTrue();
  }

  @Test
  void afterInstallingTheSamePageComesFromTheSummaryAndInstallingAgainDoesNothing() throws Exception {
    String table = table("cli_listing_installed");
    JsonNode before = ExecflowCliTest.run(connect("sessions", table, "--json", "--limit", "10")).json();

    Run install = ExecflowCliTest.run(connect("install-listing", table));
    Run after = ExecflowCliTest.run(connect("sessions", table, "--json", "--limit", "10"));
    Run again = ExecflowCliTest.run(connect("install-listing", table));

    assertThat(install.exit()).as(install.err()).isZero();
    assertThat(install.out()).contains("installed: listing now reads");
    assertThat(after.err()).isEmpty();
    assertThat(after.json().path("scanned").asBoolean()).isFalse();
    assertThat(after.json().path("sessions")).isEqualTo(before.path("sessions"));
    assertThat(again.exit()).isZero();
    assertThat(again.out()).contains("installed already").doesNotContain("CREATE");
  }

  @Test
  void apiSessionsSaysWhetherItScannedAndFindsASummaryInstalledWhileItServes() {
    String table = table("cli_listing_serve");
    List<String> answers = new ArrayList<>();
    Run served = ExecflowCliTest.run(flow -> {
      answers.add(ExecflowCliTest.answer(flow, "api/sessions"));
      answers.add(String.valueOf(ExecflowCliTest.run(connect("install-listing", table)).exit()));
      answers.add(ExecflowCliTest.answer(flow, "api/sessions"));
    }, connect("serve", table, "--port", "0"));

    assertThat(served.exit()).isZero();
    assertThat(answers.get(0)).startsWith("200").contains("\"scanned\":true").contains("cli-000029");
    assertThat(answers.get(1)).isEqualTo("0");
    assertThat(answers.get(2)).startsWith("200").contains("\"scanned\":false").contains("cli-000029");
  }

  @Test
  void withoutClickHouseItIsAUsageError() {
    ExecflowCliTest.run("install-listing", "--table", "t").failedWithOneLine(2, "--clickhouse");
  }
}
