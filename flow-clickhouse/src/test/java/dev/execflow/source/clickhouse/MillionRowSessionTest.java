package dev.execflow.source.clickhouse;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import dev.execflow.source.clickhouse.testing.ClickHouseServer;
import dev.execflow.source.clickhouse.testing.ClickHouseServerExtension;
import dev.execflow.source.clickhouse.testing.LogTable;
import dev.execflow.testing.SessionGenerator;
import dev.execflow.spi.SessionQuery;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * A 1,000,000-row generated session, bulk-loaded into the test server, streamed and assembled in
 * a separate JVM with a 64 MB heap: the totals must match ClickHouse's own aggregate SQL over the
 * same rows and the generator's. The time is printed next to the server's own scan of the same
 * SELECT ({@code FORMAT Null}), measured in the same run (not a benchmark: see flow-jmh).
 */
@ExtendWith(ClickHouseServerExtension.class)
class MillionRowSessionTest {
  private static final long ROWS = 1_000_000;
  private static final String TABLE = "million_rows";
  private static final String SESSION = "million-1";
  private static final String HEAP = "-Xmx64m";
  private static final int RUNS = 3;

  private static ClickHouseServer server;
  private static SessionGenerator.Expected expected;
  private static Map<String, String> reader;
  private static long scanMillis;

  @BeforeAll
  static void loadAndRead(ClickHouseServer s) throws Exception {
    server = s;
    SessionGenerator generator = new SessionGenerator(42).withSessionId(SESSION);
    LogTable table = LogTable.windlass(TABLE).create(server);
    long loadStarted = System.nanoTime();
    SessionGenerator.Expected[] totals = new SessionGenerator.Expected[1];
    long sent = table.insert(server, sink -> totals[0] = generator.generate(ROWS, sink));
    expected = totals[0];
    long loadMillis = TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - loadStarted);
    assertThat(sent).isEqualTo(ROWS);

    reader = runReaderJvm();

    // the server's own time for the same SELECT, sending nothing back
    String select;
    try (ClickHouseLogSource source = TestServers.source(server, TABLE).build()) {
      select = source.selectSql(SessionQuery.of(SESSION));
    }
    scanMillis = Long.MAX_VALUE;
    for (int run = 0; run < RUNS; run++) {
      long started = System.nanoTime();
      server.execute(select + "\nFORMAT Null");
      scanMillis = Math.min(scanMillis, TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - started));
    }

    long best = Long.MAX_VALUE;
    StringBuilder runs = new StringBuilder();
    for (int run = 1; run <= RUNS; run++) {
      long ms = Long.parseLong(reader.get("run" + run + ".millis"));
      best = Math.min(best, ms);
      runs.append(run == 1 ? "" : ", ").append(ms);
    }
    String report = String.format(
        "1M-row session on ClickHouse %s (compressed=%s): load %d ms; stream+assemble in a %s JVM: "
            + "best %d ms of [%s] ms (heap: max %.0f MB, pools' peaks summed %.1f MB, live after the fold %.1f MB); "
            + "server scan of the same SELECT (FORMAT Null): best %d ms of %d runs%n",
        server.version(), reader.get("compressed"), loadMillis, HEAP, best, runs,
        Long.parseLong(reader.get("maxHeap")) / 1048576.0, Long.parseLong(reader.get("peakHeapUsed")) / 1048576.0,
        Long.parseLong(reader.get("usedAfterGc")) / 1048576.0, scanMillis, RUNS);
    System.out.print(report);
    System.err.print(report);
    Files.writeString(Path.of("target", "clickhouse-million-rows.txt"), report);
  }

  /** Runs {@link MillionRowReader} in a fresh JVM with a small heap and returns what it printed. */
  private static Map<String, String> runReaderJvm() throws IOException, InterruptedException {
    Path java = Path.of(System.getProperty("java.home"), "bin", "java");
    ProcessBuilder pb = new ProcessBuilder(java.toString(), HEAP, "-cp", System.getProperty("java.class.path"),
        MillionRowReader.class.getName(), server.url(), server.user(), server.password(), server.database(),
        TABLE, SESSION, String.valueOf(RUNS)).redirectErrorStream(true);
    Process process = pb.start();
    String out = new String(process.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
    assertThat(process.waitFor(5, TimeUnit.MINUTES)).isTrue();
    assertThat(process.exitValue()).as("reader JVM output:\n%s", out).isZero();
    Map<String, String> values = new HashMap<>();
    for (String line : out.split("\n")) {
      int eq = line.indexOf('=');
      if (eq > 0 && !line.contains(" ")) {
        values.put(line.substring(0, eq), line.substring(eq + 1).trim());
      }
    }
    return values;
  }

  private static List<String> sql(String query) {
    return List.of(server.execute(query).trim().split("\t"));
  }

  @Test
  void everyRowIsStreamedAndFoldedInA64MegabyteHeap() {
    assertThat(Long.parseLong(reader.get("rows"))).isEqualTo(ROWS);
    assertThat(Long.parseLong(reader.get("maxHeap"))).isLessThanOrEqualTo(64L * 1024 * 1024);
  }

  @Test
  void totalCostMatchesClickHousesOwnSumWithEachCallCountedOnce() {
    List<String> cost = sql("SELECT toString(sum(c)) FROM (SELECT trace_id, "
        + "if(countIf(role = 'assistant' AND isNotNull(cost)) > 0, "
        + "argMinIf(cost, timestamp, role = 'assistant' AND isNotNull(cost)), "
        + "argMinIf(cost, timestamp, node_type = 'cost_update' AND isNotNull(cost))) AS c "
        + "FROM " + server.qualified(TABLE) + " WHERE session_id = '" + SESSION + "' GROUP BY trace_id)");
    double sqlCost = Double.parseDouble(cost.get(0));
    assertThat(Double.parseDouble(reader.get("totalCost"))).isCloseTo(sqlCost, within(1e-6))
        .isCloseTo(expected.totalCost(), within(1e-6));
  }

  @Test
  void durationAndRowCountMatchClickHousesOwnAggregates() {
    List<String> agg = sql("SELECT count(), toString(max(timestamp) - min(timestamp)) FROM "
        + server.qualified(TABLE) + " WHERE session_id = '" + SESSION + "'");
    assertThat(Long.parseLong(agg.get(0))).isEqualTo(ROWS);
    assertThat(Long.parseLong(reader.get("folded"))).isLessThanOrEqualTo(ROWS);
    assertThat(Double.parseDouble(reader.get("totalDuration")))
        .isCloseTo(Double.parseDouble(agg.get(1)), within(1e-6))
        .isCloseTo(expected.totalDuration(), within(1e-6));
  }

  @Test
  void phasesVisitsAndStatusMatchTheGenerator() {
    List<String> phases = sql("SELECT uniqExact(phase_name) FROM " + server.qualified(TABLE)
        + " WHERE session_id = '" + SESSION + "' AND isNotNull(phase_name) AND phase_name != ''");
    assertThat(Integer.parseInt(reader.get("phaseCount"))).isEqualTo(expected.distinctPhases())
        .isEqualTo(Integer.parseInt(phases.get(0)));
    assertThat(Integer.parseInt(reader.get("visits"))).isEqualTo(expected.phaseVisits());
    assertThat(reader.get("status")).isEqualTo(expected.status().json());
  }

  @Test
  void streamingTimeAndTheServersScanTimeWereBothMeasured() {
    assertThat(scanMillis).isPositive();
    assertThat(Long.parseLong(reader.get("run" + RUNS + ".millis"))).isPositive();
  }
}
