package dev.execflow.source.jdbc;

import dev.execflow.testing.SqlTables;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

import dev.execflow.assemble.AssemblyOptions;
import dev.execflow.assemble.ExecutionAssembler;
import dev.execflow.json.ExecutionJson;
import dev.execflow.model.ExecutionData;
import dev.execflow.spi.Column;
import dev.execflow.spi.ColumnMapping;
import dev.execflow.spi.LogRow;
import dev.execflow.spi.LogSource;
import dev.execflow.spi.LogSourceException;
import dev.execflow.spi.LogSourceException.Reason;
import dev.execflow.spi.SessionListQuery;
import dev.execflow.spi.SessionQuery;
import dev.execflow.testing.RecordingSink;
import dev.execflow.testing.Samples;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.Statement;
import java.time.Clock;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** What the JDBC source does with layouts, bad values and bad input, on real embedded engines. */
class JdbcLogSourceTest {
  private static final AssemblyOptions OPTIONS = AssemblyOptions.defaults()
      .withClock(Clock.fixed(Instant.parse("2025-01-06T00:00:00Z"), ZoneOffset.UTC));

  private Path dir;
  private DuckDbMemory duckdb;

  @BeforeEach
  void setUp() {
    dir = TempFiles.directory("execflow-jdbc");
    duckdb = new DuckDbMemory();
  }

  @AfterEach
  void tearDown() {
    duckdb.close();
    TempFiles.delete(dir);
  }

  private void duckdb(String... statements) throws Exception {
    try (Connection c = duckdb.getConnection(); Statement s = c.createStatement()) {
      for (String sql : statements) {
        s.execute(sql);
      }
    }
  }

  private static ExecutionData fold(LogSource source, String sessionId) {
    return ExecutionAssembler.assemble(source, SessionQuery.of(sessionId), OPTIONS);
  }

  @Test
  void readsTheRvbbitLayoutWithTimestampUuidAndBooleanColumnsAsTheJsonlSourceDoes() throws Exception {
    String id = Samples.sessionId("reforge");
    try (Connection c = duckdb.getConnection()) {
      SqlTables.create(c, "staging", SqlTables.Types.DUCKDB);
      List<LogRow> rows = new ArrayList<>();
      Samples.source("reforge").read(SessionQuery.of(id), row -> rows.add(new dev.execflow.spi.MutableLogRow().copyFrom(row)));
      SqlTables.insert(c, "staging", SqlTables.Types.DUCKDB, rows);
    }
    // the later schema's names and types: DateTime64-like TIMESTAMP, UUID ids, BOOLEAN flags
    duckdb("CREATE TABLE logs AS SELECT make_timestamp(CAST(round(\"timestamp\" * 1000000) AS BIGINT)) AS \"timestamp\","
        + " session_id, trace_id, parent_id, CAST(NULL AS UUID) AS message_id, node_type, role,"
        + " phase_name AS cell_name, cascade_id, model, depth, sounding_index AS candidate_index,"
        + " winning_sounding_index AS winning_candidate_index, reforge_step, attempt_number, turn_number,"
        + " is_winner, cost, tokens_in, tokens_out, duration_ms, content_json, metadata_json FROM staging");
    try (JdbcLogSource source = JdbcLogSource.builder(duckdb).table("logs").build();
        LogSource jsonl = Samples.source("reforge")) {
      assertThat(source.mapping().name(Column.PHASE_NAME)).isEqualTo("cell_name");
      assertThat(ExecutionJson.writePretty(fold(source, id))).isEqualTo(ExecutionJson.writePretty(fold(jsonl, id)));
      assertThat(source.selectSql(SessionQuery.of(id).from(1.0))).contains("epoch_us");
    }
  }

  @Test
  void aTimeRangeOnADateTimeColumnIsHalfOpenToTheMicrosecond() throws Exception {
    duckdb("CREATE TABLE logs (\"timestamp\" TIMESTAMP, session_id VARCHAR, node_type VARCHAR)",
        "INSERT INTO logs VALUES ('2025-01-05 10:00:00.000001', 's', 'a'), ('2025-01-05 10:00:00.000002', 's', 'b'),"
            + " ('2025-01-05 10:00:00.000003', 's', 'c')");
    double second = 1736071200.000002;
    try (JdbcLogSource source = JdbcLogSource.builder(duckdb).table("logs").build()) {
      RecordingSink sink = new RecordingSink();
      source.read(SessionQuery.of("s").from(second).until(1736071200.000003), sink);
      assertThat(sink.nodeTypes()).containsExactly("b");
      assertThat(sink.rows.get(0).timestamp()).isEqualTo(second);
    }
  }

