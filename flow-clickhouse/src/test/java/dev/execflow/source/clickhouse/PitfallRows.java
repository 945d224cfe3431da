package dev.execflow.source.clickhouse;

import dev.execflow.spi.LogRow;
import dev.execflow.spi.MutableLogRow;
import dev.execflow.testing.SessionGenerator;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;

/**
 * A generated session ({@link SessionGenerator}: parent chains, late cost updates, a cost copied on
 * a second row, revisits, phase starts named only by their content) with the pitfalls of
 * DESIGN.md the generator leaves out, drawn from a seed: rows logged twice, runs of rows at one
 * timestamp, phase names of white space, models on phase-less calls, rows without a trace. The
 * pitfalls pushdown must hand to the streamed fold (a row whose parent never appears, a cost update
 * for a call never seen) are separate switches.
 *
 * <pre>{@code
 * List<LogRow> rows = PitfallRows.of(new SessionGenerator(7).withSessionId("s"), 10_000).seed(3).rows();
 * }</pre>
 */
final class PitfallRows {
  private final SessionGenerator generator;
  private final long size;
  private long seed = 1;
  private int duplicatesPerMille = 8;
  private int tiesPerMille = 15;
  private boolean orphans;
  private boolean unmatchedCostUpdates;

  private PitfallRows(SessionGenerator generator, long size) {
    this.generator = generator;
    this.size = size;
  }

  static PitfallRows of(SessionGenerator generator, long size) {
    return new PitfallRows(generator, size);
  }

  PitfallRows seed(long s) {
    this.seed = s;
    return this;
  }

  /** Without the injected pitfalls: the generator's own session. */
  PitfallRows plain() {
    duplicatesPerMille = 0;
    tiesPerMille = 0;
    return this;
  }

  /** Also rows whose parent never appears (the fold places them in the running phase, with a warning). */
  PitfallRows withOrphans() {
    orphans = true;
    return this;
  }

  /** Also cost updates for calls that never appear (priced on the running phase, with a warning). */
  PitfallRows withUnmatchedCostUpdates() {
    unmatchedCostUpdates = true;
    return this;
  }

  /** The rows, in time order (rows at one timestamp in any order: sources sort them canonically). */
  List<LogRow> rows() {
    Random r = new Random(seed);
    List<LogRow> out = new ArrayList<>();
    double[] last = {Double.NaN};
    String[] lastTrace = {null};
    generator.generate(size, row -> {
      MutableLogRow copy = new MutableLogRow().copyFrom(row);
      int draw = r.nextInt(1000);
      if (draw < tiesPerMille && !Double.isNaN(last[0])
          && (row.parentId() == null || !row.parentId().equals(lastTrace[0]))) {
        copy.timestamp(last[0]); // a run of rows at one time (never a row and the parent just before it)
      }
      if ("follow_up".equals(row.nodeType()) && r.nextInt(4) == 0) {
        copy.model("gpt-4o-mini");
      }
      if ("tool_result".equals(row.nodeType()) && r.nextInt(50) == 0) {
        copy.traceId(null);
      }
      if ("turn".equals(row.nodeType()) && r.nextInt(40) == 0) {
        copy.phaseName("   ");
      }
      out.add(copy);
      last[0] = copy.timestamp();
      lastTrace[0] = copy.traceId();
      if (draw >= 1000 - duplicatesPerMille) {
        out.add(copy.copy()); // logged twice
      }
      if (orphans && draw == 500) {
        out.add(copy.copy().traceId(copy.traceId() + ":orphan").parentId("never-logged-" + out.size())
            .nodeType("tool_call").role("tool").phaseName(null).cost(Double.NaN).tokensIn(LogRow.NO_LONG)
            .tokensOut(LogRow.NO_LONG).model(null).timestamp(copy.timestamp() + 0.0001));
      }
      if (unmatchedCostUpdates && draw == 501) {
        out.add(new MutableLogRow().timestamp(copy.timestamp() + 0.0001).sessionId(copy.sessionId())
            .traceId("never-called-" + out.size()).nodeType("cost_update").role("system").cost(0.0007).tokensIn(70));
      }
    });
    return out;
  }
}
