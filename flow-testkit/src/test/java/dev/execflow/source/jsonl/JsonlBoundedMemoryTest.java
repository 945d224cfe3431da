package dev.execflow.source.jsonl;

import static org.assertj.core.api.Assertions.assertThat;

import dev.execflow.testing.SessionGenerator;
import java.io.BufferedOutputStream;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Any line under the line bound folds in a 32 MB heap: a session with a 10 MB string
 * {@code content_json} and a 12 MB embedded-object one, next to 500,000 lines of another session
 * each with a field name of its own, is read and listed by a JVM whose heap is fixed at 32 MB
 * (before, the big row alone was an {@code OutOfMemoryError} from 4 MB of content on).
 */
class JsonlBoundedMemoryTest {
  @TempDir Path dir;

  @Test
  void hugeContentAndUniqueFieldNamesFoldInAThirtyTwoMegabyteHeap() throws Exception {
    Path file = dir.resolve("hostile.jsonl");
    long generated;
    try (OutputStream out = new BufferedOutputStream(Files.newOutputStream(file), 1 << 16)) {
      generated = new SessionGenerator(5).withSessionId("big-content").writeJsonl(out, 2_000).rows();
      out.write(("{\"timestamp\": 1736071100, \"session_id\": \"big-content\", \"node_type\": \"tool_result\", "
          + "\"role\": \"tool\", \"content_json\": \"").getBytes(StandardCharsets.UTF_8));
      byte[] tenMb = "0123456789abcdef".repeat(640 * 1024).getBytes(StandardCharsets.US_ASCII);
      out.write(tenMb);
      out.write("\"}\n".getBytes(StandardCharsets.UTF_8));
      out.write(("{\"timestamp\": 1736071101, \"session_id\": \"big-content\", \"node_type\": \"tool_result\", "
          + "\"role\": \"tool\", \"content_json\": {\"items\": [").getBytes(StandardCharsets.UTF_8));
      for (int i = 0; i < 1_000_000; i++) {
        out.write((i == 0 ? "\"abcdefghij\"" : ",\"abcdefghij\"").getBytes(StandardCharsets.US_ASCII));
      }
      out.write("]}}\n".getBytes(StandardCharsets.UTF_8));
      for (int i = 0; i < 500_000; i++) {
        out.write(("{\"timestamp\": " + (1736071200 + i) + ", \"session_id\": \"many-keys\", \"node_type\": \"tool_call\", "
            + "\"field_" + i + "_unique\": " + i + "}\n").getBytes(StandardCharsets.UTF_8));
      }
    }
    assertThat(Files.size(file)).isGreaterThan(30L * 1024 * 1024);

    String java = Path.of(System.getProperty("java.home"), "bin", "java").toString();
    List<String> command = new ArrayList<>(List.of(java, "-Xmx32m", "-Xms32m", "-XX:+UseSerialGC",
        "-cp", System.getProperty("java.class.path"), JsonlBoundedMemoryRead.class.getName(),
        file.toString(), "big-content"));
    Process process = new ProcessBuilder(command).redirectErrorStream(true).start();
    Map<String, String> out = new HashMap<>();
    StringBuilder all = new StringBuilder();
    try (BufferedReader reader = new BufferedReader(new InputStreamReader(process.getInputStream(), StandardCharsets.UTF_8))) {
      for (String line; (line = reader.readLine()) != null; ) {
        all.append(line).append('\n');
        int eq = line.indexOf('=');
        if (eq > 0) {
          out.put(line.substring(0, eq), line.substring(eq + 1));
        }
      }
    }
    assertThat(process.waitFor(3, TimeUnit.MINUTES)).as("finished").isTrue();
    assertThat(process.exitValue()).as("exit code; output:\n%s", all).isZero();
    System.out.println("[jsonl-bounded-memory] " + all.toString().replace('\n', ' '));

    assertThat(Integer.parseInt(out.get("maxHeapMb"))).isLessThanOrEqualTo(32);
    assertThat(out.get("rows")).isEqualTo(Long.toString(generated + 2));
    assertThat(out.get("listed")).isEqualTo("2");
  }
}
