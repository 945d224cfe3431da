package dev.execflow.jmh;

import dev.execflow.testing.SessionGenerator;
import java.util.Map;
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
 * The original endpoint's approach ({@link NaiveExecutionFlow}: a {@code Map} per row, the whole
 * session in a list, grouped by phase) over the same stored sessions as {@link FoldBenchmark}, in
 * the same run, so that the ratio is measured, not quoted. No 10M size: ten million maps (~1 KB
 * each) do not fit the machine, which is the point of the fold.
 */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.Throughput)
@OutputTimeUnit(TimeUnit.SECONDS)
@Warmup(iterations = 3, time = 2)
@Measurement(iterations = 5, time = 2)
@Fork(value = 1, jvmArgsAppend = {"-Xms6g", "-Xmx6g", "-XX:+AlwaysPreTouch"})
public class NaiveBaselineBenchmark {
  @Param({"10000", "1000000"})
  public int rows;

  private RowStore store;

  @Setup(Level.Trial)
  public void setUp() {
    store = RowStore.generate(new SessionGenerator(42), rows);
    Map<String, Object> result = naive(new RowCounter());
    Object phases = ((Map<?, ?>) result.get("summary")).get("phaseCount");
    if (!phases.equals(store.expected().distinctPhases())) {
      throw new IllegalStateException("the baseline found " + phases + " phases, the session has "
          + store.expected().distinctPhases());
    }
  }

  @Benchmark
  public Map<String, Object> naive(RowCounter counter) {
    NaiveExecutionFlow naive = new NaiveExecutionFlow();
    store.replay(0, rows, naive);
    counter.rows += rows;
    return naive.result();
  }
}