  @Test
  void aValueThatIsNotANumberIsAWarningAndItsRowIsSkippedNeverReadAsNull() throws Exception {
    String url = "jdbc:sqlite:" + dir.resolve("bad.db");
    try (Connection c = DriverManager.getConnection(url); Statement s = c.createStatement()) {
      s.execute("CREATE TABLE unified_logs (timestamp REAL, session_id TEXT, node_type TEXT, cost REAL,"
          + " tokens_in INTEGER, is_winner INTEGER)");
      s.execute("INSERT INTO unified_logs VALUES (1, 's', 'ok', 0.5, 10, 1), (2, 's', 'bad cost', 'abc', 10, 0),"
          + " (3, 's', 'bad tokens', 0.1, 1.5, NULL), (4, 's', 'bad flag', 0.1, '7', 'maybe'), (5, 's', 'text ints', '0.25', '12', 'true')");
    }
    try (JdbcLogSource source = JdbcLogSource.open(url, null, null, null, null)) {
      RecordingSink sink = new RecordingSink();
      assertThat(source.read(SessionQuery.of("s"), sink)).isEqualTo(2);
      assertThat(sink.nodeTypes()).containsExactly("ok", "text ints");
      assertThat(sink.rows.get(1).cost()).isEqualTo(0.25);
      assertThat(sink.rows.get(1).tokensIn()).isEqualTo(12);
      assertThat(sink.rows.get(1).isWinner()).isTrue();
      assertThat(sink.warnings).hasSize(3).allMatch(w -> w.startsWith("bad_value: \"s\" row "));
      assertThat(sink.warnings.get(0)).contains("column cost holds 'abc'");
      assertThat(sink.warnings.get(1)).contains("column tokens_in holds 1.5, which is not an integer");
      assertThat(sink.warnings.get(2)).contains("column is_winner holds 'maybe'");
    }
  }

  @Test
  void rowsOfBothSchemasInOneRelationKeepTheirPhaseNames() throws Exception {
    duckdb("CREATE TABLE logs (\"timestamp\" DOUBLE, session_id VARCHAR, node_type VARCHAR, phase_name VARCHAR,"
        + " cell_name VARCHAR)", "INSERT INTO logs VALUES (1, 's', 'old', 'draft', NULL), (2, 's', 'new', NULL, 'review')");
    try (JdbcLogSource source = JdbcLogSource.builder(duckdb).table("logs").build()) {
      RecordingSink sink = new RecordingSink();
      source.read(SessionQuery.of("s"), sink);
      assertThat(sink.rows).extracting(LogRow::phaseName).containsExactly("draft", "review");
    }
  }

  @Test
  void aMissingTableIsASchemaErrorNamingIt() {
    LogSourceException e = catchThrowableOfType(LogSourceException.class,
        () -> JdbcLogSource.builder(duckdb).table("no_such_logs").build().connect());
    assertThat(e.reason()).isEqualTo(Reason.SCHEMA);
    assertThat(e.getMessage()).contains("no_such_logs");
  }

  @Test
  void aMappedColumnTheTableLacksIsASchemaErrorListingItsColumns() throws Exception {
    duckdb("CREATE TABLE logs (\"timestamp\" DOUBLE, session_id VARCHAR, node_type VARCHAR)");
    LogSourceException e = catchThrowableOfType(LogSourceException.class,
        () -> JdbcLogSource.builder(duckdb).table("logs").mapping(ColumnMapping.WINDLASS).build().connect());
    assertThat(e.reason()).isEqualTo(Reason.SCHEMA);
    assertThat(e.getMessage()).contains("has no column trace_id (trace_id)").contains("[timestamp, session_id, node_type]");
  }

