package dev.execflow.jmh;

import dev.execflow.assemble.ExecutionAssembler;
import dev.execflow.testing.SessionGenerator;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
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
import org.openjdk.jmh.annotations.TearDown;
import org.openjdk.jmh.annotations.Warmup;

/**
 * A long session folded as {@code parts} contiguous time ranges (cut between distinct timestamps,
 * {@link RowStore#split}), one thread per part, then merged left to right with {@link
 * ExecutionAssembler#merge}; {@code parts = 1} is the plain one-thread fold. {@link #mergeOnly}
 * times the merges alone, over parts folded once at setup (merge leaves its inputs unchanged).
 */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.Throughput)
@OutputTimeUnit(TimeUnit.SECONDS)
@Warmup(iterations = 3, time = 2)
@Measurement(iterations = 5, time = 2)
@Fork(value = 1, jvmArgsAppend = {"-Xms6g", "-Xmx6g", "-XX:+AlwaysPreTouch"})
public class MergeBenchmark {
  @Param({"10000000"})
  public int rows;

  @Param({"1", "2", "4"})
  public int parts;

  private RowStore store;
  private int[] bounds;
  private ExecutorService pool;
  private List<ExecutionAssembler> folded;

  @Setup(Level.Trial)
  public void setUp() throws Exception {
    store = RowStore.generate(new SessionGenerator(42), rows);
    bounds = store.split(parts);
    pool = parts > 1 ? Executors.newFixedThreadPool(parts) : null;
    folded = new ArrayList<>();
    for (int k = 0; k < parts; k++) {
      folded.add(foldPart(k));
    }
    Checks.agrees(mergeOnly(), store.expected(), parts + " merged parts");
    Checks.agrees(foldPartsAndMerge(new RowCounter()), store.expected(), parts + " parts folded in parallel");
  }

  @TearDown(Level.Trial)
  public void tearDown() {
    if (pool != null) {
      pool.shutdownNow();
    }
  }

  private ExecutionAssembler foldPart(int k) {
    ExecutionAssembler assembler = new ExecutionAssembler();
    store.replay(bounds[k], bounds[k + 1], assembler);
    return assembler;
  }

  @Benchmark
  public ExecutionAssembler foldPartsAndMerge(RowCounter counter) throws InterruptedException, ExecutionException {
    counter.rows += rows;
    if (parts == 1) {
      return foldPart(0);
    }
    List<Future<ExecutionAssembler>> futures = new ArrayList<>(parts);
    for (int k = 0; k < parts; k++) {
      int part = k;
      futures.add(pool.submit(() -> foldPart(part)));
    }
    ExecutionAssembler merged = futures.get(0).get();
    for (int k = 1; k < parts; k++) {
      merged = ExecutionAssembler.merge(merged, futures.get(k).get());
    }
    return merged;
  }

  @Benchmark
  public ExecutionAssembler mergeOnly() {
    ExecutionAssembler merged = folded.get(0);
    for (int k = 1; k < parts; k++) {
      merged = ExecutionAssembler.merge(merged, folded.get(k));
    }
    return merged;
  }
}
