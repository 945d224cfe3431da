package dev.execflow.source.clickhouse;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import com.clickhouse.client.api.Client;
import com.clickhouse.client.api.data_formats.ClickHouseBinaryFormatReader;
import com.clickhouse.client.api.query.QueryResponse;
import com.clickhouse.client.api.query.QuerySettings;
import com.clickhouse.data.ClickHouseFormat;
import dev.execflow.source.clickhouse.internal.WireSchema;
import dev.execflow.source.clickhouse.testing.ClickHouseServer;
import dev.execflow.source.clickhouse.testing.ClickHouseServerExtension;
import dev.execflow.source.clickhouse.testing.LogTable;
import dev.execflow.spi.LogSourceException;
import dev.execflow.spi.MutableLogRow;
import dev.execflow.spi.SessionQuery;
import dev.execflow.testing.LogRows;
import dev.execflow.testing.RecordingSink;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * Regression tests for the response-compression pitfalls measured against Debian's 18.16: each
 * was a silent wrong answer (zero rows, or garbled values, and no error), so each test checks the
 * row count AND the values.
 */
@ExtendWith(ClickHouseServerExtension.class)
class CompressionPitfallTest {
  private static final String TABLE = "compression_test";
  private static final int ROWS = 300;
  private static final List<MutableLogRow> SESSION = new ArrayList<>();
  private static ClickHouseServer server;

  @BeforeAll
  static void load(ClickHouseServer s) {
    server = s;
    for (int i = 0; i < ROWS; i++) {
      MutableLogRow row = new MutableLogRow().timestamp(1736071200 + i * 0.25).sessionId("c1")
          .traceId("trace-" + i).nodeType(i % 3 == 0 ? "sounding_attempt" : "agent").role("assistant")
          .phaseName(i % 2 == 0 ? "phase-ä-" + (i / 50) : null).soundingIndex(i % 3 == 0 ? i % 7 : -5)
          .cost(i % 4 == 0 ? Double.NaN : i * 0.0001).tokensIn(i * 10L)
          .contentJson("\"output " + i + " ✓\"").metadataJson(i % 5 == 0 ? null : "{\"i\":" + i + "}");
      if (i % 3 != 0) {
        row.soundingIndex(MutableLogRow.NO_INT);
      }
      SESSION.add(row);
    }
    LogTable.windlass(TABLE).create(server).insert(server, SESSION);
  }

  /** What a correct read delivers: every row, content only on the sounding rows. */
  private static List<Map<String, Object>> expected() {
    List<Map<String, Object>> out = new ArrayList<>();
    for (MutableLogRow row : SESSION) {
      Map<String, Object> m = LogRows.asMap(row, true);
      if (!"sounding_attempt".equals(row.nodeType())) {
        m.put("content_json", null);
      }
      out.add(m);
    }
    return out;
  }

  private static List<Map<String, Object>> readAll(ClickHouseLogSource source) {
    RecordingSink sink = new RecordingSink();
    assertThat(source.read(SessionQuery.of("c1"), sink)).isEqualTo(ROWS);
    return sink.maps(true);
  }

  @Test
  void defaultSettingsReadEveryRowAndValueAndCompressOnlyFrom19On() {
    try (ClickHouseLogSource source = TestServers.source(server, TABLE).build()) {
      assertThat(readAll(source)).isEqualTo(expected());
      assertThat(source.compressed()).isEqualTo(server.majorVersion() >= 19);
    }
  }

  @Test
  void forcedCompressionOnAServerThatAnswersWithAnEmptyBodyFailsOnConnectInsteadOfReadingNothing() {
    assumeTrue(server.majorVersion() < 19, "only servers before 19 answer compress=1 with an empty body");
    try (ClickHouseLogSource source = TestServers.source(server, TABLE).compression(Compression.ON).build()) {
      assertThatThrownBy(source::connect).isInstanceOf(LogSourceException.class)
          .hasMessageContaining("answers compressed responses wrongly")
          .hasMessageContaining("got 0 of 1000 rows")
          .extracting(e -> ((LogSourceException) e).reason()).isEqualTo(LogSourceException.Reason.UNSUPPORTED);
    }
  }

  @Test
  void forcedCompressionOnAServerThatHandlesItReadsEveryRowAndValue() {
    assumeTrue(server.majorVersion() >= 19, "servers before 19 cannot compress responses");
    try (ClickHouseLogSource source = TestServers.source(server, TABLE).compression(Compression.ON).build()) {
      assertThat(readAll(source)).isEqualTo(expected());
      assertThat(source.compressed()).isTrue();
    }
  }

  @Test
  void aHostClientBuiltWithTheClientDefaultsStillReadsEveryRowAndValue() {
    // client-v2's default is compressServerResponse(true), i.e. compress=1 on every query
    try (Client client = new Client.Builder().addEndpoint(server.url())
        .setUsername(server.user()).setPassword(server.password()).build();
        ClickHouseLogSource source = TestServers.source(server, TABLE).client(client).build()) {
      assertThat(readAll(source)).isEqualTo(expected());
    }
  }

  @Test
  void aHostClientBuiltWithHttpCompressionStillReadsEveryRowAndValue() {
    try (Client client = new Client.Builder().addEndpoint(server.url())
        .setUsername(server.user()).setPassword(server.password())
        .compressServerResponse(true).useHttpCompression(true).build();
        ClickHouseLogSource source = TestServers.source(server, TABLE).client(client).build()) {
      assertThat(readAll(source)).isEqualTo(expected());
    }
  }

  @Test
  @SuppressWarnings("try") // QueryResponse.close() declares Exception; the test method throws it anyway
  void whyTheProbeExists_theClientDefaultsAgainst18ReadZeroRowsWithoutAnyError() throws Exception {
    assumeTrue(server.majorVersion() < 19, "the empty-body answer is a pre-19 server behaviour");
    try (ClickHouseLogSource source = TestServers.source(server, TABLE).build();
        Client client = new Client.Builder().addEndpoint(server.url())
            .setUsername(server.user()).setPassword(server.password()).build()) {
      String sql = source.selectSql(SessionQuery.of("c1")) + "\nFORMAT RowBinary";
      QuerySettings settings = new QuerySettings().setFormat(ClickHouseFormat.RowBinary);
      int rows = 0;
      try (QueryResponse response = client.query(sql, settings).get()) {
        ClickHouseBinaryFormatReader reader = client.newBinaryFormatReader(response, WireSchema.WIRE);
        while (reader.hasNext()) {
          reader.next();
          rows++;
        }
      }
      assertThat(rows).as("rows read with compress=1 from an 18.16 server that holds %d", ROWS).isZero();
    }
  }
}
