package dev.execflow.source.clickhouse;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowableOfType;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import dev.execflow.source.clickhouse.testing.ClickHouseServer;
import dev.execflow.source.clickhouse.testing.ClickHouseServerExtension;
import dev.execflow.source.clickhouse.testing.LogTable;
import dev.execflow.source.clickhouse.testing.SyntheticRows;
import dev.execflow.spi.LogSourceException;
import dev.execflow.spi.LogSourceException.Reason;
import dev.execflow.spi.SessionListQuery;
import dev.execflow.spi.SessionQuery;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * Users whose profiles stop queries at a limit with {@code *_overflow_mode = break} (the server
 * then returns what it has as if it were all): a read is an error naming the limit, never a
 * partial session. The users are real profiles of the local test server ({@link ClickHouseServer}).
 */
@ExtendWith(ClickHouseServerExtension.class)
class ServerLimitTest {
  private static final String TABLE = "limit_test";
  private static final int OVER_RESULT_LIMIT = 100_000;
  private static final int OVER_READ_LIMIT = 150_000;
  private static ClickHouseServer server;

  @BeforeAll
  static void load(ClickHouseServer s) {
    server = s;
    assumeTrue(server.isLocal(), "the limited users exist on the local test server only");
    server.execute("DROP TABLE IF EXISTS " + server.qualified(TABLE));
    LogTable table = LogTable.windlass(TABLE).create(server);
    table.insert(server, new SyntheticRows("over-result-limit", OVER_RESULT_LIMIT));
    table.insert(server, new SyntheticRows("over-read-limit", OVER_READ_LIMIT));
    table.insert(server, new SyntheticRows("small", 10));
  }

  private static ClickHouseLogSource as(String user) {
    return ClickHouseLogSource.builder().endpoint(server.url()).credentials(user, "")
        .table(server.database(), TABLE).build();
  }

  private static LogSourceException readFails(String user, String session, AtomicLong delivered) {
    try (ClickHouseLogSource source = as(user)) {
      return catchThrowableOfType(LogSourceException.class,
          () -> source.read(SessionQuery.of(session), row -> delivered.incrementAndGet()));
    }
  }

  @Test
  void aResultRowLimitWithBreakIsAnErrorNamingTheLimit() {
    AtomicLong delivered = new AtomicLong();
    LogSourceException e = readFails(ClickHouseServer.RESULT_LIMITED_USER, "over-result-limit", delivered);

    assertThat(e).as("the read must fail, not return %d of %d rows", delivered.get(), OVER_RESULT_LIMIT).isNotNull();
    assertThat(e.reason()).isEqualTo(Reason.UNAVAILABLE);
    assertThat(e).hasMessageContaining("max_result_rows")
        .hasMessageContaining("'" + ClickHouseServer.RESULT_LIMITED_USER + "'");
  }

  @Test
  void aReadRowLimitWithBreakIsAnErrorNamingTheLimit() {
    AtomicLong delivered = new AtomicLong();
    LogSourceException e = readFails(ClickHouseServer.READ_LIMITED_USER, "over-read-limit", delivered);

    assertThat(e).as("the read must fail, not return %d of %d rows", delivered.get(), OVER_READ_LIMIT).isNotNull();
    assertThat(e).hasMessageContaining("max_rows_to_read");
  }

  @Test
  void aSessionUnderTheLimitsIsReadWhole() {
    try (ClickHouseLogSource source = as(ClickHouseServer.RESULT_LIMITED_USER)) {
      assertThat(source.read(SessionQuery.of("small"), row -> {})).isEqualTo(10);
      assertThat(source.listSessions(SessionListQuery.firstPage(10)).sessions()).hasSize(3);
    }
  }

  @Test
  void aReadOnlyProfileThatCutsResultsIsRefusedOnConnectSayingWhy() {
    try (ClickHouseLogSource source = as(ClickHouseServer.READONLY_LIMITED_USER)) {
      LogSourceException e = catchThrowableOfType(LogSourceException.class, source::connect);

      assertThat(e.reason()).isEqualTo(Reason.UNSUPPORTED);
      assertThat(e).hasMessageContaining("result_overflow_mode=break").hasMessageContaining("readonly=1");
    }
  }
}
