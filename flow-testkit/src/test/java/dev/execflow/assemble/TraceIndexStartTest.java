package dev.execflow.assemble;

import static org.assertj.core.api.Assertions.assertThat;

import dev.execflow.model.ExecutionData;
import dev.execflow.model.Status;
import dev.execflow.testing.SessionGenerator;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/**
 * The size the trace index starts at is a matter of memory, not of results: generated sessions
 * fold to the same {@code ExecutionData} from an index that starts at 64 entries and grows as
 * from one that starts at its capacity, also when the capacity is small enough to evict traces.
 */
class TraceIndexStartTest {
  private static ExecutionData fold(long seed, int rows, AssemblyOptions options) {
    ExecutionAssembler assembler = new ExecutionAssembler(options);
    new SessionGenerator(seed).withOutcome(Status.COMPLETED).generate(rows, assembler);
    return assembler.snapshot();
  }

  @ParameterizedTest(name = "seed {0}, {1} rows, capacity {2}")
  @CsvSource({"21, 20000, 16384", "22, 200000, 1024", "23, 50000, 64"})
  void aFoldWhoseIndexStartsSmallEqualsOneWhoseIndexStartsAtItsCapacity(long seed, int rows, int capacity) {
    AssemblyOptions full = AssemblyOptions.builder().traceIndexCapacity(capacity)
        .traceIndexInitialCapacity(capacity).build();
    AssemblyOptions small = full.toBuilder().traceIndexInitialCapacity(64).build();

    assertThat(fold(seed, rows, small)).isEqualTo(fold(seed, rows, full));
  }
}
