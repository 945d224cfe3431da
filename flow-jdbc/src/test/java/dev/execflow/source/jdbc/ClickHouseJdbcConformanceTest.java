package dev.execflow.source.jdbc;

import dev.execflow.testing.conformance.CancellationConformance;
import dev.execflow.testing.conformance.ConformanceBackend;
import dev.execflow.testing.conformance.HostileIdConformance;
import dev.execflow.testing.conformance.ListingConformance;
import dev.execflow.testing.conformance.ReadConformance;
import dev.execflow.testing.conformance.TimeRangeConformance;
import java.nio.file.Path;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Nested;
import dev.execflow.source.clickhouse.testing.ClickHouseServer;
import dev.execflow.source.clickhouse.testing.ClickHouseServerExtension;
import dev.execflow.source.clickhouse.testing.LogTable;
import org.junit.jupiter.api.extension.ExtendWith;
/** The conformance suite on ClickHouse 18.16 through clickhouse-jdbc (the source switches to the v1 driver and its settings for an old server). */
@ExtendWith(ClickHouseServerExtension.class)
class ClickHouseJdbcConformanceTest {
  private static ConformanceBackend backend;
  private static Path dir;
  private static AutoCloseable resource;

  @BeforeAll
  static void start(ClickHouseServer server) throws Exception {
    LogTable table = LogTable.windlass("jdbc_conformance").create(server);
    backend = JdbcBackends.backend(rows -> table.insert(server, rows),
        () -> JdbcLogSource.open(ClickHouseUrls.jdbc(server), server.user(), server.password(), "jdbc_conformance", "auto"),
        false);
  }

  @AfterAll
  static void stop() throws Exception {
    
  }

  @Nested
  class Read extends ReadConformance {
    @Override protected ConformanceBackend backend() {
      return backend;
    }
  }

  @Nested
  class TimeRange extends TimeRangeConformance {
    @Override protected ConformanceBackend backend() {
      return backend;
    }
  }

  @Nested
  class Listing extends ListingConformance {
    @Override protected ConformanceBackend backend() {
      return backend;
    }
  }

  @Nested
  class Cancellation extends CancellationConformance {
    @Override protected ConformanceBackend backend() {
      return backend;
    }
  }

  @Nested
  class HostileIds extends HostileIdConformance {
    @Override protected ConformanceBackend backend() {
      return backend;
    }
  }
}
