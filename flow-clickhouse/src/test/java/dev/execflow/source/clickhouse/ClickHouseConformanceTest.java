package dev.execflow.source.clickhouse;

import dev.execflow.source.clickhouse.testing.ClickHouseServer;
import dev.execflow.source.clickhouse.testing.ClickHouseServerExtension;
import dev.execflow.source.clickhouse.testing.LogTable;
import dev.execflow.testing.conformance.LogSourceConformanceTest;
import dev.execflow.testing.Samples;
import dev.execflow.spi.LogRow;
import dev.execflow.spi.LogSource;
import dev.execflow.spi.MutableLogRow;
import dev.execflow.spi.SessionQuery;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.extension.ExtendWith;

/** Every bundled sample, loaded into a real ClickHouse, folds exactly as from the JSONL files. */
@ExtendWith(ClickHouseServerExtension.class)
class ClickHouseConformanceTest extends LogSourceConformanceTest {
  private static final String TABLE = "conformance";
  private ClickHouseServer server;

  @BeforeAll
  void load(ClickHouseServer server) {
    this.server = server;
    List<LogRow> rows = new ArrayList<>();
    try (LogSource jsonl = Samples.source()) {
      for (Samples.Sample sample : Samples.all()) {
        jsonl.read(SessionQuery.of(sample.sessionId()), row -> rows.add(new MutableLogRow().copyFrom(row)));
      }
    }
    LogTable.windlass(TABLE).create(server).insert(server, rows);
  }

  @Override
  protected LogSource sourceWithSamples() {
    return TestServers.source(server, TABLE).build();
  }

  @AfterAll
  void close() {
    closeSource();
  }
}
