package dev.execflow.source.clickhouse;

import dev.execflow.source.clickhouse.testing.ClickHouseServer;
import dev.execflow.source.clickhouse.testing.ClickHouseServerExtension;
import dev.execflow.source.clickhouse.testing.LogTable;
import dev.execflow.spi.LogRow;
import dev.execflow.spi.LogSource;
import dev.execflow.testing.conformance.CancellationConformance;
import dev.execflow.testing.conformance.FollowConformance;
import dev.execflow.testing.conformance.ConformanceBackend;
import dev.execflow.testing.conformance.HostileIdConformance;
import dev.execflow.testing.conformance.ListingConformance;
import dev.execflow.testing.conformance.ReadConformance;
import dev.execflow.testing.conformance.TimeRangeConformance;
import java.util.List;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Nested;
import org.junit.jupiter.api.extension.ExtendWith;

/** The conformance suite against a real ClickHouse server: every load is an INSERT into one table. */
@ExtendWith(ClickHouseServerExtension.class)
class ClickHouseConformanceTest {
  private static final String TABLE = "conformance";
  private static ConformanceBackend backend;
  private static ConformanceBackend listed;

  @BeforeAll
  static void createTable(ClickHouseServer server) {
    LogTable table = LogTable.windlass(TABLE).create(server);
    backend = new ConformanceBackend() {
      @Override public void load(List<? extends LogRow> rows) {
        table.insert(server, rows);
      }

      @Override public LogSource openSource() {
        return TestServers.source(server, TABLE).build();
      }
    };
    // the same table again, with execflow install-listing before any row: every load goes through its view
    LogTable summarised = LogTable.windlass(TABLE + "_listed").create(server);
    try (ClickHouseLogSource source = TestServers.source(server, summarised.name()).build()) {
      source.installListing(false);
    }
    listed = new ConformanceBackend() {
      @Override public void load(List<? extends LogRow> rows) {
        summarised.insert(server, rows);
      }

      @Override public LogSource openSource() {
        return TestServers.source(server, summarised.name()).build();
      }
    };
  }

  /** The listing families through the session summary of install-listing (SessionPage.scanned() is false). */
  @Nested
  class WithInstallListing {
    @Nested
    class Listing extends ListingConformance {
      @Override protected ConformanceBackend backend() {
        return listed;
      }
    }
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

  @Nested
  class Follow extends FollowConformance {
    @Override protected ConformanceBackend backend() {
      return backend;
    }
  }
}
