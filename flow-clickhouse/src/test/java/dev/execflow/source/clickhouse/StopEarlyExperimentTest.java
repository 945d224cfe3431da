package dev.execflow.source.clickhouse;

import dev.execflow.source.clickhouse.testing.ClickHouseServer;
import dev.execflow.source.clickhouse.testing.ClickHouseServerExtension;
import dev.execflow.source.clickhouse.testing.LogTable;
import dev.execflow.source.clickhouse.testing.SyntheticRows;
import dev.execflow.spi.SessionQuery;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

@ExtendWith(ClickHouseServerExtension.class)
class StopEarlyExperimentTest {
  static final class Stop extends RuntimeException { Stop() { super(null, null, false, false); } }

  @Test
  void measure(ClickHouseServer server) {
    LogTable table = LogTable.windlass("stop_early").create(server);
    table.insert(server, new SyntheticRows("long", 1_000_000));
    try (ClickHouseLogSource source = TestServers.source(server, "stop_early").build()) {
      for (int round = 0; round < 3; round++) {
        long t0 = System.nanoTime();
        long n = source.read(SessionQuery.of("long"), row -> {});
        long t1 = System.nanoTime();
        long[] seen = {0};
        try {
          source.read(SessionQuery.of("long"), row -> { if (++seen[0] > 100) throw new Stop(); });
        } catch (Stop e) {
          // stopped
        }
        long t2 = System.nanoTime();
        try {
          source.read(SessionQuery.of("long").withContent(65536), row -> { if (++seen[0] > 200) throw new Stop(); });
        } catch (Stop e) {
          // stopped
        }
        long t3 = System.nanoTime();
        long full = source.read(SessionQuery.of("long").withContent(65536), row -> {});
        long t4 = System.nanoTime();
        System.err.printf("EXPERIMENT full %d rows %.1f ms; stop after 100: %.1f ms; content stop: %.1f ms; content full %d rows %.1f ms%n",
            n, (t1 - t0) / 1e6, (t2 - t1) / 1e6, (t3 - t2) / 1e6, full, (t4 - t3) / 1e6);
      }
    }
  }
}
