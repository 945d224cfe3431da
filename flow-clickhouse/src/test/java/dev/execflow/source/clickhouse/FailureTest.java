package dev.execflow.source.clickhouse;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowableOfType;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import dev.execflow.source.clickhouse.testing.ClickHouseServer;
import dev.execflow.source.clickhouse.testing.ClickHouseServerExtension;
import dev.execflow.source.clickhouse.testing.LogTable;
import dev.execflow.source.clickhouse.testing.SlowView;
import dev.execflow.source.clickhouse.testing.SyntheticRows;
import dev.execflow.spi.Column;
import dev.execflow.spi.LogSourceException;
import dev.execflow.spi.LogSourceException.Reason;
import dev.execflow.spi.MutableLogRow;
import dev.execflow.spi.RowSink;
import dev.execflow.spi.SessionQuery;
import java.io.IOException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/** Failures a user can act on: each names what is wrong, and none passes off a partial read. */
@ExtendWith(ClickHouseServerExtension.class)
class FailureTest {
  private static final String TABLE = "failure_test";
  private static final String BIG_TABLE = "failure_big";
  private static final long BIG = 300_000;
  private static ClickHouseServer server;

  @BeforeAll
  static void load(ClickHouseServer s) {
    server = s;
    LogTable.windlass(TABLE).create(server).insert(server,
        List.of(new MutableLogRow().timestamp(1.0).sessionId("s1").nodeType("agent")));
    LogTable.windlass(BIG_TABLE).create(server).insert(server, new SyntheticRows("big", BIG));
  }

  private static LogSourceException failure(ClickHouseLogSource source) {
    try (source) {
      return catchThrowableOfType(LogSourceException.class,
          () -> source.read(SessionQuery.of("s1"), row -> {}));
    }
  }

  @Test
  void anUnreachableServerIsReportedAsUnavailableNamingTheUrl() throws IOException {
    int closedPort;
    try (ServerSocket socket = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
      closedPort = socket.getLocalPort();
    }
    String url = "http://127.0.0.1:" + closedPort;
    LogSourceException e = failure(ClickHouseLogSource.builder().endpoint(url).build());
    assertThat(e.reason()).isEqualTo(Reason.UNAVAILABLE);
    assertThat(e).hasMessageContaining(url).hasMessageContaining("unreachable");
  }

  @Test
  void aWrongPasswordIsReportedAsAuthenticationNamingTheUser() {
    String user = server.isLocal() ? ClickHouseServer.LOCAL_USER : server.user();
    LogSourceException e = failure(ClickHouseLogSource.builder().endpoint(server.url())
        .credentials(user, "not-the-password").table(server.database(), TABLE).build());
    assertThat(e.reason()).isEqualTo(Reason.AUTHENTICATION);
    assertThat(e).hasMessageContaining("'" + user + "'");
  }

  @Test
  void theRightPasswordOfThatUserReads() {
    assumeTrue(server.isLocal(), "the second user exists on the local test server only");
    try (ClickHouseLogSource source = ClickHouseLogSource.builder().endpoint(server.url())
        .credentials(ClickHouseServer.LOCAL_USER, ClickHouseServer.LOCAL_PASSWORD)
        .table(server.database(), TABLE).build()) {
      assertThat(source.read(SessionQuery.of("s1"), row -> {})).isEqualTo(1);
    }
  }

  @Test
  void anUnknownUserIsReportedAsAuthentication() {
    LogSourceException e = failure(ClickHouseLogSource.builder().endpoint(server.url())
        .credentials("nobody_here", "x").table(server.database(), TABLE).build());
    assertThat(e.reason()).isEqualTo(Reason.AUTHENTICATION);
    assertThat(e).hasMessageContaining("'nobody_here'");
  }

  @Test
  void aMissingTableIsASchemaErrorNamingIt() {
    LogSourceException e = failure(TestServers.source(server, "no_such_table").build());
    assertThat(e.reason()).isEqualTo(Reason.SCHEMA);
    assertThat(e).hasMessageContaining("no_such_table");
  }

  @Test
  void aMissingDatabaseIsASchemaErrorNamingIt() {
    LogSourceException e = failure(ClickHouseLogSource.builder().endpoint(server.url())
        .credentials(server.user(), server.password()).table("no_such_db", TABLE).build());
    assertThat(e.reason()).isEqualTo(Reason.SCHEMA);
    assertThat(e).hasMessageContaining("no_such_db");
  }

