package dev.execflow.source.clickhouse;

import dev.execflow.source.clickhouse.testing.CurrentEngine;
import org.junit.jupiter.api.Nested;

/**
 * The suites whose code paths only a newer server takes (bound {@code {sid:String}} parameters
 * instead of escaped literals, DateTime64 / LowCardinality / Bool columns of the RVBBIT schema,
 * mapping detection over them, the listing's SQL on a current analyzer) run again on ClickHouse's
 * current engine: chdb behind the test HTTP front, see {@link CurrentEngine}. Compression and
 * streaming (CompressionPitfallTest, RowBinaryInputTest, MillionRowSessionTest) are the front's
 * gaps and stay on the real server only.
 */
@CurrentEngine
class OnCurrentEngineTest {
  @Nested
  class Conformance extends ClickHouseConformanceTest {}

  @Nested
  class Layouts extends TableLayoutTest {}

  /** install-listing on a current engine: the state types as 26 writes them, DateTime64 and UUID in the later schema. */
  @Nested
  class InstallListing extends InstallListingTest {}

  @Nested
  class SessionRead extends SessionReadTest {}

  @Nested
  class HostileSessionId extends HostileSessionIdTest {}

  @Nested
  class VocabularySql extends VocabularySqlTest {}

  /** Pushdown on a current engine: bound parameters, the later schema in DateTime64 and UUID. */
  @Nested
  class PushdownOnCurrentEngine extends PushdownTest {}

  @Nested
  class Failures extends FailureTest {
    /** The front runs one query at a time in-process: no system.processes to watch, no KILL QUERY. */
    @Override
    @org.junit.jupiter.api.Test
    @org.junit.jupiter.api.Disabled("the chdb front has no system.processes and no KILL QUERY: real server only")
    void interruptingTheReadingThreadStopsTheQueryOnTheServerAndTheReadThrows() {}
  }
}