  @Test
  void aUrlNoDriverAcceptsIsBadInput() {
    LogSourceException e = catchThrowableOfType(LogSourceException.class,
        () -> JdbcLogSource.open("jdbc:nosuchdb://x", null, null, null, null));
    assertThat(e.reason()).isEqualTo(Reason.BAD_INPUT);
    assertThat(e.getMessage()).contains("No suitable driver");
  }

  @Test
  void aMissingParquetFileOrAnEmptyDirectoryIsBadInput() throws Exception {
    assertThat(catchThrowableOfType(LogSourceException.class, () -> JdbcLogSource.parquet(dir.resolve("none.parquet")))
        .reason()).isEqualTo(Reason.BAD_INPUT);
    LogSourceException empty = catchThrowableOfType(LogSourceException.class, () -> JdbcLogSource.parquet(dir));
    assertThat(empty.reason()).isEqualTo(Reason.BAD_INPUT);
    assertThat(empty.getMessage()).contains("no *.parquet files in");
  }

  @Test
  void aFileThatIsNotParquetIsBadInput() throws Exception {
    Path notParquet = Files.writeString(dir.resolve("log_1.parquet"), "{\"timestamp\": 1}\n");
    LogSourceException e = catchThrowableOfType(LogSourceException.class, () -> JdbcLogSource.parquet(notParquet));
    assertThat(e.reason()).isEqualTo(Reason.BAD_INPUT);
    assertThat(e.getMessage()).contains("log_1.parquet");
  }

  @Test
  void closingTheSourceCancelsAReadInProgress() throws Exception {
    try (Connection c = duckdb.getConnection()) {
      SqlTables.create(c, "unified_logs", SqlTables.Types.DUCKDB);
      SqlTables.insert(c, "unified_logs", SqlTables.Types.DUCKDB,
          new dev.execflow.testing.SessionGenerator(3).withSessionId("long").materialize(20_000));
    }
    JdbcLogSource source = JdbcLogSource.builder(duckdb).fetchSize(100).build();
    long[] seen = {0};
    LogSourceException e = catchThrowableOfType(LogSourceException.class, () -> source.read(SessionQuery.of("long"), row -> {
      if (++seen[0] == 10) {
        source.close();
      }
    }));
    assertThat(e.reason()).isEqualTo(Reason.INTERRUPTED);
    assertThat(seen[0]).isLessThan(20_000);
    assertThat(catchThrowableOfType(LogSourceException.class, () -> source.read(SessionQuery.of("long"), row -> {}))
        .reason()).isEqualTo(Reason.UNAVAILABLE);
  }

  @Test
  void aCursorThisSourceDidNotIssueIsBadInput() throws Exception {
    duckdb("CREATE TABLE logs (\"timestamp\" DOUBLE, session_id VARCHAR)");
    try (JdbcLogSource source = JdbcLogSource.builder(duckdb).table("logs").build()) {
      assertThat(catchThrowableOfType(LogSourceException.class,
          () -> source.listSessions(new SessionListQuery(null, null, 5, "bm90IGEgY3Vyc29y"))).reason())
          .isEqualTo(Reason.BAD_INPUT);
    }
  }

  @Test
  void listingATextTimestampIsUnsupportedWhereTheDialectCannotConvertIt() throws Exception {
    String url = "jdbc:sqlite:" + dir.resolve("text.db");
    try (Connection c = DriverManager.getConnection(url); Statement s = c.createStatement()) {
      s.execute("CREATE TABLE unified_logs (timestamp TEXT, session_id TEXT, node_type TEXT)");
      s.execute("INSERT INTO unified_logs VALUES ('2025-01-05 10:00:00.5', 's', 'a')");
    }
    try (JdbcLogSource source = JdbcLogSource.open(url, null, null, null, null)) {
      RecordingSink sink = new RecordingSink();
      source.read(SessionQuery.of("s"), sink);
      assertThat(sink.rows.get(0).timestamp()).isEqualTo(1736071200.5);
      LogSourceException e = catchThrowableOfType(LogSourceException.class,
          () -> source.listSessions(SessionListQuery.firstPage(5)));
      assertThat(e.reason()).isEqualTo(Reason.UNSUPPORTED);
      assertThat(e.getMessage()).contains("timestamp");
    }
  }
}
