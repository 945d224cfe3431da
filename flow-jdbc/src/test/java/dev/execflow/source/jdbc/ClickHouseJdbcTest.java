package dev.execflow.source.jdbc;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

import dev.execflow.json.ExecutionJson;
import dev.execflow.model.ExecutionData;
import dev.execflow.source.clickhouse.testing.ClickHouseServer;
import dev.execflow.source.clickhouse.testing.ClickHouseServerExtension;
import dev.execflow.source.clickhouse.testing.LogTable;
import dev.execflow.spi.LogSource;
import dev.execflow.spi.LogSourceException;
import dev.execflow.spi.LogSourceException.Reason;
import java.nio.file.Path;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * clickhouse-jdbc against the real server: generated sessions fold as from JSONL, and a wrong
 * table or password fails with the reason and a message naming it.
 */
@ExtendWith(ClickHouseServerExtension.class)
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class ClickHouseJdbcTest {
  private static final String TABLE = "jdbc_generated";
  private ClickHouseServer server;
  private Path dir;
  private LogSource reference;
  private LogSource source;

  @BeforeAll
  void load(ClickHouseServer server) {
    this.server = server;
    dir = TempFiles.directory("execflow-ch-generated");
    reference = GeneratedSessions.reference(GeneratedSessions.jsonl(dir.resolve("generated.jsonl")));
    LogTable.windlass(TABLE).create(server).insert(server, GeneratedSessions.rows());
    source = JdbcLogSource.open(ClickHouseUrls.jdbc(server), server.user(), server.password(), TABLE, null);
  }

  @AfterAll
  void close() {
    source.close();
    reference.close();
    TempFiles.delete(dir);
  }

  @Test
  void foldsGeneratedSessionsExactlyAsTheJsonlSource() {
    for (String id : GeneratedSessions.ids()) {
      ExecutionData expected = GeneratedSessions.fold(reference, id);
      ExecutionData actual = GeneratedSessions.fold(source, id);
      assertThat(ExecutionJson.writePretty(actual)).as(id).isEqualTo(ExecutionJson.writePretty(expected));
      assertThat(actual).isEqualTo(expected);
    }
  }

  @Test
  void aMissingTableIsASchemaErrorNamingIt() {
    LogSourceException e = catchThrowableOfType(LogSourceException.class, () -> JdbcLogSource.open(
        ClickHouseUrls.jdbc(server), server.user(), server.password(), "no_such_table", null));
    assertThat(e.reason()).isEqualTo(Reason.SCHEMA);
    assertThat(e.getMessage()).contains("no_such_table");
  }

  @Test
  void aWrongPasswordIsAnAuthenticationError() {
    LogSourceException e = catchThrowableOfType(LogSourceException.class, () -> JdbcLogSource.open(
        ClickHouseUrls.jdbc(server), ClickHouseServer.LOCAL_USER, "not-the-password", TABLE, null));
    assertThat(e.reason()).isEqualTo(Reason.AUTHENTICATION);
  }

  @Test
  void theLocalUserWithItsPasswordReads() {
    if (!server.isLocal()) {
      return; // FLOW_CLICKHOUSE_URL: the server's own user is used everywhere else
    }
    try (LogSource s = JdbcLogSource.open(ClickHouseUrls.jdbc(server), ClickHouseServer.LOCAL_USER,
        ClickHouseServer.LOCAL_PASSWORD, TABLE, null)) {
      assertThat(s.read(dev.execflow.spi.SessionQuery.of("gen-failed"), row -> {})).isEqualTo(3_000);
    }
  }
}
