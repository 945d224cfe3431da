package dev.execflow.assemble;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.BufferedReader;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

/**
 * Memory does not grow with rows: a 5,000,000-row session (generated and streamed, several
 * hundred MB if it were held) folds inside a JVM whose heap is fixed at 64 MB, to the generator's
 * exact totals. Throughput is printed for the record, not asserted (JMH measures it).
 */
class BoundedMemoryTest {
  private static final long ROWS = 5_000_000;

  @Test
  void aFiveMillionRowSessionFoldsInASixtyFourMegabyteHeap() throws Exception {
    String java = Path.of(System.getProperty("java.home"), "bin", "java").toString();
    List<String> command = new ArrayList<>(List.of(java, "-Xmx64m", "-Xms64m", "-XX:+UseSerialGC",
        "-cp", System.getProperty("java.class.path"), BoundedMemoryFold.class.getName(), Long.toString(ROWS)));
    Process process = new ProcessBuilder(command).redirectErrorStream(true).start();
    Map<String, String> out = new HashMap<>();
    StringBuilder all = new StringBuilder();
    try (BufferedReader reader = new BufferedReader(
        new InputStreamReader(process.getInputStream(), StandardCharsets.UTF_8))) {
      for (String line; (line = reader.readLine()) != null; ) {
        all.append(line).append('\n');
        int eq = line.indexOf('=');
        if (eq > 0) {
          out.put(line.substring(0, eq), line.substring(eq + 1));
        }
      }
    }
    assertThat(process.waitFor(5, TimeUnit.MINUTES)).as("fold finished").isTrue();
    assertThat(process.exitValue()).as("exit code; output:\n%s", all).isZero();
    System.out.println("[bounded-memory] " + all.toString().replace('\n', ' '));

    assertThat(out.get("maxHeapMb")).isIn("64", "63", "62", "61", "60", "59", "58", "57", "56", "55");
    assertThat(out.get("rows")).isEqualTo(out.get("expectedRows")).isEqualTo(Long.toString(ROWS));
    assertThat(out.get("totalCostMicros")).isEqualTo(out.get("expectedCostMicros"));
    assertThat(out.get("phaseCount")).isEqualTo(out.get("expectedPhaseCount"));
    assertThat(out.get("pathLength")).isEqualTo(out.get("expectedPathLength"));
    assertThat(out.get("status")).isEqualToIgnoringCase(out.get("expectedStatus"));
    assertThat(out.get("warnings")).startsWith("0 ");
  }
}
