package dev.execflow.source.jdbc;

import dev.execflow.testing.SqlTables;
import dev.execflow.spi.LogRow;
import dev.execflow.spi.LogSource;
import java.sql.Connection;
import java.util.List;
import org.junit.jupiter.api.AfterAll;

/** {@link HostileSessionIdContract} on a DuckDB table. */
class DuckDbHostileSessionIdTest extends HostileSessionIdContract {
  private final DuckDbMemory duckdb = new DuckDbMemory();

  @Override
  protected LogSource load(List<LogRow> rows) throws Exception {
    try (Connection c = duckdb.getConnection()) {
      SqlTables.create(c, "unified_logs", SqlTables.Types.DUCKDB);
      SqlTables.insert(c, "unified_logs", SqlTables.Types.DUCKDB, rows);
    }
    return JdbcLogSource.builder(duckdb).build();
  }

  @AfterAll
  void closeDatabase() {
    duckdb.close();
  }
}
