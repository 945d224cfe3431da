package dev.execflow.assemble;

import dev.execflow.spi.LogRow;
import dev.execflow.spi.WarningCounter;

/** What an LLM call or a turn row adds to its phase: turns, models. Small on purpose: it is hot. */
final class CallRows {
  private CallRows() {}

  static void fold(RowKind kind, LogRow row, double ts, PhaseAccumulator acc, MetadataReader meta,
      WarningCounter warnings) {
    if (kind == RowKind.LLM_CALL) {
      int turn = row.turnNumber();
      acc.turn(turn != LogRow.NO_INT && turn >= 0 ? turn + 1 : 1);
      String model = row.model();
      if (model != null && !model.isEmpty()) {
        acc.model(model, ts);
      }
    } else if (kind == RowKind.TURN) {
      meta.scan(row, MetadataReader.TURN, warnings);
      int turn = meta.firstInt(0, 1);
      if (turn == LogRow.NO_INT && row.turnNumber() != LogRow.NO_INT) {
        turn = row.turnNumber() + 1;
      }
      if (turn != LogRow.NO_INT) {
        acc.turn(turn);
      }
      acc.maxTurns(meta.intValue(2));
    }
  }
}
