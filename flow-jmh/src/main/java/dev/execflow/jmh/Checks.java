package dev.execflow.jmh;

import dev.execflow.assemble.ExecutionAssembler;
import dev.execflow.model.ExecutionData;
import dev.execflow.testing.SessionGenerator;

/** Setup-time checks that a benchmark folds what it claims to, so a fast wrong fold cannot pass. */
final class Checks {
  private Checks() {}

  /** Throws when {@code assembler}'s fold disagrees with the generator's totals. */
  static void agrees(ExecutionAssembler assembler, SessionGenerator.Expected expected, String what) {
    ExecutionData data = assembler.snapshot();
    long costMicros = Math.round(data.summary().totalCost() * 1_000_000);
    StringBuilder wrong = new StringBuilder();
    if (costMicros != expected.costMicros()) {
      wrong.append(" cost ").append(costMicros).append(" micro$ != ").append(expected.costMicros());
    }
    if (data.summary().phaseCount() != expected.distinctPhases()) {
      wrong.append(" phases ").append(data.summary().phaseCount()).append(" != ").append(expected.distinctPhases());
    }
    if (data.executedPath().size() != expected.phaseVisits()) {
      wrong.append(" visits ").append(data.executedPath().size()).append(" != ").append(expected.phaseVisits());
    }
    if (data.summary().status() != expected.status()) {
      wrong.append(" status ").append(data.summary().status()).append(" != ").append(expected.status());
    }
    if (Math.abs(data.summary().totalDuration() - expected.totalDuration()) > 1e-6) {
      wrong.append(" duration ").append(data.summary().totalDuration()).append(" != ").append(expected.totalDuration());
    }
    if (data.warnings().count() != 0) {
      wrong.append(" warnings ").append(data.warnings().byKind());
    }
    if (wrong.length() > 0) {
      throw new IllegalStateException(what + " does not fold to the generated session's totals:" + wrong);
    }
  }
}
