package dev.execflow.source.clickhouse;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.execflow.source.clickhouse.testing.ClickHouseServer;
import dev.execflow.source.clickhouse.testing.ClickHouseServerExtension;
import dev.execflow.source.clickhouse.testing.LogTable;
import dev.execflow.source.clickhouse.testing.SyntheticRows;
import dev.execflow.spi.SessionQuery;
import java.util.List;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * A follow tick reads only the tail of a long session: on a table ordered by {@code (session_id,
 * timestamp)}, the tail's SELECT of a 1,000,000-row session runs under a server-side limit of
 * 65,536 rows read (a few granules), which the whole session's SELECT breaks. Shown by the
 * server's own {@code max_rows_to_read}, not by timing.
 */
@ExtendWith(ClickHouseServerExtension.class)
class TailReadTest {
  private static final long ROWS = 1_000_000;
  private static final String TABLE = "tail_reads";
  private static final String LIMIT = "\nSETTINGS max_rows_to_read = 65536, read_overflow_mode = 'throw'\nFORMAT Null";
  private static ClickHouseServer server;
  /** The session's last row time: rows are one per millisecond from 1736071200. */
  private static final double LAST = 1736071200 + (ROWS - 1) / 1000.0;

  @BeforeAll
  static void load(ClickHouseServer s) {
    server = s;
    LogTable table = LogTable.windlass(TABLE).create(server);
    table.insert(server, new SyntheticRows("long", ROWS));
    table.insert(server, new SyntheticRows("short", 100));
  }

  @Test
  void aTicksReadOfTheLookBackWindowStaysWithinAFewGranules() {
    try (ClickHouseLogSource source = TestServers.source(server, TABLE).build()) {
      String tail = source.selectSql(SessionQuery.of("long").from(LAST - 6));

      assertThat(server.execute(tail + LIMIT)).isEmpty();
    }
  }

  @Test
  void theWholeSessionsReadBreaksThatLimit() {
    try (ClickHouseLogSource source = TestServers.source(server, TABLE).build()) {
      String whole = source.selectSql(SessionQuery.of("long"));

      assertThatThrownBy(() -> server.execute(whole + LIMIT)).hasMessageContaining("Limit for rows");
    }
  }

  @Test
  void oneQueryForSeveralSessionsTailsStaysWithinTheLimitToo() {
    try (ClickHouseLogSource source = TestServers.source(server, TABLE).build()) {
      String many = source.sessionsSelectSql(List.of(SessionQuery.of("long").from(LAST - 6), SessionQuery.of("short")));

      assertThat(server.execute(many + LIMIT)).isEmpty();
    }
  }

  @Test
  void oneQueryForSeveralSessionsDeliversEachSessionsTail() {
    try (ClickHouseLogSource source = TestServers.source(server, TABLE).build()) {
      long[] counts = new long[2];

      source.readSessions(List.of(SessionQuery.of("long").from(LAST - 6), SessionQuery.of("short")),
          id -> row -> counts[id.equals("long") ? 0 : 1]++);

      assertThat(counts).containsExactly(6001, 100);
    }
  }
}
