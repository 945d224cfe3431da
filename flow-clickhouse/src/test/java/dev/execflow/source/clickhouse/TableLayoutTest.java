package dev.execflow.source.clickhouse;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import dev.execflow.source.clickhouse.testing.ClickHouseServer;
import dev.execflow.source.clickhouse.testing.ClickHouseServerExtension;
import dev.execflow.spi.Column;
import dev.execflow.spi.ColumnMapping;
import dev.execflow.spi.LogRow;
import dev.execflow.spi.SessionQuery;
import dev.execflow.testing.LogRows;
import dev.execflow.testing.RecordingSink;
import java.util.Map;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * One code path for every table layout: the column types found by DESCRIBE decide each cast, so
 * integers stored as floats or text, DateTime or DateTime64 timestamps, UUID ids and
 * non-Nullable columns all arrive as the same typed row.
 */
@ExtendWith(ClickHouseServerExtension.class)
class TableLayoutTest {
  private static ClickHouseServer server;

  /** A table that stores most values in the "wrong" type, as hand-made log tables do. */
  private static final String ODD = "layout_odd";
  private static final ColumnMapping ODD_MAPPING = ColumnMapping.RVBBIT
      .with(Column.TIMESTAMP, "ts").with(Column.SESSION_ID, "sid").with(Column.TRACE_ID, "trace")
      .with(Column.MESSAGE_ID, "msg").with(Column.PARENT_ID, null).with(Column.CASCADE_ID, null)
      .with(Column.MODEL, null).with(Column.DEPTH, null).with(Column.REFORGE_STEP, null)
      .with(Column.ATTEMPT_NUMBER, null).with(Column.TOKENS_OUT, null).with(Column.DURATION_MS, null);

  /** The later schema's names (cell_name, candidate_index, ...) with some columns left out. */
  private static final String RVBBIT_NAMES = "layout_rvbbit_names";

  @BeforeAll
  static void load(ClickHouseServer s) {
    server = s;
    server.execute("DROP TABLE IF EXISTS " + server.qualified(ODD));
    server.execute("CREATE TABLE " + server.qualified(ODD) + " (ts DateTime('UTC'), sid String, trace String,"
        + " msg UUID, node_type String, role Nullable(String), cell_name Nullable(String),"
        + " candidate_index Nullable(String), winning_candidate_index Nullable(Float64), turn_number Float64,"
        + " is_winner Nullable(String), cost Nullable(String), tokens_in Nullable(Float64),"
        + " content_json Nullable(String), metadata_json Nullable(String))"
        + " ENGINE = MergeTree ORDER BY (sid, ts)");
    server.execute("INSERT INTO " + server.qualified(ODD) + " VALUES"
        + " (toDateTime('2025-01-05 10:00:00', 'UTC'), 'odd', 't1', '61f0c404-5cb3-11e7-907b-a6006ad3dba0',"
        + "  'candidate_attempt', 'assistant', 'draft', '2', 1.0, 3.0, 'true', '0.0005', 222.0, '\"out\"', '{}'),"
        + " (toDateTime('2025-01-05 10:00:01', 'UTC'), 'odd', '', '00000000-0000-0000-0000-000000000000',"
        + "  'agent', NULL, 'draft', NULL, NULL, 0, 'false', NULL, NULL, NULL, NULL),"
        + " (toDateTime('2025-01-05 10:00:02', 'UTC'), 'odd', 't3', '00000000-0000-0000-0000-000000000001',"
        + "  'agent', 'assistant', 'draft', 'abc', NULL, 1.5, NULL, 'lots', NULL, NULL, NULL),"
        + " (toDateTime('2025-01-05 10:00:03', 'UTC'), 'odd', 't4', '00000000-0000-0000-0000-000000000002',"
        + "  'agent', 'assistant', 'draft', '7.0', NULL, 2, '1', '1e-4', NULL, NULL, NULL)");

    server.execute("DROP TABLE IF EXISTS " + server.qualified(RVBBIT_NAMES));
    server.execute("CREATE TABLE " + server.qualified(RVBBIT_NAMES) + " (timestamp Float64, session_id String,"
        + " trace_id Nullable(String), node_type Nullable(String), role Nullable(String),"
        + " cell_name Nullable(String), candidate_index Nullable(Int32), winning_candidate_index Nullable(Int32),"
        + " cost Nullable(Float64), content_json Nullable(String), metadata_json Nullable(String))"
        + " ENGINE = MergeTree ORDER BY (session_id, timestamp)");
    server.execute("INSERT INTO " + server.qualified(RVBBIT_NAMES) + " VALUES"
        + " (1.5, 'r1', 't1', 'candidates_result', 'system', 'draft', NULL, 1, NULL, NULL, '{}')");
  }

  private static RecordingSink readOdd() {
    try (ClickHouseLogSource source = TestServers.source(server, ODD).mapping(ODD_MAPPING).build()) {
      RecordingSink sink = new RecordingSink();
      source.read(SessionQuery.of("odd"), sink);
      return sink;
    }
  }

  @Test
  void dateTimeTimestampsBecomeEpochSecondsAndUuidsText() {
    LogRow first = readOdd().rows.get(0);
    assertThat(first.timestamp()).isEqualTo(1736071200.0);
    assertThat(first.messageId()).isEqualTo("61f0c404-5cb3-11e7-907b-a6006ad3dba0");
  }

