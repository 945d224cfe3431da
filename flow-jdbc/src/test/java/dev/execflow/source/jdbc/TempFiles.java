package dev.execflow.source.jdbc;

import dev.execflow.testing.SqlTables;
import dev.execflow.testing.Samples;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.Statement;
import java.util.Comparator;
import java.util.stream.Stream;

/** Files the DuckDB-over-files tests read, written at test time. */
final class TempFiles {
  private TempFiles() {}

  static Path directory(String prefix) {
    try {
      return Files.createTempDirectory(prefix);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  /** Copies each bundled sample's JSONL into {@code dir}, one file per sample. */
  static Path samplesAsJsonl(Path dir) {
    for (Samples.Sample sample : Samples.all()) {
      try (InputStream in = TempFiles.class.getClassLoader().getResourceAsStream(sample.sessionResource())) {
        Files.copy(in, dir.resolve(sample.name() + ".jsonl"));
      } catch (IOException e) {
        throw new UncheckedIOException(e);
      }
    }
    return dir;
  }

  /**
   * Writes every sample row to {@code file} as Parquet, the way the original system's logs were
   * kept: DuckDB's {@code COPY ... TO ... (FORMAT parquet)} from a table loaded with the rows.
   */
  static Path samplesAsParquet(Path file) throws Exception {
    try (DuckDbMemory duckdb = new DuckDbMemory(); Connection c = duckdb.getConnection()) {
      SqlTables.create(c, "rows", SqlTables.Types.DUCKDB);
      SqlTables.insert(c, "rows", SqlTables.Types.DUCKDB, SqlTables.sampleRows());
      try (Statement s = c.createStatement()) {
        s.execute("COPY (SELECT * FROM rows ORDER BY session_id, timestamp) TO "
            + SqlDialect.DUCKDB.literal(file.toString()) + " (FORMAT parquet)");
      }
    }
    return file;
  }

  static void delete(Path dir) {
    if (dir == null) {
      return;
    }
    try (Stream<Path> all = Files.walk(dir)) {
      all.sorted(Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
    } catch (IOException ignored) {
      // a temp dir
    }
  }
}
