package dev.execflow.jmh;

import dev.execflow.assemble.ExecutionAssembler;
import dev.execflow.testing.SessionGenerator;
import dev.execflow.spi.LogRow;
import dev.execflow.spi.RowSink;
import java.util.concurrent.TimeUnit;
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
import org.openjdk.jmh.annotations.Warmup;

/**
 * The flat-memory proof under JMH: sessions streamed from the {@link SessionGenerator} (one
 * flyweight, nothing kept) into the fold in a JVM with a 64 MB heap, 10M rows included. {@link
 * #generateOnly} is the generator's own cost, so the fold's share is the difference of the two.
 */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.Throughput)
@OutputTimeUnit(TimeUnit.SECONDS)
@Warmup(iterations = 2, time = 2)
@Measurement(iterations = 5, time = 2)
@Fork(value = 1, jvmArgsAppend = {"-Xms64m", "-Xmx64m", "-XX:+AlwaysPreTouch"})
public class StreamedFoldBenchmark {
  @Param({"1000000", "10000000"})
  public int rows;

  private SessionGenerator generator;

  @Setup(Level.Trial)
  public void setUp() {
    generator = new SessionGenerator(42);
    ExecutionAssembler assembler = new ExecutionAssembler();
    Checks.agrees(assembler, generator.generate(rows, assembler), "the streamed session");
  }

  @Benchmark
  public ExecutionAssembler generateAndFold(RowCounter counter) {
    ExecutionAssembler assembler = new ExecutionAssembler();
    generator.generate(rows, assembler);
    counter.rows += rows;
    return assembler;
  }

  @Benchmark
  public long generateOnly(RowCounter counter) {
    Checksum sink = new Checksum();
    generator.generate(rows, sink);
    counter.rows += rows;
    return sink.sum;
  }

  /** Reads a column of every row, so that the generator's work is not dead code. */
  static final class Checksum implements RowSink {
    long sum;

    @Override
    public void accept(LogRow row) {
      sum += Double.doubleToRawLongBits(row.timestamp());
    }
  }
}
