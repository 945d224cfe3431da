package dev.execflow.source.jdbc;

import dev.execflow.source.clickhouse.testing.ClickHouseServer;
import dev.execflow.source.clickhouse.testing.ClickHouseServerExtension;
import dev.execflow.source.clickhouse.testing.LogTable;
import dev.execflow.spi.LogRow;
import dev.execflow.spi.LogSource;
import java.util.List;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * {@link HostileSessionIdContract} on a real ClickHouse through clickhouse-jdbc (on 18.16 its v1
 * driver, which writes bound parameters into the query as escaped literals itself).
 */
@ExtendWith(ClickHouseServerExtension.class)
class ClickHouseHostileSessionIdTest extends HostileSessionIdContract {
  private ClickHouseServer server;

  @BeforeAll
  void server(ClickHouseServer server) {
    this.server = server;
  }

  @Override
  protected LogSource load(List<LogRow> rows) {
    LogTable.windlass("jdbc_hostile_ids").create(server).insert(server, rows);
    return JdbcLogSource.open(ClickHouseUrls.jdbc(server), server.user(), server.password(), "jdbc_hostile_ids", null);
  }
}
