package dev.execflow.source.clickhouse;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowableOfType;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import dev.execflow.model.Status;
import dev.execflow.source.clickhouse.testing.ClickHouseServer;
import dev.execflow.source.clickhouse.testing.ClickHouseServerExtension;
import dev.execflow.source.clickhouse.testing.ListingSessions;
import dev.execflow.source.clickhouse.internal.SummarySql;
import dev.execflow.source.clickhouse.testing.LogTable;
import dev.execflow.spi.ColumnMapping;
import dev.execflow.spi.LogRow;
import dev.execflow.spi.LogSourceException;
import dev.execflow.spi.MutableLogRow;
import dev.execflow.spi.SessionListQuery;
import dev.execflow.spi.SessionPage;
import dev.execflow.spi.SessionSummary;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * {@code execflow install-listing}: over 10,000 sessions of {@link ListingSessions} (a call priced
 * twice, three statuses) the summary lists them newest first page by page with the statuses and
 * costs they have, as the scan of a copy of the same table without it does; sessions inserted
 * afterwards are summarised by the view; installing again changes nothing; a dry run runs nothing.
 */
@ExtendWith(ClickHouseServerExtension.class)
class InstallListingTest {
  private static final int SESSIONS = 10_000;
  private static final String PREFIX = "ls";
  private static final String TABLE = "install_listing";
  private static final String PLAIN = "install_listing_plain";
  private static ClickHouseServer server;
  private static LogTable table;
  private static ListingInstallation installation;

  @BeforeAll
  static void load(ClickHouseServer s) {
    server = s;
    table = LogTable.windlass(TABLE).create(server);
    table.insert(server, sink -> ListingSessions.write(SESSIONS, PREFIX, sink));
    LogTable.windlass(PLAIN).create(server);
    server.execute("INSERT INTO " + server.qualified(PLAIN) + " SELECT * FROM " + server.qualified(TABLE));
    try (ClickHouseLogSource source = TestServers.source(server, TABLE).build()) {
      installation = source.installListing(false);
    }
  }

  private static SessionPage page(String tableName, SessionListQuery query) {
    try (ClickHouseLogSource source = TestServers.source(server, tableName).build()) {
      return source.listSessions(query);
    }
  }

  private static List<SessionSummary> expected(int newest, int count) {
    List<SessionSummary> out = new ArrayList<>();
    for (int i = newest; i > newest - count; i--) {
      out.add(ListingSessions.expected(PREFIX, i));
    }
    return out;
  }

  @Test
  void pageOneAndPageTwoByCursorAreTheNewestSessionsWithTheirStatusesAndCosts() {
    SessionPage first = page(TABLE, new SessionListQuery(null, null, 50, null));
    SessionPage second = page(TABLE, new SessionListQuery(null, null, 50, first.nextCursor()));

    assertThat(first.scanned()).isFalse();
    assertThat(first.sessions()).containsExactlyElementsOf(expected(SESSIONS - 1, 50));
    assertThat(second.sessions()).containsExactlyElementsOf(expected(SESSIONS - 51, 50));
    assertThat(second.nextCursor()).isNotNull();
  }

  @Test
  void theScanOfTheSameRowsWithoutTheSummaryGivesTheSamePagesAndSaysItScanned() {
    SessionListQuery query = new SessionListQuery(null, null, 50, null);
    SessionPage summarised = page(TABLE, query);
    SessionPage scanned = page(PLAIN, query);

    assertThat(scanned.scanned()).isTrue();
    assertThat(scanned.sessions()).isEqualTo(summarised.sessions());
    assertThat(scanned.nextCursor()).isEqualTo(summarised.nextCursor());
    SessionListQuery next = new SessionListQuery(null, null, 50, summarised.nextCursor());
    assertThat(page(PLAIN, next).sessions()).isEqualTo(page(TABLE, next).sessions());
  }

  @Test
  void filtersByStatusAndCascadeThroughTheSummaryAsTheScanDoes() {
    SessionListQuery failedOfC1 = new SessionListQuery("c1", Status.ERROR, 20, null);
    SessionPage summarised = page(TABLE, failedOfC1);

    assertThat(summarised.sessions()).hasSize(20)
        .allSatisfy(s -> assertThat(s.status()).isEqualTo(Status.ERROR))
        .allSatisfy(s -> assertThat(s.cascadeId()).isEqualTo("c1"));
    assertThat(summarised.sessions()).isEqualTo(page(PLAIN, failedOfC1).sessions());
  }

