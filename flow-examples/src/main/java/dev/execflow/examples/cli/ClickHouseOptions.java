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
    return opener(url, user, passwordEnv, database, table, schema).get();
  }

  /** Checks the flags and reads the password variable now; the returned opener connects. */
  static java.util.function.Supplier<LogSource> opener(String url, String user, String passwordEnv,
      String database, String table, String schema) {
    String password = null;
    if (passwordEnv != null) {
      password = System.getenv(passwordEnv);
      if (password == null) {
        throw new CliException("environment variable " + passwordEnv + " (--password-env) is not set");
      }
    }
    if (schema != null && !schema.matches("(?i)windlass|rvbbit|auto")) {
      throw new CliException("--schema must be windlass, rvbbit or auto, was '" + schema + "'");
    }
    String secret = password;
    return () -> ClickHouseLogSource.open(url, user, secret, database, table, schema);
  }
}
