package dev.execflow.testing;

import static org.assertj.core.api.Assertions.assertThat;

import dev.execflow.assemble.AssemblyOptions;
import dev.execflow.assemble.ExecutionAssembler;
import dev.execflow.model.ExecutionData;
import dev.execflow.spi.SessionQuery;
import java.util.List;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * Each bundled sample, folded by the assembler, has the values worked out by hand in its {@code
 * <name>.expected.json} (compared as {@link ExpectedJson} says).
 */
class SamplesFoldTest {
  static List<String> names() {
    return Samples.names();
  }

  @ParameterizedTest
  @MethodSource("names")
  void foldsToTheHandWorkedExecutionData(String name) {
    ExecutionData data = ExecutionAssembler.assemble(Samples.source(),
        SessionQuery.of(Samples.sessionId(name)), AssemblyOptions.defaults());

    assertThat(ExpectedJson.differences(ExpectedJson.ofSample(name), data))
        .as("differences from %s.expected.json", name).isEmpty();
    assertThat(data.warnings().count()).as("warnings: %s", data.warnings()).isZero();
  }
}