  @Test
  void theBackfillCountedTheRowsAlreadyInTheTableOnce() {
    assertThat(installation.alreadyInstalled()).isFalse();
    assertThat(server.execute("SELECT countMerge(ef_rows) FROM " + server.qualified(TABLE + "_execflow_sessions_v1")
        + " WHERE ef_sid LIKE 'ls-%'").trim()).isEqualTo(server.execute("SELECT count() FROM "
        + server.qualified(TABLE) + " WHERE session_id LIKE 'ls-%'").trim());
  }

  @Test
  void aSessionInsertedAfterInstallationIsListedFirstWithItsCallCountedOnceOverTwoInserts() {
    List<LogRow> rows = ListingSessions.rows("late", 0);
    double shift = 10.0 * (SESSIONS + 100); // newer than every fixture session
    List<LogRow> moved = new ArrayList<>();
    for (LogRow r : rows) {
      moved.add(new MutableLogRow().copyFrom(r).timestamp(r.timestamp() + shift));
    }
    table.insert(server, moved.subList(0, 2)); // the call, priced
    table.insert(server, moved.subList(2, moved.size())); // its cost_update, the end: another insert

    SessionSummary late = page(TABLE, new SessionListQuery(null, null, 1, null)).sessions().get(0);

    SessionSummary want = ListingSessions.expected("late", 0);
    assertThat(late).isEqualTo(new SessionSummary(want.sessionId(), want.cascadeId(), want.firstTimestamp() + shift,
        want.lastTimestamp() + shift, want.status(), want.cost(), want.rowCount()));
  }

  @Test
  void pagingThroughSessionsThatStartedUnevenlyGivesEverySessionOnceInTheScansOrder() {
    String name = "install_listing_uneven";
    String plain = name + "_plain";
    List<LogRow> rows = new ArrayList<>();
    for (int i = 0; i < 240; i++) {
      // a burst of 200 sessions a second apart, then 40 spread over years, some starting together
      double shift = i < 200 ? -10.0 * i + i : 1e6 * (i - 199) + (i % 4 == 0 ? 0.5 : 0) - 10.0 * i;
      for (LogRow r : ListingSessions.rows("uneven", i)) {
        rows.add(new MutableLogRow().copyFrom(r).timestamp(r.timestamp() + shift));
      }
    }
    LogTable.windlass(name).create(server).insert(server, rows.subList(0, rows.size() / 2));
    LogTable.windlass(plain).create(server).insert(server, rows);
    try (ClickHouseLogSource summarised = TestServers.source(server, name).build();
        ClickHouseLogSource scanned = TestServers.source(server, plain).build()) {
      summarised.installListing(false);
      LogTable.windlass(name).insert(server, rows.subList(rows.size() / 2, rows.size()));

      List<SessionSummary> bySummary = new ArrayList<>();
      List<SessionSummary> byScan = new ArrayList<>();
      String a = null;
      String b = null;
      do {
        SessionPage p = summarised.listSessions(new SessionListQuery(null, null, 7, a));
        SessionPage q = scanned.listSessions(new SessionListQuery(null, null, 7, b));
        assertThat(p.scanned()).isFalse();
        bySummary.addAll(p.sessions());
        byScan.addAll(q.sessions());
        a = p.nextCursor();
        b = q.nextCursor();
        assertThat(a).isEqualTo(b);
      } while (a != null);

      assertThat(bySummary).hasSize(240).isEqualTo(byScan);
    }
  }

  @Test
  void installingAgainChangesNothing() {
    try (ClickHouseLogSource source = TestServers.source(server, TABLE).build()) {
      SessionPage before = source.listSessions(new SessionListQuery(null, null, 10, null));

      ListingInstallation again = source.installListing(false);

      assertThat(again.alreadyInstalled()).isTrue();
      assertThat(again.statements()).isEmpty();
      assertThat(source.listSessions(new SessionListQuery(null, null, 10, null))).isEqualTo(before);
    }
  }

