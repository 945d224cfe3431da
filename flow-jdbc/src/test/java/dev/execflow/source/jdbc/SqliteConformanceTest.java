package dev.execflow.source.jdbc;

import dev.execflow.testing.SqlTables;
import dev.execflow.spi.LogSource;
import dev.execflow.testing.conformance.LogSourceConformanceTest;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;

/** Every bundled sample, loaded into an SQLite file, folds exactly as from JSONL. */
class SqliteConformanceTest extends LogSourceConformanceTest {
  private Path dir;
  private String url;

  @BeforeAll
  void load() throws Exception {
    dir = TempFiles.directory("execflow-sqlite");
    url = "jdbc:sqlite:" + dir.resolve("logs.db");
    try (Connection c = DriverManager.getConnection(url)) {
      SqlTables.create(c, "unified_logs", SqlTables.Types.SQLITE);
      SqlTables.insert(c, "unified_logs", SqlTables.Types.SQLITE, SqlTables.sampleRows());
    }
  }

  @Override
  protected LogSource sourceWithSamples() {
    return JdbcLogSource.open(url, null, null, "unified_logs", "windlass");
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
