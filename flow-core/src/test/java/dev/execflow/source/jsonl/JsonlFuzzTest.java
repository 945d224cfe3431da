package dev.execflow.source.jsonl;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The JSONL source never throws past its SPI, whatever the file holds; also in a small heap. */
class JsonlFuzzTest {
  @TempDir Path dir;

  @Test
  void randomBytesPlainOrGzippedNeverThrow() {
    new JsonlFuzz(dir, 20_000).bytes(300);
  }

  @Test
  void hostileStructuredLinesNeverThrowAndDeliverOnlyTheSessionAskedFor() {
    new JsonlFuzz(dir, 20_000).structured(400);
  }

  @Test
  void theFuzzHoldsInAThirtyTwoMegabyteHeapWithMegabyteValues() throws Exception {
    String java = Path.of(System.getProperty("java.home"), "bin", "java").toString();
    Process p = new ProcessBuilder(List.of(java, "-Xmx32m", "-Xms32m", "-XX:+UseSerialGC",
        "-cp", System.getProperty("java.class.path"), JsonlFuzz.class.getName(), dir.toString()))
        .redirectErrorStream(true).start();
    String output = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
    assertThat(p.waitFor(5, TimeUnit.MINUTES)).isTrue();
    assertThat(p.exitValue()).as(output).isZero();
    assertThat(output).contains("ok maxHeapMb=");
  }
}
