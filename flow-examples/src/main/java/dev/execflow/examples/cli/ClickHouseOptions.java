package dev.execflow.examples.cli;

import dev.execflow.source.clickhouse.ClickHouseLogSource;
import dev.execflow.spi.LogSource;

/** Turns the {@code --clickhouse} flags into a connected source (flow-clickhouse's factory). */
final class ClickHouseOptions {
  private ClickHouseOptions() {}

  /**
   * Connects now, so that a wrong URL, password, table or schema is reported before anything is
   * printed or served.
   *
   * @param passwordEnv the name of the environment variable holding the password (never the
   *     password itself: a command line is visible to every user of the machine)
   */
  static LogSource open(String url, String user, String passwordEnv, String database, String table,
      String schema) {
    String password = SourceOptions.password(passwordEnv, "--password-env");
    return ClickHouseLogSource.open(url, user, password, database, table, schema);
  }
}