  @Test
  void anInstallationThatStoppedBeforeItsMarkerIsDoneAgainFromScratch() {
    String name = "install_listing_partial";
    LogTable partial = LogTable.windlass(name).create(server);
    partial.insert(server, sink -> ListingSessions.write(30, PREFIX, sink));
    try (ClickHouseLogSource source = TestServers.source(server, name).build()) {
      source.installListing(false);
      server.execute("DROP TABLE " + server.qualified(name + "_execflow_sessions_v1_done"));
      assertThat(source.listSessions(new SessionListQuery(null, null, 1, null)).scanned()).isTrue();

      ListingInstallation redone = source.installListing(false);

      assertThat(redone.statements().get(0)).startsWith("DROP TABLE IF EXISTS");
      SessionPage page = source.listSessions(new SessionListQuery(null, null, 30, null));
      assertThat(page.scanned()).isFalse();
      assertThat(page.sessions()).containsExactlyElementsOf(expected(29, 30));
    }
  }

  @Test
  void afterTheReadmesUninstallASourceConnectedBeforeListsByScanningAgain() {
    String name = "install_listing_uninstalled";
    LogTable.windlass(name).create(server).insert(server, sink -> ListingSessions.write(12, PREFIX, sink));
    try (ClickHouseLogSource source = TestServers.source(server, name).build()) {
      source.installListing(false);
      assertThat(source.listSessions(new SessionListQuery(null, null, 12, null)).scanned()).isFalse();
      SummarySql.uninstall(SummarySql.Names.of(server.database(), name)).forEach(server::execute);

      SessionPage page = source.listSessions(new SessionListQuery(null, null, 12, null));

      assertThat(page.scanned()).isTrue();
      assertThat(page.sessions()).containsExactlyElementsOf(expected(11, 12));
    }
  }

  @Test
  void aDryRunPrintsTheStatementsAndRunsNone() {
    String name = "install_listing_dry";
    LogTable.windlass(name).create(server).insert(server, sink -> ListingSessions.write(5, PREFIX, sink));
    try (ClickHouseLogSource source = TestServers.source(server, name).build()) {
      ListingInstallation dry = source.installListing(true);

      assertThat(dry.dryRun()).isTrue();
      assertThat(dry.statements()).hasSize(7);
      assertThat(dry.statements().get(2)).startsWith("CREATE MATERIALIZED VIEW");
      assertThat(server.execute("SELECT count() FROM system.tables WHERE database = '" + server.database()
          + "' AND name LIKE '" + name + "\\\\_execflow%'").trim()).isEqualTo("0");
      assertThat(source.listSessions(new SessionListQuery(null, null, 5, null)).scanned()).isTrue();
    }
  }

  @Test
  void aTableOfTheLaterSchemaIsSummarisedThroughItsMapping() {
    String name = "install_listing_rvbbit";
    List<LogRow> rows = new ArrayList<>();
    for (int i = 0; i < 40; i++) {
      rows.addAll(ListingSessions.rows(PREFIX, i));
    }
    LaterSchema.load(server, name, LaterSchema.translate(rows));
    try (ClickHouseLogSource source = TestServers.source(server, name).mapping(ColumnMapping.RVBBIT).build()) {
      source.installListing(false);

      SessionPage page = source.listSessions(new SessionListQuery(null, null, 40, null));

      assertThat(page.scanned()).isFalse();
      assertThat(page.sessions()).containsExactlyElementsOf(expected(39, 40));
    }
  }

  @Test
  void aDistributedTableIsRefusedWithTheRemedy() {
    assumeTrue(server.hasCluster(), "the chdb front has no cluster: real server only");
    String name = "install_listing_distributed";
    LogTable.windlass(name).createDistributed(server);
    try (ClickHouseLogSource source = TestServers.source(server, name).build()) {
      LogSourceException e = catchThrowableOfType(LogSourceException.class, () -> source.installListing(false));

      assertThat(e.reason()).isEqualTo(LogSourceException.Reason.UNSUPPORTED);
      assertThat(e.getMessage()).contains("Distributed").contains("each shard's local table");
    }
  }
}
