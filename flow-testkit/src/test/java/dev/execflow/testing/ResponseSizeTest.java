package dev.execflow.testing;

import static org.assertj.core.api.Assertions.assertThat;

import dev.execflow.assemble.ExecutionAssembler;
import dev.execflow.json.ExecutionJson;
import java.nio.charset.StandardCharsets;
import org.junit.jupiter.api.Test;

/**
 * The executionData a viewer downloads stays O(phases + visits) however many rows the session has
 * (issue 11 item 6: trace UIs die at 20k spans; a 10M-row session's JSON is in BENCHMARKS.md).
 */
class ResponseSizeTest {
  /** JSON bytes of the fold of a generated session of {@code rows} rows. */
  private static long jsonBytes(SessionGenerator generator, long rows, SessionGenerator.Expected[] expected) {
    ExecutionAssembler fold = new ExecutionAssembler();
    expected[0] = generator.generate(rows, fold);
    return ExecutionJson.write(fold.snapshot()).getBytes(StandardCharsets.UTF_8).length;
  }

  /** Bytes per phase or visit: what one entry of phases, executedPath and the visit log costs. */
  private static final int BYTES_PER_PHASE_OR_VISIT = 512;

  @Test
  void aMillionRowSessionsJsonIsBoundedByItsPhasesAndVisitsNotItsRows() {
    SessionGenerator.Expected[] e = new SessionGenerator.Expected[1];
    long bytes = jsonBytes(new SessionGenerator(42), 1_000_000, e);

    assertThat(e[0].llmCalls()).as("calls").isGreaterThan(200_000);
    assertThat(bytes).as("JSON bytes for %d phases, %d visits", e[0].distinctPhases(), e[0].phaseVisits())
        .isLessThanOrEqualTo((long) BYTES_PER_PHASE_OR_VISIT * (e[0].distinctPhases() + e[0].phaseVisits()))
        .isLessThan(e[0].rows() / 10);
  }

  @Test
  void a100TimesLongerSessionCostsOnlyWhatItsExtraVisitsCost() {
    SessionGenerator.Expected[] small = new SessionGenerator.Expected[1];
    SessionGenerator.Expected[] big = new SessionGenerator.Expected[1];
    double perEntrySmall = (double) jsonBytes(new SessionGenerator(7), 10_000, small)
        / (small[0].distinctPhases() + small[0].phaseVisits());
    double perEntryBig = (double) jsonBytes(new SessionGenerator(7), 1_000_000, big)
        / (big[0].distinctPhases() + big[0].phaseVisits());

    assertThat(perEntryBig).as("bytes per phase or visit, 1M rows vs 10k rows").isLessThan(1.25 * perEntrySmall);
  }
}
