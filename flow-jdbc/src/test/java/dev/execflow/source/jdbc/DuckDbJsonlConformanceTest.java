package dev.execflow.source.jdbc;

import dev.execflow.spi.LogSource;
import dev.execflow.testing.conformance.LogSourceConformanceTest;
import java.nio.file.Path;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;

/**
 * The bundled samples' own JSONL files, read by DuckDB's {@code read_ndjson} with the column types
 * it infers, fold exactly as through the JSONL source.
 */
class DuckDbJsonlConformanceTest extends LogSourceConformanceTest {
  private Path dir;

  @BeforeAll
  void write() {
    dir = TempFiles.samplesAsJsonl(TempFiles.directory("execflow-ndjson"));
  }

  @Override
  protected LogSource sourceWithSamples() {
    return JdbcLogSource.ndjson(dir, null);
  }

  /**
   * A content written as a JSON object (not a string) comes back from DuckDB's JSON type
   * re-serialised ({@code {"tool":"web_search"}} for {@code {"tool": "web_search"}}): the same
   * value, other bytes, so rows are compared without content (the folds still must be equal).
   */
  @Override
  protected boolean deliversFullContent() {
    return false;
  }

  @AfterAll
  void close() {
    closeSource();
    TempFiles.delete(dir);
  }
}