  @Test
  void integersStoredAsTextOrFloatsAndFlagsStoredAsTextAreReadTyped() {
    LogRow first = readOdd().rows.get(0);
    assertThat(first.soundingIndex()).isEqualTo(2);
    assertThat(first.winningSoundingIndex()).isEqualTo(1);
    assertThat(first.turnNumber()).isEqualTo(3);
    assertThat(first.isWinner()).isTrue();
    assertThat(first.cost()).isEqualTo(0.0005);
    assertThat(first.tokensIn()).isEqualTo(222);
    assertThat(first.phaseName()).isEqualTo("draft");
    LogRow last = readOdd().rows.get(2);
    assertThat(last.soundingIndex()).isEqualTo(7);
    assertThat(last.isWinner()).isTrue();
    assertThat(last.cost()).isEqualTo(1e-4);
  }

  @Test
  void anEmptyStringInANonNullableColumnIsReadAsNull() {
    LogRow second = readOdd().rows.get(1);
    assertThat(second.traceId()).isNull();
    assertThat(second.isWinner()).isFalse();
    assertThat(second.role()).isNull();
  }

  @Test
  void columnsMappedToNullAreReadAsNull() {
    LogRow first = readOdd().rows.get(0);
    assertThat(first.parentId()).isNull();
    assertThat(first.model()).isNull();
    assertThat(first.depth()).isEqualTo(LogRow.NO_INT);
    assertThat(first.tokensOut()).isEqualTo(LogRow.NO_LONG);
    assertThat(first.durationMs()).isNaN();
  }

  @Test
  void aRowWithValuesThatAreNoNumbersIsReportedAsAWarningNamingTheColumnsAndNotRead() {
    RecordingSink sink = readOdd();
    assertThat(sink.rows).extracting(LogRow::traceId).containsExactly("t1", null, "t4");
    assertThat(sink.warnings).hasSize(1);
    assertThat(sink.warnings.get(0)).startsWith("bad_value: ").contains("row 3")
        .contains("sounding_index").contains("turn_number").contains("cost");
  }

  @Test
  void aNamedPresetReadsAnOlderTableWithoutItsOptionalColumnsAsDetectionDoes() {
    // RVBBIT_NAMES lacks message_id, model, depth, ...: the preset must not refuse it
    try (ClickHouseLogSource source = ClickHouseLogSource.open(server.url(), server.user(), server.password(),
        server.database(), RVBBIT_NAMES, "rvbbit")) {
      RecordingSink sink = new RecordingSink();
      source.read(SessionQuery.of("r1"), sink);
      assertThat(source.mapping().name(Column.MESSAGE_ID)).isNull();
      assertThat(sink.rows).hasSize(1);
      assertThat(sink.rows.get(0).phaseName()).isEqualTo("draft");
    }
  }

  @Test
  void detectMappingRecognisesTheLaterSchemasNamesAndReadsAbsentColumnsAsNull() {
    try (ClickHouseLogSource source = TestServers.source(server, RVBBIT_NAMES).detectMapping().build()) {
      RecordingSink sink = new RecordingSink();
      source.read(SessionQuery.of("r1"), sink);
      assertThat(source.mapping().name(Column.PHASE_NAME)).isEqualTo("cell_name");
      assertThat(source.mapping().name(Column.MODEL)).isNull();
      Map<String, Object> row = LogRows.asMap(sink.rows.get(0), true);
      assertThat(row).containsEntry("phase_name", "draft").containsEntry("winning_sounding_index", 1)
          .containsEntry("model", null).containsEntry("depth", null);
    }
  }

  @Test
  void theRvbbitSchemaWithDateTime64AndLowCardinalityOnAServerThatHasThem() {
    assumeTrue(server.majorVersion() >= 21,
        "DateTime64, Bool and LowCardinality need a newer server: OnCurrentEngineTest runs this on chdb");
    String table = "layout_rvbbit";
    server.execute("DROP TABLE IF EXISTS " + server.qualified(table));
    server.execute("CREATE TABLE " + server.qualified(table) + " (message_id UUID, timestamp DateTime64(6, 'UTC'),"
        + " session_id String, trace_id String, parent_id Nullable(String), node_type LowCardinality(String),"
        + " role LowCardinality(String), depth Int32, cell_name LowCardinality(Nullable(String)),"
        + " cascade_id LowCardinality(String), model LowCardinality(Nullable(String)),"
        + " candidate_index Nullable(Int32), winning_candidate_index Nullable(Int32), reforge_step Nullable(Int32),"
        + " attempt_number Nullable(Int32), turn_number Nullable(Int32), is_winner Nullable(Bool),"
        + " cost Nullable(Float64), tokens_in Nullable(Int64), tokens_out Nullable(Int64),"
        + " duration_ms Nullable(Float64), content_json Nullable(String), metadata_json Nullable(String))"
        + " ENGINE = MergeTree ORDER BY (session_id, timestamp)");
    server.execute("INSERT INTO " + server.qualified(table) + " VALUES ('61f0c404-5cb3-11e7-907b-a6006ad3dba0',"
        + " '2025-01-05 10:00:00.123456', 'rv', 't1', NULL, 'candidate_attempt', 'assistant', 0, 'draft',"
        + " 'logo', 'gpt', 1, 1, NULL, NULL, 0, true, 0.0004, 400, 20, NULL, '\"x\"', '{}')");
    try (ClickHouseLogSource source = TestServers.source(server, table).mapping(ColumnMapping.RVBBIT).build()) {
      RecordingSink sink = new RecordingSink();
      source.read(SessionQuery.of("rv"), sink);
      assertThat(source.timestampType()).startsWith("DateTime64(6");
      LogRow row = sink.rows.get(0);
      assertThat(row.timestamp()).isEqualTo(1736071200.123456);
      assertThat(row.messageId()).isEqualTo("61f0c404-5cb3-11e7-907b-a6006ad3dba0");
      assertThat(row.phaseName()).isEqualTo("draft");
      assertThat(row.soundingIndex()).isEqualTo(1);
      assertThat(row.isWinner()).isTrue();
      assertThat(row.contentJson()).isEqualTo("\"x\"");
    }
  }
}
