package dev.execflow.source.clickhouse;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

import dev.execflow.source.clickhouse.testing.ClickHouseServer;
import dev.execflow.source.clickhouse.testing.ClickHouseServerExtension;
import dev.execflow.source.clickhouse.testing.LogTable;
import dev.execflow.spi.LogRow;
import dev.execflow.spi.LogSourceException;
import dev.execflow.spi.MutableLogRow;
import dev.execflow.spi.SessionQuery;
import java.util.List;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;



/**
 * Session ids reach SQL as bound parameters where the server takes them and as escaped literals
 * on 18.16: either way a hostile id must select exactly its own rows, and its neighbours (ids an
 * injection or a lossy escape would also match) none.
 */
/**
 * What the conformance suite's hostile ids cannot say for every source: an id that is not valid
 * UTF-16 is refused rather than sent as some other id.
 */
@ExtendWith(ClickHouseServerExtension.class)
class HostileSessionIdTest {
  private static final String TABLE = "hostile_ids";
  private static ClickHouseLogSource source;

  @BeforeAll
  static void load(ClickHouseServer server) {
    LogTable.windlass(TABLE).create(server).insert(server, List.<LogRow>of(
        new MutableLogRow().timestamp(1).sessionId("its").traceId("t").nodeType("agent")));
    source = TestServers.source(server, TABLE).build();
  }

  @AfterAll
  static void close() {
    source.close();
  }

  @Test
  void anIdWithAnUnpairedSurrogateIsBadInputRatherThanAQueryForAnotherId() {
    LogSourceException e = catchThrowableOfType(LogSourceException.class,
        () -> source.read(SessionQuery.of("it\uD800s"), row -> {}));
    assertThat(e.reason()).isEqualTo(LogSourceException.Reason.BAD_INPUT);
  }
}
