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

/** The conformance suite on a SQLite database file. */

class SqliteConformanceTest {
  private static ConformanceBackend backend;
  private static Path dir;
  private static AutoCloseable resource;

  @BeforeAll
  static void start() throws Exception {
    dir = TempFiles.directory("execflow-sqlite");
    backend = JdbcBackends.sqlite(dir);
  }

  @AfterAll
  static void stop() throws Exception {
    TempFiles.delete(dir);
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
