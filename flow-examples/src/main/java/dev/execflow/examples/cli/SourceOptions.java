package dev.execflow.examples.cli;

import dev.execflow.testing.Samples;
import dev.execflow.source.jsonl.JsonlLogSource;
import dev.execflow.cascade.CascadeCatalog;
import dev.execflow.cascade.SpecProblem;
import dev.execflow.source.jdbc.JdbcLogSource;
import dev.execflow.spi.LogSource;
import java.io.PrintWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import picocli.CommandLine.Option;

/**
 * Where sessions come from: {@code --jsonl FILE|DIR}, {@code --clickhouse URL ...}, {@code --jdbc
 * URL ...}, {@code --parquet FILE|DIR}, or (none of them) the bundled sample sessions. Shared by
 * every command.
 */
final class SourceOptions {
  @Option(names = "--jsonl", paramLabel = "FILE|DIR",
      description = "JSON Lines export of unified_logs (plain or .gz), or a directory of them. "
          + "Default: the bundled sample sessions.")
  Path jsonl;

  @Option(names = "--clickhouse", paramLabel = "URL",
      description = "ClickHouse HTTP endpoint, e.g. http://localhost:8123")
  String clickhouseUrl;

  @Option(names = "--jdbc", paramLabel = "URL",
      description = "JDBC URL of a database holding unified_logs, e.g. jdbc:duckdb:/data/logs.duckdb, "
          + "jdbc:sqlite:logs.db, jdbc:clickhouse://localhost:8123/default (DuckDB, SQLite and ClickHouse "
          + "drivers are bundled)")
  String jdbcUrl;

  @Option(names = "--jdbc-user", paramLabel = "U", description = "JDBC user (default: none)")
  String jdbcUser;

  @Option(names = "--jdbc-password-env", paramLabel = "VAR",
      description = "Name of the environment variable holding the JDBC password")
  String jdbcPasswordEnv;

  @Option(names = "--parquet", paramLabel = "FILE|DIR",
      description = "Parquet log file, or a directory of *.parquet files (read in place by an embedded DuckDB)")
  Path parquet;

  @Option(names = "--user", paramLabel = "U", description = "ClickHouse user (default: default)")
  String user;

  @Option(names = "--password-env", paramLabel = "VAR",
      description = "Name of the environment variable holding the ClickHouse password")
  String passwordEnv;

  @Option(names = "--database", paramLabel = "D", description = "ClickHouse database (default: default)")
  String database;

  @Option(names = "--table", paramLabel = "T",
      description = "Table for --clickhouse or --jdbc (default: unified_logs; db.table or schema.table for --jdbc)")
  String table;

  @Option(names = "--schema", paramLabel = "windlass|rvbbit",
      description = "Column layout of the table or files: windlass (phase_name, sounding_index) or rvbbit "
          + "(cell_name, candidate_index). Default: detected from the columns")
  String schema;

  /** Set from {@link ClickHouseWaits} by the commands that have them ({@code follow}'s --timeout is its own). */
  Integer timeoutSeconds;
  Integer maxExecutionSeconds;

  /** Set from {@link StrategyOptions} by {@code assemble}, {@code serve} and {@code follow}; null: not given. */
  dev.execflow.source.clickhouse.Strategy strategy;
  Integer parallelRanges;

  /**
   * Whether a whole-session read delivers every row to the caller's sink (so a progress line can
   * count them): any source but ClickHouse, and ClickHouse with {@code --strategy stream} in one range.
   */
  boolean streamsEveryRow() {
    return clickhouseUrl == null
        || (strategy == dev.execflow.source.clickhouse.Strategy.STREAM && (parallelRanges == null || parallelRanges == 1));
  }

  /** Whether the source is standard input ({@code --jsonl -}), which can be read only once. */
  boolean readsStdin() {
    return jsonl != null && jsonl.toString().equals("-");
  }

  /** Whether no source was named, so the bundled samples are used. */
  boolean bundled() {
    return jsonl == null && clickhouseUrl == null && jdbcUrl == null && parquet == null;
  }

  /** Opens the named source; a one-line {@link CliException} when it cannot. */
  LogSource open() {
    return opener().get();
  }

