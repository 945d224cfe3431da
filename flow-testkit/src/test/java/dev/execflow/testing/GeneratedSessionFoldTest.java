package dev.execflow.testing;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import dev.execflow.assemble.ExecutionAssembler;
import dev.execflow.model.ExecutionData;
import dev.execflow.model.Status;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/** Generated sessions fold to the totals their generator computed while generating them. */
class GeneratedSessionFoldTest {
  @ParameterizedTest(name = "seed {0}, {1} rows, {2}")
  @CsvSource({
      "1, 6, COMPLETED",
      "2, 500, COMPLETED",
      "3, 5000, ERROR",
      "4, 5000, RUNNING",
      "5, 60000, COMPLETED"})
  void foldsToTheGeneratorsTotals(long seed, long rows, Status outcome) {
    ExecutionAssembler assembler = new ExecutionAssembler();
    SessionGenerator.Expected expected = new SessionGenerator(seed).withOutcome(outcome).generate(rows, assembler);
    ExecutionData data = assembler.snapshot();

    assertThat(data.sessionId()).isEqualTo(expected.sessionId());
    assertThat(data.summary().rowCount()).isEqualTo(expected.rows());
    assertThat(data.summary().totalCost()).isCloseTo(expected.totalCost(), within(1e-9));
    assertThat(data.summary().phaseCount()).isEqualTo(expected.distinctPhases());
    assertThat(data.executedPath()).hasSize(expected.phaseVisits());
    assertThat(data.summary().status()).isEqualTo(expected.status());
    assertThat(data.summary().totalDuration()).isCloseTo(expected.totalDuration(), within(1e-6));
    assertThat(data.warnings().count()).as("%s", data.warnings()).isZero();
  }
}
