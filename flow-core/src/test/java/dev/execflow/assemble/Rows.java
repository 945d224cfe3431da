package dev.execflow.assemble;

import dev.execflow.model.ExecutionData;
import dev.execflow.spi.LogRow;
import dev.execflow.spi.MutableLogRow;
import java.util.ArrayList;
import java.util.List;

/**
 * A readable way to write a session's rows in a test: each call adds one row at the given time
 * (seconds) and returns it for further columns.
 */
final class Rows {
  static final String SESSION = "s1";
  final List<MutableLogRow> rows = new ArrayList<>();

  MutableLogRow add(double ts, String nodeType, String role) {
    MutableLogRow row = new MutableLogRow().timestamp(ts).sessionId(SESSION).nodeType(nodeType).role(role);
    rows.add(row);
    return row;
  }

  MutableLogRow cascadeStart(double ts, String cascadeId) {
    return add(ts, "cascade", "system").cascadeId(cascadeId).traceId("cascade-trace");
  }

  MutableLogRow phaseStart(double ts, String phase) {
    return add(ts, "phase", "phase_start").phaseName(phase).traceId("start-" + phase + "-" + ts);
  }

  MutableLogRow phaseComplete(double ts, String phase) {
    return add(ts, "phase", "phase_complete").phaseName(phase);
  }

  MutableLogRow llmCall(double ts, String phase, String trace, double cost) {
    return add(ts, "agent", "assistant").phaseName(phase).traceId(trace).cost(cost);
  }

  MutableLogRow completed(double ts) {
    return add(ts, "cascade_completed", "system");
  }

  MutableLogRow failed(double ts) {
    return add(ts, "cascade_failed", "system");
  }

  ExecutionData fold() {
    return fold(AssemblyOptions.defaults());
  }

  ExecutionData fold(AssemblyOptions options) {
    ExecutionAssembler assembler = new ExecutionAssembler(options);
    for (LogRow row : rows) {
      assembler.accept(row);
    }
    return assembler.snapshot();
  }
}
