package dev.execflow.source.jdbc;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import dev.execflow.testing.SessionGenerator;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.Statement;
import java.util.HashMap;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * A 1,000,000-row generated session, exported as JSONL and converted to Parquet by DuckDB (as the
 * original system's logs were kept), next to another session in the same file: streamed out of
 * the file and folded in a separate JVM with a 64 MB heap, to the generator's exact totals. DuckDB
 * works in native memory outside the heap; the rows never accumulate in the JVM.
 */
class ParquetMillionRowTest {
  private static final long ROWS = 1_000_000;
  private static final String SESSION = "million-parquet";
  private static final String HEAP = "-Xmx64m";

  private static Path dir;
  private static SessionGenerator.Expected expected;
  private static Map<String, String> reader;

  @BeforeAll
  static void writeAndRead() throws Exception {
    dir = TempFiles.directory("execflow-million");
    Path jsonl = dir.resolve("export.jsonl");
    try (OutputStream out = Files.newOutputStream(jsonl)) {
      new SessionGenerator(9).withSessionId("other").writeJsonl(out, 5_000);
      expected = new SessionGenerator(42).withSessionId(SESSION).writeJsonl(out, ROWS);
    }
    Path parquet = dir.resolve("log_0001.parquet");
    try (Connection c = DriverManager.getConnection("jdbc:duckdb:"); Statement s = c.createStatement()) {
      s.execute("COPY (SELECT * FROM read_ndjson(" + SqlDialect.DUCKDB.literal(jsonl.toString()) + "))"
          + " TO " + SqlDialect.DUCKDB.literal(parquet.toString()) + " (FORMAT parquet)");
    }
    Files.delete(jsonl);

    Path java = Path.of(System.getProperty("java.home"), "bin", "java");
    Process process = new ProcessBuilder(java.toString(), HEAP, "-cp", System.getProperty("java.class.path"),
        ParquetMillionRowReader.class.getName(), parquet.toString(), SESSION).redirectErrorStream(true).start();
    String out = new String(process.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
    assertThat(process.waitFor(5, TimeUnit.MINUTES)).isTrue();
    assertThat(process.exitValue()).as("reader JVM output:\n%s", out).isZero();
    reader = new HashMap<>();
    for (String line : out.split("\n")) {
      int eq = line.indexOf('=');
      if (eq > 0 && !line.contains(" ")) {
        reader.put(line.substring(0, eq), line.substring(eq + 1).trim());
      }
    }
    String report = String.format("1M-row session from Parquet (%d bytes) through DuckDB JDBC in a %s JVM: %s ms, "
        + "heap pools' peaks summed %.1f MB%n", Files.size(parquet), HEAP, reader.get("millis"),
        Long.parseLong(reader.get("peakHeapUsed")) / 1048576.0);
    System.err.print(report);
    Files.writeString(Path.of("target", "parquet-million-rows.txt"), report);
  }

  @AfterAll
  static void delete() {
    TempFiles.delete(dir);
  }

  @Test
  void everyRowOfTheSessionIsStreamedAndFoldedInA64MegabyteHeap() {
    assertThat(Long.parseLong(reader.get("rows"))).isEqualTo(ROWS);
    assertThat(Long.parseLong(reader.get("maxHeap"))).isLessThanOrEqualTo(64L * 1024 * 1024);
    assertThat(reader.get("warnings")).isEqualTo("0");
  }

  @Test
  void theFoldHasTheGeneratorsTotals() {
    assertThat(Double.parseDouble(reader.get("totalCost"))).isCloseTo(expected.totalCost(), within(1e-6));
    assertThat(Double.parseDouble(reader.get("totalDuration"))).isCloseTo(expected.totalDuration(), within(1e-6));
    assertThat(Integer.parseInt(reader.get("phaseCount"))).isEqualTo(expected.distinctPhases());
    assertThat(Integer.parseInt(reader.get("visits"))).isEqualTo(expected.phaseVisits());
    assertThat(reader.get("status")).isEqualTo(expected.status().json());
  }
}
