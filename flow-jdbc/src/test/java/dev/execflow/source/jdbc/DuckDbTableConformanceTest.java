package dev.execflow.source.jdbc;

import dev.execflow.testing.SqlTables;
import dev.execflow.spi.LogSource;
import dev.execflow.testing.conformance.LogSourceConformanceTest;
import java.sql.Connection;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;

/** Every bundled sample, loaded into a table of an embedded DuckDB, folds exactly as from JSONL. */
class DuckDbTableConformanceTest extends LogSourceConformanceTest {
  private final DuckDbMemory duckdb = new DuckDbMemory();

  @BeforeAll
  void load() throws Exception {
    try (Connection c = duckdb.getConnection()) {
      SqlTables.create(c, "unified_logs", SqlTables.Types.DUCKDB);
      SqlTables.insert(c, "unified_logs", SqlTables.Types.DUCKDB, SqlTables.sampleRows());
    }
  }

  @Override
  protected LogSource sourceWithSamples() {
    return JdbcLogSource.builder(duckdb).build();
  }

  @Override
  protected boolean deliversFullContent() {
    return true;
  }

  @AfterAll
  void close() {
    closeSource();
    duckdb.close();
  }
}
