package dev.execflow.source.clickhouse;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import dev.execflow.assemble.ExecutionAssembler;
import dev.execflow.model.ExecutionData;
import dev.execflow.source.clickhouse.testing.ClickHouseServer;
import dev.execflow.source.clickhouse.testing.ClickHouseServerExtension;
import dev.execflow.source.clickhouse.testing.LogTable;
import dev.execflow.spi.LogRow;
import dev.execflow.spi.MutableLogRow;
import dev.execflow.spi.RowOrder;
import dev.execflow.spi.SessionQuery;
import dev.execflow.testing.Samples;
import dev.execflow.testing.SessionGenerator;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * A {@code Distributed} table over two shards (two databases of the test server, see {@link
 * ClickHouseServer#CLUSTER}) whose rows go to a shard by {@code rand()}: every session lies on both
 * shards, and reads, pushdown and listing work on it as on one table.
 */
@ExtendWith(ClickHouseServerExtension.class)
class DistributedTableTest {
  private static final String TABLE = "distributed_logs";
  private static final String SESSION = "dist-pitfalls";
  private static ClickHouseServer server;
  private static ClickHouseLogSource distributed;

  @BeforeAll
  static void load(ClickHouseServer s) {
    server = s;
    assumeTrue(server.hasCluster(), "the server defines no two-shard cluster (FLOW_CLICKHOUSE_CLUSTER)");
    LogTable table = LogTable.windlass(TABLE).createDistributed(server);
    List<LogRow> rows = new ArrayList<>(PitfallRows.of(new SessionGenerator(21).withSessionId(SESSION), 8_000)
        .seed(9).rows());
    for (String name : Samples.names()) {
      rows.addAll(FoldsAlike.sample(name, "dist-sample-" + name));
    }
    table.insert(server, rows);
    distributed = TestServers.source(server, TABLE).build();
  }

  @AfterAll
  static void close() {
    if (distributed != null) {
      distributed.close();
    }
  }

  private static long rowsOn(String shard) {
    return Long.parseLong(server.execute("SELECT count() FROM " + ClickHouseServerQuote.of(shard, TABLE)
        + " WHERE session_id = '" + SESSION + "'").trim());
  }

  @Test
  void theSessionsRowsLieOnBothShards() {
    long first = rowsOn(ClickHouseServer.SHARD_DATABASES.get(0));
    long second = rowsOn(ClickHouseServer.SHARD_DATABASES.get(1));

    assertThat(first).isPositive();
    assertThat(second).isPositive();
    assertThat(first + second).isGreaterThan(8_000);
  }

  @Test
  void pushdownThroughTheDistributedTableFoldsAlikeStreaming() {
    FoldReport how = FoldsAlike.check(distributed, SESSION);

    assertThat(how.strategy()).as("%s", how).isEqualTo(Strategy.PUSHDOWN);
    for (String name : Samples.names()) {
      assertThat(FoldsAlike.check(distributed, "dist-sample-" + name).strategy()).isEqualTo(Strategy.PUSHDOWN);
    }
  }

  @Test
  void aSessionSpreadOverBothShardsFoldsAlikeThroughTheDistributedTableAndThroughEachShardsRowsMerged() {
    List<LogRow> merged = new ArrayList<>();
    for (String shard : ClickHouseServer.SHARD_DATABASES) {
      try (ClickHouseLogSource one = ClickHouseLogSource.builder().endpoint(server.url())
          .credentials(server.user(), server.password()).table(shard, TABLE).build()) {
        one.read(SessionQuery.of(SESSION), row -> merged.add(new MutableLogRow().copyFrom(row)));
      }
    }
    merged.sort(RowOrder.CANONICAL);
    ExecutionAssembler byShards = new ExecutionAssembler();
    merged.forEach(byShards::accept);

    ExecutionData expected = byShards.snapshot();
    for (Strategy strategy : List.of(Strategy.STREAM, Strategy.PUSHDOWN)) {
      ExecutionAssembler through = new ExecutionAssembler();
      FoldReport how = distributed.fold(SessionQuery.of(SESSION), through, strategy);
      assertThat(how.strategy()).isEqualTo(strategy);
      assertThat(through.snapshot()).as("%s", how).isEqualTo(expected);
    }
  }

  /** Quoting for a table in another database than the test one. */
  private static final class ClickHouseServerQuote {
    static String of(String database, String table) {
      return "`" + database + "`.`" + table + "`";
    }
  }
}
