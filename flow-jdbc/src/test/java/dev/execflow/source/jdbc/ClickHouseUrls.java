package dev.execflow.source.jdbc;

import dev.execflow.source.clickhouse.testing.ClickHouseServer;

/** The JDBC URL of a test server's database. */
final class ClickHouseUrls {
  private ClickHouseUrls() {}

  /** {@code jdbc:clickhouse://host:port/database} of {@code server}. */
  static String jdbc(ClickHouseServer server) {
    return server.url().replaceFirst("^https?://", "jdbc:clickhouse://") + "/" + server.database();
  }
}
