package dev.execflow.examples.cli;

import dev.execflow.source.clickhouse.ClickHouseLogSource;
import dev.execflow.source.clickhouse.ClickHouseLogSourceBuilder;
import dev.execflow.source.clickhouse.Strategy;
import dev.execflow.spi.LogSource;
import java.time.Duration;
import java.util.function.Supplier;

/** Turns the {@code --clickhouse} flags into a connected source (flow-clickhouse's builder). */
final class ClickHouseOptions {
  private ClickHouseOptions() {}

  /**
   * The flags, as given (null: not given).
   *
   * @param passwordEnv the name of the environment variable holding the password (never the
   *     password itself: a command line is visible to every user of the machine)
   * @param timeout how long to wait to connect and for each next bytes of an answer
   * @param maxExecutionTime the server-side limit on each query ({@code max_execution_time})
   * @param strategy how a whole session is folded (null: the builder's default, {@code auto})
   * @param parallelRanges time ranges a streamed session is read in (null: 1)
   */
  record Flags(String url, String user, String passwordEnv, String database, String table, String schema,
      Duration timeout, Duration maxExecutionTime, Strategy strategy, Integer parallelRanges) {}

  /**
   * Connects now, so that a wrong URL, password, table or schema is reported before anything is
   * printed or served.
   */
  static LogSource open(Flags flags) {
    return opener(flags).get();
  }

  /**
   * Checks the flags (URL, names, schema) and reads the password variable now; the returned
   * opener connects. The URL is checked first: one with credentials in it is refused without
   * being repeated.
   */
  static Supplier<LogSource> opener(Flags f) {
    ClickHouseLogSource.checkEndpoint(f.url());
    if (f.database() != null && f.database().isEmpty()) {
      throw new CliException("--database must not be empty");
    }
    if (f.table() != null && f.table().isEmpty()) {
      throw new CliException("--table must not be empty");
    }
    if (f.user() != null && f.user().isEmpty()) {
      throw new CliException("--user must not be empty");
    }
    String password = null;
    if (f.passwordEnv() != null) {
      password = System.getenv(f.passwordEnv());
      if (password == null) {
        throw new CliException("environment variable " + f.passwordEnv() + " (--password-env) is not set");
      }
    }
    String schema = f.schema();
    if (schema != null && !schema.matches("(?i)windlass|rvbbit|auto")) {
      throw new CliException("--schema must be windlass, rvbbit or auto, was '" + schema + "'");
    }
    String secret = password;
    return () -> {
      ClickHouseLogSourceBuilder b = ClickHouseLogSource.builder().endpoint(f.url())
          .credentials(f.user() == null ? "default" : f.user(), secret)
          .table(f.database() == null ? "default" : f.database(), f.table() == null ? "unified_logs" : f.table())
          .schema(schema);
      if (f.timeout() != null) {
        b.connectTimeout(f.timeout()).socketTimeout(f.timeout());
      }
      if (f.maxExecutionTime() != null) {
        b.maxExecutionTime(f.maxExecutionTime());
      }
      if (f.strategy() != null) {
        b.strategy(f.strategy());
      }
      if (f.parallelRanges() != null) {
        b.parallelRanges(f.parallelRanges());
      }
      return b.connect();
    };
  }
}
