package dev.execflow.jmh;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import dev.execflow.testing.SessionGenerator;
import dev.execflow.spi.MutableLogRow;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** The baseline does the original endpoint's real work, so that the ratio to the fold means something. */
class NaiveExecutionFlowTest {
  @Test
  void keepsEveryRowAndGroupsCostByPhaseName() {
    NaiveExecutionFlow naive = new NaiveExecutionFlow();
    MutableLogRow row = new MutableLogRow();
    naive.accept(row.clear().timestamp(10).nodeType("cascade").role("system"));
    naive.accept(row.clear().timestamp(11).nodeType("agent").role("assistant").phaseName("draft").cost(0.25));
    naive.accept(row.clear().timestamp(12).nodeType("tool_call").role("tool"));
    naive.accept(row.clear().timestamp(13).nodeType("agent").role("assistant").phaseName("review").cost(0.5));
    naive.accept(row.clear().timestamp(14).nodeType("cascade_completed").role("system"));

    Map<String, Object> result = naive.result();

    assertThat(naive.rowCount()).isEqualTo(5);
    assertThat(result.get("executedPath")).isEqualTo(List.of("draft", "review"));
    Map<?, ?> phases = (Map<?, ?>) result.get("phases");
    assertThat((Double) ((Map<?, ?>) phases.get("draft")).get("cost")).isCloseTo(0.25, within(1e-12));
    Map<?, ?> summary = (Map<?, ?>) result.get("summary");
    assertThat(summary.get("status")).isEqualTo("completed");
    assertThat((Double) summary.get("totalDuration")).isCloseTo(4.0, within(1e-9));
  }

  @Test
  void findsEveryPhaseOfAGeneratedSession() {
    RowStore store = RowStore.generate(new SessionGenerator(42), 10_000);
    NaiveExecutionFlow naive = new NaiveExecutionFlow();
    store.replay(0, store.size(), naive);

    Map<?, ?> summary = (Map<?, ?>) naive.result().get("summary");
    assertThat(summary.get("phaseCount")).isEqualTo(store.expected().distinctPhases());
  }
}
