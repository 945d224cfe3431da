package dev.execflow.source.jdbc;

import dev.execflow.source.jsonl.JsonlWriter;
import dev.execflow.spi.LogRow;
import dev.execflow.spi.LogSource;
import dev.execflow.testing.SqlTables;
import dev.execflow.testing.conformance.ConformanceBackend;
import java.io.IOException;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.List;
import java.util.function.Supplier;

/** The stores the JDBC source is tested on, as conformance backends: each load adds rows to one store. */
final class JdbcBackends {
  private JdbcBackends() {}

  /** An in-memory DuckDB table. */
  static ConformanceBackend duckDbTable(DuckDbMemory duckdb) {
    try (Connection c = duckdb.getConnection()) {
      SqlTables.create(c, "unified_logs", SqlTables.Types.DUCKDB);
    } catch (SQLException e) {
      throw new IllegalStateException(e);
    }
    return backend(rows -> {
      try (Connection c = duckdb.getConnection()) {
        SqlTables.insert(c, "unified_logs", SqlTables.Types.DUCKDB, rows);
      }
    }, () -> JdbcLogSource.builder(duckdb).build(), true);
  }

  /** A SQLite database file. */
  static ConformanceBackend sqlite(Path dir) {
    String url = "jdbc:sqlite:" + dir.resolve("logs.db");
    try (Connection c = DriverManager.getConnection(url)) {
      SqlTables.create(c, "unified_logs", SqlTables.Types.SQLITE);
    } catch (SQLException e) {
      throw new IllegalStateException(e);
    }
    return backend(rows -> {
      try (Connection c = DriverManager.getConnection(url)) {
        SqlTables.insert(c, "unified_logs", SqlTables.Types.SQLITE, rows);
      }
    }, () -> JdbcLogSource.open(url, null, null, "unified_logs", "windlass"), true);
  }

  /**
   * A directory of JSON Lines files read in place by DuckDB ({@code read_ndjson}); each load writes
   * one more file. Content written as a JSON object comes back re-serialised by DuckDB's JSON type
   * (the same value, other bytes), so rows are compared without content.
   */
  static ConformanceBackend duckDbJsonl(Path dir) {
    int[] files = {0};
    return backend(rows -> writeJsonl(dir.resolve(String.format("part-%05d.jsonl", files[0]++)), rows),
        () -> JdbcLogSource.ndjson(dir, null), false);
  }

  /** A directory of Parquet files (the original system's logs) read in place; each load writes one. */
  static ConformanceBackend duckDbParquet(Path dir) {
    int[] files = {0};
    return backend(rows -> {
      Path file = dir.resolve(String.format("log_%05d.parquet", files[0]++));
      try (DuckDbMemory duckdb = new DuckDbMemory(); Connection c = duckdb.getConnection()) {
        SqlTables.create(c, "rows", SqlTables.Types.DUCKDB);
        SqlTables.insert(c, "rows", SqlTables.Types.DUCKDB, rows);
        try (Statement s = c.createStatement()) {
          s.execute("COPY (SELECT * FROM rows ORDER BY session_id, timestamp) TO "
              + SqlDialect.DUCKDB.literal(file.toString()) + " (FORMAT parquet)");
        }
      }
    }, () -> JdbcLogSource.parquet(dir), true);
  }

  interface Loader {
    void load(List<? extends LogRow> rows) throws Exception;
  }

  static ConformanceBackend backend(Loader loader, Supplier<LogSource> sources, boolean fullContent) {
    return new ConformanceBackend() {
      @Override public synchronized void load(List<? extends LogRow> rows) {
        try {
          loader.load(rows);
        } catch (RuntimeException e) {
          throw e;
        } catch (Exception e) {
          throw new IllegalStateException("could not load rows: " + e, e);
        }
      }

      @Override public LogSource openSource() {
        return sources.get();
      }

      @Override public boolean deliversFullContent() {
        return fullContent;
      }
    };
  }

  private static void writeJsonl(Path file, List<? extends LogRow> rows) {
    try (OutputStream out = Files.newOutputStream(file); JsonlWriter writer = new JsonlWriter(out)) {
      rows.forEach(writer::accept);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }
}