  /**
   * Checks the flags (and reads the password variables) now, and returns what opens the source:
   * for {@code serve --wait-for-source}, which keeps calling it until the source is reachable.
   */
  java.util.function.Supplier<LogSource> opener() {
    int named = (jsonl != null ? 1 : 0) + (clickhouseUrl != null ? 1 : 0) + (jdbcUrl != null ? 1 : 0)
        + (parquet != null ? 1 : 0);
    if (named > 1) {
      throw new CliException("give one of --jsonl, --clickhouse, --jdbc and --parquet, not several");
    }
    if (clickhouseUrl == null && (user != null || passwordEnv != null || database != null
        || timeoutSeconds != null || maxExecutionSeconds != null)) {
      throw new CliException("--user, --password-env, --database, --timeout and --max-execution-time need"
          + " --clickhouse URL" + (jdbcUrl != null ? " (for --jdbc: --jdbc-user, --jdbc-password-env, and the"
          + " database in the URL)" : ""));
    }
    if (clickhouseUrl == null && ((strategy != null && strategy != dev.execflow.source.clickhouse.Strategy.STREAM)
        || (parallelRanges != null && parallelRanges != 1))) {
      throw new CliException((strategy != null && strategy != dev.execflow.source.clickhouse.Strategy.STREAM
          ? "--strategy " + strategy.label() : "--parallel-ranges") + " needs --clickhouse URL: "
          + (bundled() ? "the bundled samples" : jsonl != null ? "JSONL files" : "JDBC and Parquet sources")
          + " are always streamed (--strategy stream)");
    }
    if (parallelRanges != null && (parallelRanges < 1 || parallelRanges > 64)) {
      throw new CliException("--parallel-ranges must be 1 to 64, was " + parallelRanges);
    }
    if (jdbcUrl == null && (jdbcUser != null || jdbcPasswordEnv != null)) {
      throw new CliException("--jdbc-user and --jdbc-password-env need --jdbc URL");
    }
    if (clickhouseUrl == null && jdbcUrl == null && table != null) {
      throw new CliException("--table needs --clickhouse URL or --jdbc URL");
    }
    if (schema != null && (jsonl != null || bundled())) {
      throw new CliException("--schema needs --clickhouse, --jdbc or --parquet (JSONL files are read with both layouts)");
    }
    if (schema != null && !schema.matches("(?i)windlass|rvbbit|auto")) {
      throw new CliException("--schema must be windlass, rvbbit or auto, was '" + schema + "'");
    }
    Duration timeout = seconds(timeoutSeconds, "--timeout");
    Duration maxExecution = seconds(maxExecutionSeconds, "--max-execution-time");
    if (readsStdin()) {
      return () -> JsonlLogSource.fromStream(System.in, "standard input");
    }
    if (jsonl != null) {
      Path path = jsonl;
      return () -> {
        readable(path);
        return JsonlLogSource.open(path);
      };
    }
    if (clickhouseUrl != null) {
      return ClickHouseOptions.opener(new ClickHouseOptions.Flags(clickhouseUrl, user, passwordEnv, database,
          table, schema, timeout, maxExecution, strategy, parallelRanges));
    }
    if (jdbcUrl != null) {
      if (!jdbcUrl.startsWith("jdbc:")) {
        throw new CliException("--jdbc needs a JDBC URL (jdbc:duckdb:..., jdbc:sqlite:..., jdbc:clickhouse://...),"
            + " was '" + jdbcUrl + "'");
      }
      String url = jdbcUrl;
      String jdbcPassword = password(jdbcPasswordEnv, "--jdbc-password-env");
      return () -> JdbcLogSource.open(url, jdbcUser, jdbcPassword, table, schema);
    }
    if (parquet != null) {
      Path path = parquet;
      return () -> {
        readable(path);
        return JdbcLogSource.parquet(path, schema);
      };
    }
    return Samples::source;
  }

  private static Duration seconds(Integer value, String option) {
    if (value == null) {
      return null;
    }
    if (value < 1) {
      throw new CliException(option + " must be a positive number of seconds, was " + value);
    }
    return Duration.ofSeconds(value);
  }

  private static void readable(Path path) {
    if (!Files.exists(path)) {
      throw new CliException("no such file or directory: " + path);
    }
    if (!Files.isReadable(path)) {
      throw new CliException("cannot read " + path);
    }
  }

  /**
   * The password from the environment variable named {@code variable} (never from the command
   * line, which every user of the machine can see), or null when none is named.
   */
  static String password(String variable, String option) {
    if (variable == null) {
      return null;
    }
    String password = System.getenv(variable);
    if (password == null) {
      throw new CliException("environment variable " + variable + " (" + option + ") is not set");
    }
    return password;
  }

  /** For messages: where the sessions come from. */
  String describe() {
    if (readsStdin()) {
      return "standard input";
    }
    if (jsonl != null) {
      return jsonl.toString();
    }
    if (clickhouseUrl != null) {
      return clickhouseUrl + "/" + (database == null ? "default" : database) + "."
          + (table == null ? "unified_logs" : table);
    }
    if (jdbcUrl != null) {
      // the URL's query may hold a password: never printed
      int q = jdbcUrl.indexOf('?');
      return (q < 0 ? jdbcUrl : jdbcUrl.substring(0, q)) + " table " + (table == null ? "unified_logs" : table);
    }
    if (parquet != null) {
      return parquet.toString();
    }
    return "the bundled sample sessions";
  }

  /**
   * The cascade definitions: {@code --cascades DIR} when given, else the bundled ones when the
   * sessions are the bundled samples, else none. Files that could not be loaded are reported on
   * {@code err}, one line each, and skipped.
   */
  static CascadeCatalog catalog(Path cascades, boolean bundledSessions, PrintWriter err) {
    CascadeCatalog catalog;
    if (cascades != null) {
      if (!Files.isDirectory(cascades)) {
        throw new CliException(Files.exists(cascades)
            ? "--cascades must be a directory: " + cascades
            : "no such directory: " + cascades);
      }
      catalog = CascadeCatalog.load(cascades);
    } else if (bundledSessions) {
      catalog = CascadeCatalog.bundledSamples();
    } else {
      return CascadeCatalog.EMPTY;
    }
    for (SpecProblem p : catalog.problems()) {
      err.println("warning: cascade definition skipped: " + ExecflowCli.oneLine(p.toString()));
    }
    err.flush();
    return catalog;
  }
}
