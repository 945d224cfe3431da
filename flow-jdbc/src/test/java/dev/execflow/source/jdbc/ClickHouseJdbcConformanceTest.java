package dev.execflow.source.jdbc;

import dev.execflow.testing.SqlTables;
import dev.execflow.source.clickhouse.testing.ClickHouseServer;
import dev.execflow.source.clickhouse.testing.ClickHouseServerExtension;
import dev.execflow.source.clickhouse.testing.LogTable;
import dev.execflow.spi.LogSource;
import dev.execflow.testing.conformance.LogSourceConformanceTest;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * Every bundled sample, loaded into a real clickhouse-server (Debian's 18.16 here), folds exactly
 * as from JSONL when read through clickhouse-jdbc: the plain URL, the source switching to the v1
 * driver and its settings itself when the server is too old for the default driver.
 */
@ExtendWith(ClickHouseServerExtension.class)
class ClickHouseJdbcConformanceTest extends LogSourceConformanceTest {
  private static final String TABLE = "jdbc_conformance";
  private ClickHouseServer server;

  @BeforeAll
  void load(ClickHouseServer server) {
    this.server = server;
    LogTable.windlass(TABLE).create(server).insert(server, SqlTables.sampleRows());
  }

  @Override
  protected LogSource sourceWithSamples() {
    return JdbcLogSource.open(ClickHouseUrls.jdbc(server), server.user(), server.password(), TABLE, "auto");
  }

  @AfterAll
  void close() {
    closeSource();
  }
}
