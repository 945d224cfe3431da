package dev.execflow.assemble;

import dev.execflow.spi.LogRow;

/**
 * The part of a fold a source computed itself (ClickHouse's pushdown strategy), applied to an
 * assembler as if it had folded those rows: a database sums what rows add to their phase (rows,
 * first and last time, turns, models, each call's cost once) and the assembler folds only the rows
 * it could not place exactly. Obtained from {@link ExecutionAssembler#partial()}.
 *
 * <pre>{@code
 * ExecutionAssembler fold = new ExecutionAssembler();
 * PartialFold part = fold.partial();
 * part.phaseSeen("draft");                      // at the place of draft's first aggregated row
 * fold.accept(phaseStartRow);                   // the rows the database streams, in order
 * part.phaseRows("draft", 5_000, 10.0, 95.5);   // what the aggregated rows add, at the end
 * part.phaseCost("draft", 12_000_000, 900, 150);
 * }</pre>
 *
 * <p>Only the order of first sight matters to the fold's output (phases are listed by it), so a
 * source calls {@link #phaseSeen} and {@link #traceSeen} where the rows they stand for lie among
 * the rows it streams, and may add every sum afterwards. The rows it aggregates must be ones the
 * fold reads no state for: calls, turns and conversation rows of no sounding or reforge step, each
 * placed by its phase name or through its parent, each trace's rows all aggregated or all folded.
 */
public final class PartialFold {
  private final ExecutionAssembler fold;
  private final AssemblyOptions options;

  PartialFold(ExecutionAssembler fold) {
    this.fold = fold;
    this.options = fold.options();
  }

  /** The first sight of {@code phase} (a row naming it), here in the row order. */
  public void phaseSeen(String phase) {
    fold.phaseTable().phase(phase, options, fold.warningsState());
  }

  /**
   * The first row of call {@code traceId}, here in the row order: named by {@code phase}, or (null)
   * placed through its parent in the phase running now, as the fold would place it.
   */
  public void traceSeen(String traceId, String phase) {
    PhaseTable phases = fold.phaseTable();
    int target = phase != null ? phases.phase(phase, options, fold.warningsState()) : fold.runningPhase();
    fold.calls().register(traceId, target, LogRow.NO_INT, LogRow.NO_INT, phase != null, phases, options);
  }

  /** {@code rows} rows placed in {@code phase}, from {@code firstTs} to {@code lastTs}. */
  public void phaseRows(String phase, long rows, double firstTs, double lastTs) {
    PhaseAccumulator acc = acc(phase);
    acc.rows += rows;
    acc.firstTs = Extremes.min(acc.firstTs, firstTs);
    acc.lastTs = Extremes.max(acc.lastTs, lastTs);
  }

  /** The highest turn count of the aggregated calls and turns of {@code phase}, and their turn limit. */
  public void phaseTurns(String phase, int turnCount, int maxTurns) {
    PhaseAccumulator acc = acc(phase);
    acc.turn(turnCount);
    acc.maxTurns(maxTurns);
  }

  /** A model the aggregated calls of {@code phase} used, first at {@code firstTs}. */
  public void phaseModel(String phase, String model, double firstTs) {
    acc(phase).model(model, firstTs);
  }

  /** Cost (whole pico-dollars) and tokens of the aggregated calls priced on {@code phase}, each call once. */
  public void phaseCost(String phase, long costPicos, long tokensIn, long tokensOut) {
    PhaseAccumulator acc = acc(phase);
    acc.addCost(costPicos, LogRow.NO_INT, LogRow.NO_INT, options.maxAttemptsPerPhase(), options.maxReforgeSteps());
    acc.addTokens(tokensIn, tokensOut);
  }

  /** {@code rows} aggregated rows of session {@code sessionId}, from {@code firstTs} to {@code lastTs}. */
  public void sessionRows(String sessionId, long rows, double firstTs, double lastTs) {
    fold.facts().absorbRows(sessionId, rows, firstTs, lastTs);
  }

  /** The earliest aggregated row naming cascade {@code cascadeId}. */
  public void cascadeSeen(String cascadeId, double ts) {
    fold.facts().cascadeSeen(cascadeId, ts);
  }

  private PhaseAccumulator acc(String phase) {
    PhaseTable phases = fold.phaseTable();
    return phases.acc(phases.phase(phase, options, fold.warningsState()));
  }

  // ---------------------------------------------------------------- what a source checks

  /** The phase running now (the latest phase start folded), or null before the first. */
  public String runningPhase() {
    int p = fold.runningPhase();
    return p >= 0 ? fold.phases().get(p).name : null;
  }

  /** Distinct phases so far. */
  public int phaseCount() {
    return fold.phases().size();
  }

  /** Phase visits folded so far. */
  public int visitCount() {
    return fold.visits().size();
  }

  /** Distinct models seen in {@code phase} so far (the fold keeps at most a bound of them). */
  public int modelCount(String phase) {
    for (PhaseAccumulator acc : fold.phases()) {
      if (acc.name.equals(phase)) {
        return FirstSeen.byFirstSeen(acc.models).size();
      }
    }
    return 0;
  }

  /** The most models a phase keeps: a source that would add more cannot aggregate them exactly. */
  public static int maxModelsPerPhase() {
    return PhaseAccumulator.MAX_MODELS;
  }

  /**
   * The phase a phase start or declaration row starts, as the fold reads it: its phase name, else
   * its content when that reads as a name; null when it names none.
   */
  public static String phaseStartedBy(LogRow row) {
    return DetailRows.startedPhaseName(row);
  }
}
