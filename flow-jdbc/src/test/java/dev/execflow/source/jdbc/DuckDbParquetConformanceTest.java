package dev.execflow.source.jdbc;

import dev.execflow.spi.LogSource;
import dev.execflow.testing.conformance.LogSourceConformanceTest;
import java.nio.file.Path;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;

/**
 * Every bundled sample, written to a Parquet file (as the original system kept its logs), folds
 * exactly as from JSONL when DuckDB reads the file directly ({@code read_parquet}).
 */
class DuckDbParquetConformanceTest extends LogSourceConformanceTest {
  private Path dir;

  @BeforeAll
  void write() throws Exception {
    dir = TempFiles.directory("execflow-parquet");
    TempFiles.samplesAsParquet(dir.resolve("log_0001.parquet"));
  }

  @Override
  protected LogSource sourceWithSamples() {
    return JdbcLogSource.parquet(dir);
  }

  @Override
  protected boolean deliversFullContent() {
    return true;
  }

  @AfterAll
  void close() {
    closeSource();
    TempFiles.delete(dir);
  }
}
