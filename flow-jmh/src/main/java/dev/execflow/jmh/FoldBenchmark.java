package dev.execflow.jmh;

import dev.execflow.assemble.ExecutionAssembler;
import dev.execflow.testing.SessionGenerator;
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
 * The fold alone: one {@link ExecutionAssembler} per operation over a whole generated session held
 * in memory ({@link RowStore}, one flyweight), on one thread. Secondary result {@code rows}: rows/s.
 * With {@code -prof gc}, {@code gc.alloc.rate.norm} / rows is the allocation per row; the snapshot
 * is not taken (the assembler itself is consumed).
 */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.Throughput)
@OutputTimeUnit(TimeUnit.SECONDS)
@Warmup(iterations = 3, time = 2)
@Measurement(iterations = 5, time = 2)
// three forks: the fold's speed differs between JVM runs (JIT decisions), and the error bars should show it.
// AlwaysPreTouch (in every benchmark): without it a fresh eden's first-touch page faults made an
// allocating fold 10x slower for the first ~20 s of a fork, i.e. the whole measurement.
@Fork(value = 3, jvmArgsAppend = {"-Xms6g", "-Xmx6g", "-XX:+AlwaysPreTouch"})
public class FoldBenchmark {
  @Param({"10000", "1000000", "10000000"})
  public int rows;

  private RowStore store;

  @Setup(Level.Trial)
  public void setUp() {
    store = RowStore.generate(new SessionGenerator(42), rows);
    Checks.agrees(fold(new RowCounter()), store.expected(), "the stored session");
  }

  @Benchmark
  public ExecutionAssembler fold(RowCounter counter) {
    ExecutionAssembler assembler = new ExecutionAssembler();
    store.replay(0, rows, assembler);
    counter.rows += rows;
    return assembler;
  }
}
