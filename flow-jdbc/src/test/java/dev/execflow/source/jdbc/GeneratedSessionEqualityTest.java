package dev.execflow.source.jdbc;

import dev.execflow.testing.SqlTables;
import static org.assertj.core.api.Assertions.assertThat;

import dev.execflow.json.ExecutionJson;
import dev.execflow.model.ExecutionData;
import dev.execflow.spi.LogSource;
import dev.execflow.spi.SessionListQuery;
import dev.execflow.spi.SessionSummary;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.Statement;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * Generated sessions (30,000 and 3,000 rows: loops, soundings, reforge, wards, late costs) give
 * exactly the JSONL source's executionData and listing from every embedded engine: a DuckDB
 * table, a Parquet file read by DuckDB, an SQLite file.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class GeneratedSessionEqualityTest {
  private Path dir;
  private DuckDbMemory duckdb;
  private final Map<String, LogSource> sources = new LinkedHashMap<>();
  private LogSource reference;

  @BeforeAll
  void load() throws Exception {
    dir = TempFiles.directory("execflow-generated");
    reference = GeneratedSessions.reference(GeneratedSessions.jsonl(dir.resolve("generated.jsonl")));
    var rows = GeneratedSessions.rows();

    duckdb = new DuckDbMemory();
    try (Connection c = duckdb.getConnection()) {
      SqlTables.create(c, "unified_logs", SqlTables.Types.DUCKDB);
      SqlTables.insert(c, "unified_logs", SqlTables.Types.DUCKDB, rows);
      try (Statement s = c.createStatement()) {
        s.execute("COPY unified_logs TO " + SqlDialect.DUCKDB.literal(dir.resolve("logs.parquet").toString())
            + " (FORMAT parquet)");
      }
    }
    sources.put("duckdb table", JdbcLogSource.builder(duckdb).build());
    sources.put("parquet", JdbcLogSource.parquet(dir.resolve("logs.parquet")));

    String sqlite = "jdbc:sqlite:" + dir.resolve("logs.db");
    try (Connection c = DriverManager.getConnection(sqlite)) {
      SqlTables.create(c, "unified_logs", SqlTables.Types.SQLITE);
      SqlTables.insert(c, "unified_logs", SqlTables.Types.SQLITE, rows);
    }
    sources.put("sqlite", JdbcLogSource.open(sqlite, null, null, null, null));
  }

  @AfterAll
  void close() {
    sources.values().forEach(LogSource::close);
    reference.close();
    duckdb.close();
    TempFiles.delete(dir);
  }

  Stream<String> engines() {
    return Stream.of("duckdb table", "parquet", "sqlite");
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("engines")
  void foldsEachGeneratedSessionExactlyAsTheJsonlSource(String engine) {
    for (String id : GeneratedSessions.ids()) {
      ExecutionData expected = GeneratedSessions.fold(reference, id);
      ExecutionData actual = GeneratedSessions.fold(sources.get(engine), id);
      assertThat(ExecutionJson.writePretty(actual)).as(id).isEqualTo(ExecutionJson.writePretty(expected));
      assertThat(actual).isEqualTo(expected);
    }
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("engines")
  void listsTheGeneratedSessionsAsTheJsonlSource(String engine) {
    List<SessionSummary> expected = reference.listSessions(SessionListQuery.firstPage(10)).sessions();
    List<SessionSummary> actual = sources.get(engine).listSessions(SessionListQuery.firstPage(10)).sessions();
    assertThat(actual).hasSameSizeAs(expected);
    for (int i = 0; i < expected.size(); i++) {
      SessionSummary e = expected.get(i);
      SessionSummary a = actual.get(i);
      assertThat(a.sessionId()).isEqualTo(e.sessionId());
      assertThat(a.cascadeId()).isEqualTo(e.cascadeId());
      assertThat(a.firstTimestamp()).isEqualTo(e.firstTimestamp());
      assertThat(a.lastTimestamp()).isEqualTo(e.lastTimestamp());
      assertThat(a.status()).isEqualTo(e.status());
      assertThat(a.cost()).isCloseTo(e.cost(), org.assertj.core.api.Assertions.within(1e-9));
      assertThat(a.rowCount()).isEqualTo(e.rowCount());
    }
  }
}
