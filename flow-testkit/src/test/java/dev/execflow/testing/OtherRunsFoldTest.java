package dev.execflow.testing;

import static org.assertj.core.api.Assertions.assertThat;

import dev.execflow.assemble.AssemblyOptions;
import dev.execflow.assemble.ExecutionAssembler;
import dev.execflow.model.ExecutionData;
import dev.execflow.spi.SessionQuery;
import java.util.List;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/** Each further run of a sample's cascade folds to the values worked out by hand for it. */
class OtherRunsFoldTest {
  static List<String> runs() {
    return Samples.otherRuns("loop").stream().map(Samples.Sample::name).toList();
  }

  @ParameterizedTest
  @MethodSource("runs")
  void foldsToTheHandWorkedExecutionData(String name) {
    ExecutionData data = ExecutionAssembler.assemble(Samples.sourceWithOtherRuns(),
        SessionQuery.of(Samples.sessionId(name)), AssemblyOptions.defaults());

    assertThat(ExpectedJson.differences(ExpectedJson.ofSample(name), data))
        .as("differences from %s.expected.json", name).isEmpty();
    assertThat(data.warnings().count()).as("warnings: %s", data.warnings()).isZero();
  }
}
