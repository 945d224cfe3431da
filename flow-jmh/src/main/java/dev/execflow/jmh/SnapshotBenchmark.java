package dev.execflow.jmh;

import dev.execflow.assemble.ExecutionAssembler;
import dev.execflow.json.ExecutionJson;
import dev.execflow.model.ExecutionData;
import dev.execflow.model.PhaseExecution;
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
 * What the live view pays per refresh: {@code snapshot()} of a folded {@link WideSession} (1,000
 * phases, each with 8 sounding attempts, 2 reforge steps of 3 attempts and 4 wards), and the same
 * plus writing the JSON ({@link ExecutionJson#write(ExecutionData)}).
 */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.MILLISECONDS)
@Warmup(iterations = 3, time = 2)
@Measurement(iterations = 5, time = 2)
@Fork(value = 1, jvmArgsAppend = {"-Xms1g", "-Xmx1g", "-XX:+AlwaysPreTouch"})
public class SnapshotBenchmark {
  @Param({"1000"})
  public int phases;

  @Param({"8"})
  public int soundings;

  private ExecutionAssembler assembler;

  @Setup(Level.Trial)
  public void setUp() {
    assembler = new ExecutionAssembler();
    long rows = WideSession.write(phases, soundings, assembler);
    ExecutionData data = assembler.snapshot();
    int attempts = 0;
    for (PhaseExecution p : data.phases().values()) {
      attempts += p.details() != null && p.details().soundings() != null ? p.details().soundings().attempts().size() : 0;
    }
    if (data.phases().size() != phases || attempts != phases * soundings || data.warnings().count() != 0) {
      throw new IllegalStateException("the wide session folded to " + data.phases().size() + " phases, "
          + attempts + " sounding attempts, warnings " + data.warnings().byKind());
    }
    String json = ExecutionJson.write(data);
    System.out.printf("wide session: %d rows, %d phases, %d sounding attempts, JSON %d bytes%n", rows,
        data.phases().size(), attempts, json.length());
  }

  @Benchmark
  public ExecutionData snapshot() {
    return assembler.snapshot();
  }

  @Benchmark
  public String snapshotAndJson() {
    return ExecutionJson.write(assembler.snapshot());
  }
}
