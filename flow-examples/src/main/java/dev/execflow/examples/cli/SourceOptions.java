package dev.execflow.examples.cli;

import dev.execflow.testing.Samples;
import dev.execflow.source.jsonl.JsonlLogSource;
import dev.execflow.cascade.CascadeCatalog;
import dev.execflow.cascade.SpecProblem;
import dev.execflow.spi.LogSource;
import java.io.PrintWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import picocli.CommandLine.Option;

/**
 * Where sessions come from: {@code --jsonl FILE|DIR}, {@code --clickhouse URL ...}, or (neither)
 * the bundled sample sessions. Shared by every command.
 */
final class SourceOptions {
  @Option(names = "--jsonl", paramLabel = "FILE|DIR",
      description = "JSON Lines export of unified_logs (plain or .gz), a directory of them, or - for "
          + "standard input. Default: the bundled sample sessions.")
  Path jsonl;

  @Option(names = "--clickhouse", paramLabel = "URL",
      description = "ClickHouse HTTP endpoint, e.g. http://localhost:8123")
  String clickhouseUrl;

  @Option(names = "--user", paramLabel = "U", description = "ClickHouse user (default: default)")
  String user;

  @Option(names = "--password-env", paramLabel = "VAR",
      description = "Name of the environment variable holding the ClickHouse password")
  String passwordEnv;

  @Option(names = "--database", paramLabel = "D", description = "ClickHouse database (default: default)")
  String database;

  @Option(names = "--table", paramLabel = "T", description = "ClickHouse table (default: unified_logs)")
  String table;

  @Option(names = "--schema", paramLabel = "windlass|rvbbit",
      description = "Column layout of the table: windlass (phase_name, sounding_index) or rvbbit "
          + "(cell_name, candidate_index). Default: detected from the table's columns")
  String schema;

  @Option(names = "--timeout", paramLabel = "SECONDS",
      description = "How long to wait for ClickHouse: to connect, and for each next part of an answer (default 60)")
  Integer timeoutSeconds;

  @Option(names = "--max-execution-time", paramLabel = "SECONDS",
      description = "Server-side limit on each ClickHouse query (max_execution_time); past it the read fails"
          + " (never returns part of a session). Default: none")
  Integer maxExecutionSeconds;

  /** Whether the source is standard input ({@code --jsonl -}), which can be read only once. */
  boolean readsStdin() {
    return jsonl != null && jsonl.toString().equals("-");
  }

  /** Whether no source was named, so the bundled samples are used. */
  boolean bundled() {
    return jsonl == null && clickhouseUrl == null;
  }

  /** Opens the named source; a one-line {@link CliException} when it cannot. */
  LogSource open() {
    return opener().get();
  }

  /**
   * Checks the flags (and reads the password variable) now, and returns what opens the source:
   * for {@code serve --wait-for-source}, which keeps calling it until the source is reachable.
   */
  java.util.function.Supplier<LogSource> opener() {
    if (jsonl != null && clickhouseUrl != null) {
      throw new CliException("give either --jsonl or --clickhouse, not both");
    }
    if (clickhouseUrl == null && (user != null || passwordEnv != null || database != null
        || table != null || schema != null || timeoutSeconds != null || maxExecutionSeconds != null)) {
      throw new CliException("--user, --password-env, --database, --table, --schema, --timeout and"
          + " --max-execution-time need --clickhouse URL");
    }
    Duration timeout = seconds(timeoutSeconds, "--timeout");
    Duration maxExecution = seconds(maxExecutionSeconds, "--max-execution-time");
    if (readsStdin()) {
      return () -> JsonlLogSource.fromStream(System.in, "standard input");
    }
    if (jsonl != null) {
      Path path = jsonl;
      return () -> {
        if (!Files.exists(path)) {
          throw new CliException("no such file or directory: " + path);
        }
        if (!Files.isReadable(path)) {
          throw new CliException("cannot read " + path);
        }
        return JsonlLogSource.open(path);
      };
    }
    if (clickhouseUrl != null) {
      return ClickHouseOptions.opener(new ClickHouseOptions.Flags(clickhouseUrl, user, passwordEnv, database,
          table, schema, timeout, maxExecution));
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
