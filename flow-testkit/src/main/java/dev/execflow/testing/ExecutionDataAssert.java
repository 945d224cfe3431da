package dev.execflow.testing;

import dev.execflow.model.ExecutionData;
import dev.execflow.model.PhaseExecution;
import dev.execflow.model.Status;
import java.util.List;
import org.assertj.core.api.AbstractAssert;
import org.assertj.core.api.Assertions;

/**
 * AssertJ assertions for {@link ExecutionData} that say what went wrong in the fold's own terms.
 *
 * <pre>{@code
 * ExecutionDataAssert.assertThat(data)
 *     .matchesSample("soundings")
 *     .hasNoWarnings()
 *     .hasPhase("tagline", Status.COMPLETED);
 * }</pre>
 */
public final class ExecutionDataAssert extends AbstractAssert<ExecutionDataAssert, ExecutionData> {
  private ExecutionDataAssert(ExecutionData actual) {
    super(actual, ExecutionDataAssert.class);
  }

  public static ExecutionDataAssert assertThat(ExecutionData actual) {
    return new ExecutionDataAssert(actual);
  }

  /** Every field of the sample's hand-worked expected JSON has its value (see {@link ExpectedJson}). */
  public ExecutionDataAssert matchesSample(String name) {
    isNotNull();
    List<String> differences = ExpectedJson.differences(ExpectedJson.ofSample(name, actual.sessionId()), actual);
    if (!differences.isEmpty()) {
      failWithMessage("differences from %s.expected.json:%n  %s", name, String.join("\n  ", differences));
    }
    return this;
  }

  public ExecutionDataAssert hasNoWarnings() {
    isNotNull();
    if (actual.warnings().count() != 0) {
      failWithMessage("expected no warnings but got %s", actual.warnings());
    }
    return this;
  }

  /** The summary's status and total cost (exactly: totals are sums of whole pico-dollars). */
  public ExecutionDataAssert hasSummary(Status status, double totalCost) {
    isNotNull();
    Assertions.assertThat(actual.summary().status()).as("summary.status").isEqualTo(status);
    Assertions.assertThat(actual.summary().totalCost()).as("summary.totalCost").isEqualTo(totalCost);
    return this;
  }

  public ExecutionDataAssert hasExecutedPath(String... phases) {
    isNotNull();
    Assertions.assertThat(actual.executedPath()).as("executedPath").containsExactly(phases);
    return this;
  }

  public ExecutionDataAssert hasPhase(String name, Status status) {
    isNotNull();
    PhaseExecution phase = actual.phases().get(name);
    if (phase == null) {
      failWithMessage("expected a phase '%s' but the phases are %s", name, actual.phases().keySet());
    }
    Assertions.assertThat(phase.status()).as("status of phase %s", name).isEqualTo(status);
    return this;
  }
}
