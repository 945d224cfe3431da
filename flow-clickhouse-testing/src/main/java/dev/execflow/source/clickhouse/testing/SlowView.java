package dev.execflow.source.clickhouse.testing;

/**
 * A {@code unified_logs}-shaped view whose every query takes seconds and can be stopped between
 * blocks: {@code rows} rows of one session stored in blocks of 500 in a Memory table (which keeps
 * each INSERT's block as it came), read through {@code sleepEachRow(0.001)}. A real slow table, for
 * tests of cancellation and deadlines: on the test server's two threads a read of 20,000 rows takes
 * about ten seconds and stops within half a second of {@code KILL QUERY}.
 *
 * <pre>{@code
 * String view = SlowView.create(server, "slow_logs", "slow-session", 20_000);
 * // read "slow-session" from server.database() + "." + view
 * }</pre>
 */
public final class SlowView {
  private static final int BLOCK = 500;

  private SlowView() {}

  /**
   * (Re)creates the view {@code name} in the server's test database (and its tables {@code
   * name_rows}, {@code name_blocks}).
   *
   * @return {@code name}
   */
  public static String create(ClickHouseServer server, String name, String sessionId, int rows) {
    String rowsTable = name + "_rows";
    String blocks = name + "_blocks";
    for (String t : new String[] {name, blocks, rowsTable}) {
      server.execute("DROP TABLE IF EXISTS " + server.qualified(t));
    }
    LogTable.windlass(rowsTable).create(server).insert(server, new SyntheticRows(sessionId, rows));
    server.execute("CREATE TABLE " + server.qualified(blocks) + " AS " + server.qualified(rowsTable)
        + " ENGINE = Memory");
    for (int k = 0; k * BLOCK < rows; k++) {
      server.execute("INSERT INTO " + server.qualified(blocks) + " SELECT * FROM " + server.qualified(rowsTable)
          + " ORDER BY timestamp LIMIT " + (k * BLOCK) + ", " + BLOCK);
    }
    server.execute("CREATE VIEW " + server.qualified(name) + " AS SELECT * FROM " + server.qualified(blocks)
        + " WHERE sleepEachRow(0.001) = 0");
    return name;
  }

  /** How many queries that mention {@code name} the server is running now. */
  public static int running(ClickHouseServer server, String name) {
    String n = server.execute("SELECT count() FROM system.processes WHERE query LIKE '%" + name
        + "%' AND query NOT LIKE '%system.processes%'");
    return Integer.parseInt(n.trim());
  }
}
