package dev.execflow.jmh;

import dev.execflow.assemble.ExecutionAssembler;
import dev.execflow.testing.SessionGenerator;
import dev.execflow.source.jsonl.JsonlLogSource;
import dev.execflow.spi.LogRow;
import dev.execflow.spi.RowSink;
import dev.execflow.spi.SessionQuery;
import java.io.BufferedOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.TimeUnit;
import org.openjdk.jmh.annotations.AuxCounters;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Level;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.TearDown;
import org.openjdk.jmh.annotations.Warmup;

/**
 * Parse + fold from a JSON Lines file ({@link JsonlLogSource}, the generator's session written in
 * ClickHouse's JSONEachRow shape): rows/s and bytes/s ({@code bytes}, divide by 2^20 for MB/s),
 * and the parse alone into a sink that only counts. The file is read from the page cache after
 * the first iteration: this is the CPU cost of parsing, not a disk's speed.
 */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.Throughput)
@OutputTimeUnit(TimeUnit.SECONDS)
@Warmup(iterations = 3, time = 2)
@Measurement(iterations = 5, time = 2)
@Fork(value = 1, jvmArgsAppend = {"-Xms1g", "-Xmx1g", "-XX:+AlwaysPreTouch"})
public class JsonlBenchmark {
  @Param({"10000", "1000000", "10000000"})
  public int rows;

  private Path file;
  private long bytes;
  private JsonlLogSource source;
  private SessionQuery query;

  /** Rows and file bytes handled, reported as rates. */
  @State(Scope.Thread)
  @AuxCounters(AuxCounters.Type.OPERATIONS)
  public static class Counters {
    public long rows;
    public long bytes;

    @Setup(Level.Iteration)
    public void reset() {
      rows = 0;
      bytes = 0;
    }
  }

  @Setup(Level.Trial)
  public void setUp() throws IOException {
    file = Files.createTempFile("execflow-jmh-", ".jsonl");
    SessionGenerator generator = new SessionGenerator(42);
    SessionGenerator.Expected expected;
    try (OutputStream out = new BufferedOutputStream(Files.newOutputStream(file), 1 << 16)) {
      expected = generator.writeJsonl(out, rows);
    }
    bytes = Files.size(file);
    source = JsonlLogSource.open(file);
    query = SessionQuery.of(expected.sessionId());
    System.out.printf("JSONL file: %d rows, %d bytes (%.1f bytes/row)%n", rows, bytes, (double) bytes / rows);
    Checks.agrees(parseAndFold(new Counters()), expected, "the JSONL file");
  }

  @TearDown(Level.Trial)
  public void tearDown() throws IOException {
    if (source != null) {
      source.close();
    }
    Files.deleteIfExists(file);
  }

  @Benchmark
  public ExecutionAssembler parseAndFold(Counters counters) {
    ExecutionAssembler assembler = new ExecutionAssembler();
    source.read(query, assembler);
    counters.rows += rows;
    counters.bytes += bytes;
    return assembler;
  }

  @Benchmark
  public long parseOnly(Counters counters) {
    CountingSink sink = new CountingSink();
    source.read(query, sink);
    counters.rows += rows;
    counters.bytes += bytes;
    return sink.checksum;
  }

  /** Reads one column of every row so that nothing the source delivers is dead code. */
  static final class CountingSink implements RowSink {
    long checksum;

    @Override
    public void accept(LogRow row) {
      checksum += Double.doubleToRawLongBits(row.timestamp()) ^ row.soundingIndex();
    }
  }
}