  @Test
  void aMappedColumnTheTableLacksIsASchemaErrorNamingItAndTheRemedy() {
    LogSourceException e = failure(TestServers.source(server, TABLE)
        .mapping(dev.execflow.spi.ColumnMapping.WINDLASS.with(Column.PHASE_NAME, "step_name")).build());
    assertThat(e.reason()).isEqualTo(Reason.SCHEMA);
    assertThat(e).hasMessageContaining("has no column step_name (phase_name)")
        .hasMessageContaining("ColumnMapping.with");
  }

  @Test
  void aServerThatAcceptsButNeverAnswersTimesOutAsUnavailable() throws Exception {
    ServerSocket silent = new ServerSocket(0, 5, InetAddress.getLoopbackAddress());
    List<Socket> accepted = new java.util.concurrent.CopyOnWriteArrayList<>();
    try {
      Thread acceptor = new Thread(() -> {
        try {
          while (!silent.isClosed()) {
            accepted.add(silent.accept()); // read nothing, answer nothing
          }
        } catch (IOException closed) {
          // test over
        }
      });
      acceptor.setDaemon(true);
      acceptor.start();
      long started = System.nanoTime();
      LogSourceException e = failure(ClickHouseLogSource.builder()
          .endpoint("http://127.0.0.1:" + silent.getLocalPort()).socketTimeout(Duration.ofMillis(300)).build());
      long millis = TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - started);
      assertThat(e.reason()).isEqualTo(Reason.UNAVAILABLE);
      assertThat(e).hasMessageContaining("did not answer in time");
      assertThat(millis).as("milliseconds until the timeout was reported").isLessThan(10_000);
    } finally {
      silent.close();
      for (Socket s : accepted) {
        s.close();
      }
    }
  }

  @Test
  void aQueryOverTheServerSideTimeLimitIsStoppedAndReportedAsUnavailable() {
    // every block of this table takes 1.5 s to read (two inserts: two parts, two blocks)
    String table = "failure_slow";
    LogTable logs = LogTable.windlass(table).create(server);
    logs.insert(server, List.of(new MutableLogRow().timestamp(1.0).sessionId("slow").nodeType("agent")));
    logs.insert(server, List.of(new MutableLogRow().timestamp(2.0).sessionId("slow").nodeType("agent")));
    server.execute("ALTER TABLE " + server.qualified(table) + " DROP COLUMN node_type");
    server.execute("ALTER TABLE " + server.qualified(table) + " ADD COLUMN node_type String ALIAS "
        + "if(sleep(1.5) = 0, 'agent', '')");
    try (ClickHouseLogSource source = TestServers.source(server, table).maxExecutionTime(Duration.ofSeconds(1)).build()) {
      LogSourceException e = catchThrowableOfType(LogSourceException.class,
          () -> source.read(SessionQuery.of("slow"), row -> {}));
      assertThat(e).isNotNull();
      assertThat(e.reason()).isEqualTo(Reason.UNAVAILABLE);
      assertThat(e).hasMessageContaining("time limit");
    }
  }

  @Test
  void closingTheSourceCancelsARunningReadWhichThrowsInsteadOfReturningPartialRows() throws Exception {
    ClickHouseLogSource source = TestServers.source(server, BIG_TABLE).build();
    CountDownLatch firstRow = new CountDownLatch(1);
    AtomicLong delivered = new AtomicLong();
    AtomicReference<Throwable> failure = new AtomicReference<>();
    Thread reader = new Thread(() -> {
      try {
        source.read(SessionQuery.of("big"), row -> {
          delivered.incrementAndGet();
          firstRow.countDown();
          slowly();
        });
      } catch (Throwable t) {
        failure.set(t);
      }
    });
    reader.start();
    assertThat(firstRow.await(30, TimeUnit.SECONDS)).isTrue();
    source.close();
    reader.join(30_000);
    assertThat(reader.isAlive()).as("reader still running after close").isFalse();
    assertThat(failure.get()).isInstanceOf(LogSourceException.class);
    assertThat(((LogSourceException) failure.get()).reason()).isEqualTo(Reason.INTERRUPTED);
    assertThat(failure.get()).hasMessageContaining("closed");
    assertThat(delivered.get()).isLessThan(BIG);
  }

  private static void slowly() {
    try {
      Thread.sleep(0, 200_000);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }

  @Test
  void interruptingTheReadingThreadStopsTheQueryOnTheServerAndTheReadThrows() throws Exception {
    String view = SlowView.create(server, "failure_slow", "slow", 20_000);
    AtomicReference<Throwable> thrown = new AtomicReference<>();
    try (ClickHouseLogSource source = TestServers.source(server, view).build()) {
      source.connect();
      Thread reader = new Thread(() -> {
        try {
          source.read(SessionQuery.of("slow"), row -> {});
        } catch (Throwable t) {
          thrown.set(t);
        }
      });
      reader.start();
      long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
      while (SlowView.running(server, view) == 0 && System.nanoTime() < deadline) {
        Thread.sleep(20);
      }
      assertThat(SlowView.running(server, view)).as("the query runs").isEqualTo(1);

      long interrupted = System.nanoTime();
      reader.interrupt();
      reader.join(5000);
      while (SlowView.running(server, view) > 0 && System.nanoTime() - interrupted < TimeUnit.SECONDS.toNanos(5)) {
        Thread.sleep(20);
      }
      long stoppedMillis = (System.nanoTime() - interrupted) / 1_000_000;

      assertThat(reader.isAlive()).isFalse();
      assertThat(thrown.get()).isInstanceOf(LogSourceException.class).hasMessageContaining("interrupted");
      assertThat(((LogSourceException) thrown.get()).reason()).isEqualTo(Reason.INTERRUPTED);
      assertThat(SlowView.running(server, view)).as("the query is gone from system.processes").isZero();
      assertThat(stoppedMillis).as("ms until the query stopped (it would run ~10 s)").isLessThan(4000);
    }
  }

  @Test
  void aQueryTheServerFailsIsAnErrorQuotingTheServer() {
    // a column that fails for rows after the 200,000th; ORDER BY makes the server evaluate it for
    // every row before it answers, so the failure arrives as an HTTP error, not inside rows
    String table = "failure_query";
    LogTable.windlass(table).create(server).insert(server, new SyntheticRows("q", 300_000));
    server.execute("ALTER TABLE " + server.qualified(table) + " DROP COLUMN node_type");
    server.execute("ALTER TABLE " + server.qualified(table) + " ADD COLUMN node_type String ALIAS "
        + "if(throwIf(timestamp >= 1736071400) = 0, 'agent', '')");
    long[] delivered = {0};
    try (ClickHouseLogSource source = TestServers.source(server, table).build()) {
      LogSourceException e = catchThrowableOfType(LogSourceException.class,
          () -> source.read(SessionQuery.of("q"), row -> delivered[0]++));
      assertThat(e).as("read returned normally after %d rows", delivered[0]).isNotNull();
      assertThat(e).hasMessageContaining("throwIf").hasMessageContaining("reading session \"q\"");
      assertThat(delivered[0]).isZero();
    }
  }

  @Test
  void aServerKilledDuringAReadMakesTheReadThrowNotReturnPartialRows() {
    assumeTrue(!server.isChdb(), "the chdb front sends a result only once it is complete:"
        + " a server dying mid-stream is a real server's test");
    assumeTrue(ClickHouseServer.findBinary() != null, "needs a local clickhouse-server to kill");
    try (ClickHouseServer doomed = ClickHouseServer.startLocal()) {
      LogTable.windlass(BIG_TABLE).create(doomed).insert(doomed, new SyntheticRows("big", BIG));
      long[] delivered = {0};
      RowSink killOnFirstRow = row -> {
        if (delivered[0]++ == 0) {
          doomed.kill(); // SIGKILL while the rest of the session is still on the server side
        }
      };
      try (ClickHouseLogSource source = TestServers.source(doomed, BIG_TABLE).build()) {
        LogSourceException e = catchThrowableOfType(LogSourceException.class,
            () -> source.read(SessionQuery.of("big"), killOnFirstRow));
        assertThat(e).as("read returned normally after %d of %d rows", delivered[0], BIG).isNotNull();
        assertThat(e.reason()).isEqualTo(Reason.INTERRUPTED);
        assertThat(e).hasMessageContaining("stopped sending after").hasMessageContaining("incomplete");
        assertThat(delivered[0]).isLessThan(BIG);
      }
    }
  }
}
