package dev.execflow.examples.cli;

import dev.execflow.spi.LogSource;

/** Turns the {@code --clickhouse} flags into a source (flow-clickhouse's factory). */
final class ClickHouseOptions {
  private ClickHouseOptions() {}

  static LogSource open(String url, String user, String passwordEnv, String database, String table,
      String schema) {
    throw new CliException("the ClickHouse source is not available in this build yet; use --jsonl");
  }
}
