package dev.execflow.source.jdbc;

import dev.execflow.testing.SqlTables;
import dev.execflow.spi.LogRow;
import dev.execflow.spi.LogSource;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.util.List;
import org.junit.jupiter.api.AfterAll;

/** {@link HostileSessionIdContract} on an SQLite file. */
class SqliteHostileSessionIdTest extends HostileSessionIdContract {
  private final Path dir = TempFiles.directory("execflow-hostile");

  @Override
  protected LogSource load(List<LogRow> rows) throws Exception {
    String url = "jdbc:sqlite:" + dir.resolve("logs.db");
    try (Connection c = DriverManager.getConnection(url)) {
      SqlTables.create(c, "unified_logs", SqlTables.Types.SQLITE);
      SqlTables.insert(c, "unified_logs", SqlTables.Types.SQLITE, rows);
    }
    return JdbcLogSource.open(url, null, null, null, null);
  }

  @AfterAll
  void deleteFile() {
    TempFiles.delete(dir);
  }
}
