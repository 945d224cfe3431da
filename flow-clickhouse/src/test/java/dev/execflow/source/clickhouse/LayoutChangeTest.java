package dev.execflow.source.clickhouse;

import static org.assertj.core.api.Assertions.assertThat;

import dev.execflow.source.clickhouse.testing.ClickHouseServer;
import dev.execflow.source.clickhouse.testing.ClickHouseServerExtension;
import dev.execflow.source.clickhouse.testing.LogTable;
import dev.execflow.spi.Column;
import dev.execflow.spi.LogRow;
import dev.execflow.spi.MutableLogRow;
import dev.execflow.spi.SessionListQuery;
import dev.execflow.spi.SessionQuery;
import dev.execflow.testing.RecordingSink;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/** A table that changes under a connected source is looked at again once, not reported broken for good. */
@ExtendWith(ClickHouseServerExtension.class)
class LayoutChangeTest {
  private static List<LogRow> rows() {
    return List.of(
        new MutableLogRow().timestamp(1).sessionId("changing").traceId("t0").nodeType("phase").role("phase_start")
            .phaseName("draft"),
        new MutableLogRow().timestamp(2).sessionId("changing").traceId("t1").nodeType("agent").role("assistant")
            .phaseName("draft").model("m").cost(0.25));
  }

  @Test
  void aDroppedColumnIsDetectedAgainOnTheNextRead(ClickHouseServer server) {
    LogTable.windlass("layout_change_read").create(server).insert(server, rows());
    try (ClickHouseLogSource source = TestServers.source(server, "layout_change_read").detectMapping().build()) {
      assertThat(source.read(SessionQuery.of("changing"), new RecordingSink())).isEqualTo(2);

      server.execute("ALTER TABLE " + server.qualified("layout_change_read") + " DROP COLUMN model");
      RecordingSink sink = new RecordingSink();

      assertThat(source.read(SessionQuery.of("changing"), sink)).isEqualTo(2);
      assertThat(source.mapping().name(Column.MODEL)).isNull();
      assertThat(sink.rows.get(1).model()).isNull();
    }
  }

  @Test
  void theListingToo(ClickHouseServer server) {
    LogTable.windlass("layout_change_list").create(server).insert(server, rows());
    try (ClickHouseLogSource source = TestServers.source(server, "layout_change_list").detectMapping().build()) {
      assertThat(source.listSessions(SessionListQuery.firstPage(10)).sessions()).hasSize(1);

      server.execute("ALTER TABLE " + server.qualified("layout_change_list") + " DROP COLUMN cascade_id");

      assertThat(source.listSessions(SessionListQuery.firstPage(10)).sessions()).hasSize(1);
    }
  }
}
