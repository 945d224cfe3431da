package dev.execflow.examples.server;

import static org.assertj.core.api.Assertions.assertThat;

import dev.execflow.examples.service.ExecutionFlowService;
import dev.execflow.source.clickhouse.ClickHouseLogSource;
import dev.execflow.source.clickhouse.testing.ClickHouseServer;
import dev.execflow.source.clickhouse.testing.ClickHouseServerExtension;
import dev.execflow.source.clickhouse.testing.SlowView;
import dev.execflow.spi.ColumnMapping;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * A client that goes away cancels its read down to the database: the ClickHouse query leaves
 * {@code system.processes} within moments instead of running to its end (about ten seconds: the
 * session is read through a {@link SlowView}).
 */
@ExtendWith(ClickHouseServerExtension.class)
@Timeout(value = 120, unit = TimeUnit.SECONDS)
class FlowServerCancellationTest {
  private static final String SESSION = "slow-session";
  private static final String VIEW = "cancel_slow_logs";

  private static ClickHouseServer server;

  @BeforeAll
  static void slowTable(ClickHouseServer clickhouse) {
    server = clickhouse;
    SlowView.create(server, VIEW, SESSION, 20_000);
  }

  private static int runningQueries() {
    return SlowView.running(server, VIEW);
  }

  @Test
  void aClientThatDisconnectsCancelsItsClickHouseQuery() throws Exception {
    try (ClickHouseLogSource source = ClickHouseLogSource.builder().endpoint(server.url())
            .credentials(server.user(), server.password()).table(server.database(), VIEW)
            .mapping(ColumnMapping.WINDLASS).build();
        FlowServer flow = FlowServer.start(new ExecutionFlowService(source), "127.0.0.1", 0)) {
      source.connect();
      Socket client = RawHttp.connect(flow);
      client.getOutputStream().write(("GET /api/session/" + SESSION + "/execution-flow HTTP/1.1\r\nHost: x\r\n\r\n")
          .getBytes(StandardCharsets.US_ASCII));
      long waited = awaitMillis(() -> runningQueries() == 1, 10_000);
      Thread.sleep(300);
      assertThat(runningQueries()).as("the query runs while the client waits").isEqualTo(1);

      long left = System.nanoTime();
      client.close();
      long gone = awaitMillis(() -> runningQueries() == 0, 8_000);

      System.out.println("ClickHouse query visible " + waited + " ms after the request; gone from system.processes "
          + gone + " ms after the client closed (the query alone takes ~10 s)");
      assertThat(gone).as("ms from the client leaving to the query's end").isLessThan(5_000);
      assertThat((System.nanoTime() - left) / 1_000_000).isLessThan(8_000);
      assertThat(flow.stats().cancelled()).isEqualTo(1);
    }
  }

  private interface Condition {
    boolean holds() throws Exception;
  }

  /** Waits for {@code condition}; returns how long it took; fails after {@code millis}. */
  private static long awaitMillis(Condition condition, long millis) throws Exception {
    long start = System.nanoTime();
    while (!condition.holds()) {
      long elapsed = (System.nanoTime() - start) / 1_000_000;
      assertThat(elapsed).as("condition within " + millis + " ms").isLessThan(millis);
      Thread.sleep(20);
    }
    return (System.nanoTime() - start) / 1_000_000;
  }
}
