package dev.execflow.source.clickhouse;

import static org.assertj.core.api.Assertions.assertThat;

import dev.execflow.assemble.ExecutionAssembler;
import dev.execflow.json.ExecutionJson;
import dev.execflow.source.clickhouse.testing.ClickHouseServer;
import dev.execflow.source.clickhouse.testing.ClickHouseServerExtension;
import dev.execflow.source.clickhouse.testing.LogTable;
import dev.execflow.spi.LogRow;
import dev.execflow.spi.MutableLogRow;
import dev.execflow.spi.RowOrder;
import dev.execflow.spi.RowSink;
import dev.execflow.spi.SessionQuery;
import dev.execflow.testing.SessionGenerator;
import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * Rows with equal timestamps come back in the canonical order of {@link RowOrder}, whatever the
 * order they were inserted in and however the table stores them: a generated session with its
 * timestamps cut to ten seconds (some 40 rows share each), shuffled within each timestamp
 * and inserted in four parts.
 */
@ExtendWith(ClickHouseServerExtension.class)
class TieBreakTest {
  private static final String TABLE = "tie_break";
  private static final String SESSION = "ties";
  private static ClickHouseServer server;
  private static List<LogRow> canonical;

  @BeforeAll
  static void load(ClickHouseServer s) {
    server = s;
    server.execute("DROP TABLE IF EXISTS " + server.qualified(TABLE));
    List<LogRow> rows = new ArrayList<>();
    for (LogRow r : new SessionGenerator(7).withSessionId(SESSION).materialize(20_000)) {
      rows.add(new MutableLogRow().copyFrom(r).timestamp(Math.floor(r.timestamp() / 10) * 10));
    }
    Map<Double, List<LogRow>> bySecond = new LinkedHashMap<>();
    rows.forEach(r -> bySecond.computeIfAbsent(r.timestamp(), k -> new ArrayList<>()).add(r));
    assertThat(rows.size() / bySecond.size()).as("rows per timestamp").isGreaterThan(20);
    List<LogRow> shuffled = new ArrayList<>();
    Random random = new Random(11);
    bySecond.values().forEach(group -> {
      Collections.shuffle(group, random);
      shuffled.addAll(group);
    });
    LogTable table = LogTable.windlass(TABLE).create(server);
    int part = shuffled.size() / 4;
    for (int i = 0; i < 4; i++) {
      // back to front, so that parts hold later seconds first
      table.insert(server, shuffled.subList((3 - i) * part, i == 0 ? shuffled.size() : (4 - i) * part));
    }
    canonical = new ArrayList<>(rows);
    canonical.sort(RowOrder.CANONICAL);
  }

  private static List<LogRow> read() {
    List<LogRow> out = new ArrayList<>();
    try (ClickHouseLogSource source = TestServers.source(server, TABLE).build()) {
      source.read(SessionQuery.of(SESSION), new RowSink() {
        @Override
        public void accept(LogRow row) {
          out.add(new MutableLogRow().copyFrom(row));
        }
      });
    }
    return out;
  }

  @Test
  void equalTimestampsArriveInTheCanonicalOrder() {
    List<LogRow> read = read();

    assertThat(read).hasSameSizeAs(canonical);
    for (int i = 0; i < read.size(); i++) {
      assertThat(RowOrder.compare(read.get(i), canonical.get(i))).as("row %d: %s vs %s", i, read.get(i),
          canonical.get(i)).isZero();
    }
  }

  @Test
  void theSameRowsFoldToTheSameDataAsTheirCanonicalOrderInMemory() {
    ExecutionAssembler fromClickHouse = new ExecutionAssembler();
    read().forEach(fromClickHouse::accept);
    ExecutionAssembler inMemory = new ExecutionAssembler();
    canonical.forEach(inMemory::accept);

    assertThat(ExecutionJson.write(fromClickHouse.snapshot())).isEqualTo(ExecutionJson.write(inMemory.snapshot()));
  }
}
