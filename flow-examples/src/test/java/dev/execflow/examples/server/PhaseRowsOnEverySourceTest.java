package dev.execflow.examples.server;

import static dev.execflow.examples.server.FlowServerHttpTest.get;
import static dev.execflow.examples.server.FlowServerHttpTest.json;
import static dev.execflow.examples.server.FlowServerPhaseRowsTest.walk;
import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import dev.execflow.examples.service.ExecutionFlowService;
import dev.execflow.source.clickhouse.ClickHouseLogSource;
import dev.execflow.source.clickhouse.testing.ClickHouseServer;
import dev.execflow.source.clickhouse.testing.ClickHouseServerExtension;
import dev.execflow.source.clickhouse.testing.LogTable;
import dev.execflow.source.jdbc.JdbcLogSource;
import dev.execflow.source.jsonl.JsonlLogSource;
import dev.execflow.spi.ColumnMapping;
import dev.execflow.spi.LogRow;
import dev.execflow.testing.SqlTables;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.util.List;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;

/**
 * The phase-rows endpoint reads through the SPI alone: the same rows stored in a JSONL file, in
 * ClickHouse (a real 18.16 server) and in DuckDB (through JDBC) give the same pages, byte for byte,
 * cursors included.
 */
@ExtendWith(ClickHouseServerExtension.class)
class PhaseRowsOnEverySourceTest {
  private static final String TABLE = "phase_rows";
  private static final List<String> PAGES = List.of(
      "/api/session/sample-simple/phase/research/rows",
      "/api/session/sample-soundings/phase/tagline/rows",
      "/api/session/sample-soundings/phase/finalize/rows",
      "/api/session/sample-reforge/phase/draft/rows",
      "/api/session/sample-wards/phase/reply/rows",
      "/api/session/sample-failed/phase/extract/rows",
      "/api/session/sample-loop/phase/draft/rows?limit=3",
      "/api/session/sample-loop/phase/draft/rows?visit=2",
      "/api/session/sample-loop-4/phase/review/rows?limit=2",
      "/api/session/" + PhaseRowsFixture.LONG + "/phase/answer/rows");

  @TempDir static Path dir;
  private static FlowServer jsonl;
  private static FlowServer clickhouse;
  private static FlowServer duckdb;

  @BeforeAll
  static void load(ClickHouseServer server) throws Exception {
    List<LogRow> rows = PhaseRowsFixture.rows();
    jsonl = FlowServer.start(new ExecutionFlowService(JsonlLogSource.open(PhaseRowsFixture.jsonl(dir, rows))),
        "127.0.0.1", 0);

    server.execute("DROP TABLE IF EXISTS " + server.qualified(TABLE));
    LogTable.windlass(TABLE).create(server).insert(server, rows);
    ClickHouseLogSource ch = ClickHouseLogSource.builder().endpoint(server.url())
        .credentials(server.user(), server.password()).table(server.database(), TABLE)
        .mapping(ColumnMapping.WINDLASS).build();
    clickhouse = FlowServer.start(new ExecutionFlowService(ch), "127.0.0.1", 0);

    String url = "jdbc:duckdb:" + dir.resolve("logs.duckdb");
    try (Connection c = DriverManager.getConnection(url)) {
      SqlTables.create(c, "unified_logs", SqlTables.Types.DUCKDB);
      SqlTables.insert(c, "unified_logs", SqlTables.Types.DUCKDB, rows);
    }
    duckdb = FlowServer.start(new ExecutionFlowService(JdbcLogSource.open(url, null, null, "unified_logs", "windlass")),
        "127.0.0.1", 0);
  }

  @AfterAll
  static void stop() {
    for (FlowServer s : new FlowServer[] {jsonl, clickhouse, duckdb}) {
      if (s != null) {
        s.close();
      }
    }
  }

  private static JsonNode body(FlowServer server, String path) throws Exception {
    HttpResponse<String> r = get(server, path);
    assertThat(r.statusCode()).as("%s: %s", path, r.body()).isEqualTo(200);
    return json(r);
  }

  @Test
  void clickHouseGivesTheSamePagesAsTheJsonlFile() throws Exception {
    for (String path : PAGES) {
      assertThat(body(clickhouse, path)).as(path).isEqualTo(body(jsonl, path));
    }
  }

  @Test
  void duckDbThroughJdbcGivesTheSamePagesAsTheJsonlFile() throws Exception {
    for (String path : PAGES) {
      assertThat(body(duckdb, path)).as(path).isEqualTo(body(jsonl, path));
    }
  }

  @Test
  void everySourcePagesThroughALoopedPhaseAlike() throws Exception {
    List<String> expected = walk(jsonl, "sample-loop-4", "draft", null, 1);

    assertThat(expected).hasSize(8);
    assertThat(walk(clickhouse, "sample-loop-4", "draft", null, 1)).isEqualTo(expected);
    assertThat(walk(duckdb, "sample-loop-4", "draft", null, 1)).isEqualTo(expected);
  }

  @Test
  void theLongContentIsCutAlikeOnEverySource() throws Exception {
    String path = "/api/session/" + PhaseRowsFixture.LONG + "/phase/answer/rows";
    for (FlowServer s : new FlowServer[] {clickhouse, duckdb}) {
      JsonNode cut = body(s, path).get("rows").get(2);
      assertThat(cut.get("content").asText()).hasSize(65_536);
      assertThat(cut.get("contentLength").asInt()).isEqualTo(70_000);
      assertThat(body(s, path).get("rows").get(4).get("contentLength").isNull()).isTrue();
    }
  }
}
