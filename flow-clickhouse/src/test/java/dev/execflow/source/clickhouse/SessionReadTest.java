package dev.execflow.source.clickhouse;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.execflow.source.clickhouse.testing.ClickHouseServer;
import dev.execflow.source.clickhouse.testing.ClickHouseServerExtension;
import dev.execflow.source.clickhouse.testing.LogTable;
import dev.execflow.spi.LogRow;
import dev.execflow.spi.MutableLogRow;
import dev.execflow.spi.RowSink;
import dev.execflow.spi.SessionQuery;
import dev.execflow.testing.LogRows;
import dev.execflow.testing.RecordingSink;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/** Reading one session from the windlass table: every value, in order, and only what the fold needs. */
@ExtendWith(ClickHouseServerExtension.class)
class SessionReadTest {
  private static final String TABLE = "read_test";
  private static ClickHouseServer server;
  private static ClickHouseLogSource source;

  /** An LLM call with every column set. */
  private static final MutableLogRow CALL = new MutableLogRow().timestamp(1736071201.25).sessionId("s1")
      .traceId("t-call").parentId("t-phase").messageId("m-1").nodeType("agent").role("assistant")
      .phaseName("research").cascadeId("blog_post").model("gpt-x").depth(1).soundingIndex(2)
      .winningSoundingIndex(1).reforgeStep(3).attemptNumber(4).turnNumber(5).isWinner(true)
      .cost(0.0012).tokensIn(222).tokensOut(3_000_000_000L).durationMs(812.5)
      .contentJson("\"a long answer the fold never reads\"").metadataJson("{\"k\":1}");
  private static final MutableLogRow START = new MutableLogRow().timestamp(1736071200.0).sessionId("s1")
      .traceId("t-phase").nodeType("phase").role("phase_start").phaseName("research")
      .contentJson("\"research\"");
  private static final MutableLogRow ATTEMPT = new MutableLogRow().timestamp(1736071202.5).sessionId("s1")
      .nodeType("sounding_attempt").role("assistant").phaseName("research").soundingIndex(0)
      .isWinner(false).contentJson("\"first sounding output\"");
  private static final MutableLogRow UNNAMED_START = new MutableLogRow().timestamp(1736071203.0)
      .sessionId("s1").nodeType("phase").role("phase_start").contentJson("\"outline\"");
  private static final MutableLogRow CANDIDATE = new MutableLogRow().timestamp(1736071204.0).sessionId("s1")
      .nodeType("candidate_attempt").role("assistant").phaseName("outline").soundingIndex(1)
      .contentJson("\"ünïcødé 😀 output\"");

  @BeforeAll
  static void load(ClickHouseServer s) {
    server = s;
    LogTable table = LogTable.windlass(TABLE).create(server);
    // inserted out of order, with neighbours whose ids share a prefix
    table.insert(server, List.of(CALL, UNNAMED_START, START, CANDIDATE, ATTEMPT,
        new MutableLogRow().timestamp(1736071200.5).sessionId("s1x").nodeType("agent"),
        new MutableLogRow().timestamp(1736071200.5).sessionId("s").nodeType("agent")));
    source = TestServers.source(server, TABLE).build();
  }

  @AfterAll
  static void close() {
    source.close();
  }

  private static List<Map<String, Object>> read(SessionQuery query) {
    RecordingSink sink = new RecordingSink();
    long n = source.read(query, sink);
    assertThat(n).isEqualTo(sink.rows.size());
    assertThat(sink.warnings).isEmpty();
    return sink.maps(true);
  }

  private static Map<String, Object> withoutContent(LogRow row) {
    Map<String, Object> m = LogRows.asMap(row, true);
    m.put("content_json", null);
    return m;
  }

  @Test
  void deliversEveryRowOfTheSessionInTimestampOrderWithEveryValue() {
    assertThat(read(SessionQuery.of("s1"))).containsExactly(
        withoutContent(START), withoutContent(CALL), LogRows.asMap(ATTEMPT, true),
        LogRows.asMap(UNNAMED_START, true), LogRows.asMap(CANDIDATE, true));
  }

  @Test
  void sendsContentOnlyForSoundingPreviewsAndPhasesNamedInTheirContent() {
    List<Map<String, Object>> rows = read(SessionQuery.of("s1"));
    assertThat(rows).extracting(m -> m.get("content_json")).containsExactly(
        null, null, "\"first sounding output\"", "\"outline\"", "\"ünïcødé 😀 output\"");
  }

  @Test
  void cutsContentServerSideToTheLimitInCodePointsAndClosesACutString() {
    try (ClickHouseLogSource small = sourceWithContentLimit(8)) {
      RecordingSink sink = new RecordingSink();
      small.read(SessionQuery.of("s1"), sink);
      assertThat(sink.rows.get(4).contentJson()).isEqualTo("\"ünïcødé\"");
      assertThat(sink.rows.get(2).contentJson()).isEqualTo("\"first s\"");
    }
  }

  private static ClickHouseLogSource sourceWithContentLimit(int limit) {
    return TestServers.source(server, TABLE).contentLimit(limit).build();
  }

  @Test
  void timeRangeIsHalfOpen() {
    List<Map<String, Object>> rows = read(SessionQuery.of("s1").from(1736071201.25).until(1736071203.0));
    assertThat(rows).extracting(m -> m.get("timestamp")).containsExactly(1736071201.25, 1736071202.5);
  }

  @Test
  void unknownSessionDeliversNoRows() {
    assertThat(read(SessionQuery.of("no-such-session"))).isEmpty();
  }

  @Test
  void aSinkFailureReachesTheCallerUnchangedAndTheSourceStaysUsable() {
    RowSink failing = row -> {
      throw new IllegalStateException("sink is full");
    };
    assertThatThrownBy(() -> source.read(SessionQuery.of("s1"), failing))
        .isInstanceOf(IllegalStateException.class).hasMessage("sink is full");
    assertThat(read(SessionQuery.of("s1"))).hasSize(5);
  }

  @Test
  void reportsTheServerVersionTimestampTypeAndMapping() {
    assertThat(source.serverVersion()).isEqualTo(server.version());
    assertThat(source.timestampType()).isEqualTo("Float64");
    assertThat(source.mapping()).isEqualTo(dev.execflow.spi.ColumnMapping.WINDLASS);
  }
}
