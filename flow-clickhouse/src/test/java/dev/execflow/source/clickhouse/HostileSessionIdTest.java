package dev.execflow.source.clickhouse;

import static org.assertj.core.api.Assertions.assertThat;

import dev.execflow.source.clickhouse.testing.ClickHouseServer;
import dev.execflow.source.clickhouse.testing.ClickHouseServerExtension;
import dev.execflow.source.clickhouse.testing.LogTable;
import dev.execflow.spi.LogRow;
import dev.execflow.spi.MutableLogRow;
import dev.execflow.spi.SessionListQuery;
import dev.execflow.spi.SessionPage;
import dev.execflow.spi.SessionQuery;
import dev.execflow.spi.SessionSummary;
import dev.execflow.testing.RecordingSink;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * Session ids reach SQL as bound parameters where the server takes them and as escaped literals
 * on 18.16: either way a hostile id must select exactly its own rows, and its neighbours (ids an
 * injection or a lossy escape would also match) none.
 */
@ExtendWith(ClickHouseServerExtension.class)
class HostileSessionIdTest {
  private static final String TABLE = "hostile_ids";
  private static final String LONG = "L".repeat(9_999) + "'";
  private static ClickHouseLogSource source;

  static Stream<String> hostileIds() {
    return Stream.of(
        "it's",
        "x' OR '1'='1",
        "back\\slash",
        "ends with backslash\\",
        "\\x41",
        "\\'",
        "a -- comment",
        "a /* block */ b",
        "nul\0byte",
        "new\nline",
        "cr\rlf\n",
        "tab\tbed",
        LONG,
        "ünïcødé 会话 😀",
        "{session_id:String}",
        "?",
        "; DROP TABLE hostile_ids; --",
        " leading and trailing ");
  }

  /** Ids that a broken escape or an injection would match instead of, or as well as, the real one. */
  private static final List<String> NEIGHBOURS = List.of(
      "it", "its", "x", "back", "backslash", "back\\\\slash", "A", "'", "a ", "nul", "nul0byte",
      "new", "newnline", "L".repeat(9_999), "ends with backslash", "leading and trailing");

  @BeforeAll
  static void load(ClickHouseServer server) {
    List<LogRow> rows = new ArrayList<>();
    double ts = 1736071200;
    for (String id : hostileIds().toList()) {
      rows.add(row(id, ts++, "own-1"));
      rows.add(row(id, ts++, "own-2"));
    }
    for (String id : NEIGHBOURS) {
      rows.add(row(id, ts++, "neighbour"));
    }
    LogTable.windlass(TABLE).create(server).insert(server, rows);
    source = TestServers.source(server, TABLE).build();
  }

  private static LogRow row(String sessionId, double ts, String trace) {
    return new MutableLogRow().timestamp(ts).sessionId(sessionId).traceId(trace).nodeType("agent");
  }

  @AfterAll
  static void close() {
    source.close();
  }

  @ParameterizedTest
  @MethodSource("hostileIds")
  void selectsExactlyTheRowsOfThatSession(String id) {
    RecordingSink sink = new RecordingSink();
    long n = source.read(SessionQuery.of(id), sink);
    assertThat(n).isEqualTo(2);
    assertThat(sink.rows).extracting(LogRow::traceId).containsExactly("own-1", "own-2");
    assertThat(sink.rows).extracting(LogRow::sessionId).containsOnly(id);
  }

  @Test
  void anIdWithAnUnpairedSurrogateIsBadInputRatherThanAQueryForAnotherId() {
    dev.execflow.spi.LogSourceException e = org.assertj.core.api.Assertions.catchThrowableOfType(
        dev.execflow.spi.LogSourceException.class, () -> source.read(SessionQuery.of("it\uD800s"), row -> {}));
    assertThat(e.reason()).isEqualTo(dev.execflow.spi.LogSourceException.Reason.BAD_INPUT);
  }

  @Test
  void listingReturnsEveryHostileIdIntactAndPagesPastThem() {
    List<String> listed = new ArrayList<>();
    String cursor = null;
    int pages = 0;
    do {
      // page size 1: every hostile id travels through a cursor once
      SessionPage page = source.listSessions(new SessionListQuery(null, null, 1, cursor));
      page.sessions().stream().map(SessionSummary::sessionId).forEach(listed::add);
      cursor = page.nextCursor();
      pages++;
    } while (cursor != null && pages < 100);
    List<String> all = new ArrayList<>(hostileIds().toList());
    all.addAll(NEIGHBOURS);
    assertThat(listed).containsExactlyInAnyOrderElementsOf(all);
  }
}
