package dev.execflow.source.clickhouse;

import dev.execflow.source.clickhouse.testing.ClickHouseServer;

/** Source builders for a test server (the test-server artifact does not depend on this module). */
final class TestServers {
  private TestServers() {}

  /** A source builder for {@code table} in the server's test database, with its credentials. */
  static ClickHouseLogSourceBuilder source(ClickHouseServer server, String table) {
    return ClickHouseLogSource.builder()
        .endpoint(server.url())
        .credentials(server.user(), server.password())
        .table(server.database(), table);
  }
}
