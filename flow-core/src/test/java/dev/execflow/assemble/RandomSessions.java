package dev.execflow.assemble;

import dev.execflow.spi.LogRow;
import dev.execflow.spi.MutableLogRow;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;

/**
 * Arbitrary, often nonsensical sessions for property tests: rows drawn from the whole vocabulary
 * (and outside it) with colliding trace ids, missing phase names, broken metadata, duplicates and
 * runs of equal timestamps. Built from one seed per row so that QuickTheories can shrink by rows.
 */
final class RandomSessions {
  private static final String[][] KINDS = {
      {"cascade", "system"}, {"phase", "phase_start"}, {"cell", "cell_start"}, {"phase", "structure"},
      {"phase", "phase_complete"}, {"cell_complete", "cell_complete"}, {"cell_error", "cell_error"},
      {"turn", "structure"}, {"agent", "assistant"}, {"agent", "assistant"}, {"agent", "assistant"},
      {"follow_up", "assistant"}, {"tool_call", "tool_call"}, {"tool_result", "tool"}, {"user", "user"},
      {"cost_update", "system"}, {"cost_update", "system"}, {"link", "sub_cascade_start"},
      {"sounding_attempt", "sounding_attempt"}, {"candidate_attempt", "candidate_attempt"},
      {"sounding_error", "sounding_error"}, {"evaluator", "assistant"}, {"soundings_result", "system"},
      {"reforge_start", "system"}, {"reforge_step", "system"}, {"reforge_attempt", "assistant"},
      {"reforge_evaluation", "assistant"}, {"reforge_winner", "system"}, {"reforge_threshold_met", "system"},
      {"pre_ward", "ward"}, {"post_ward", "ward"}, {"turn_ward", "ward"}, {"ward_block", "pre_ward_blocked"},
      {"ward_block", "post_ward_blocked"}, {"ward_block", "ward_block"}, {"error", "error"},
      {"cascade_completed", "system"}, {"cascade_failed", "system"}, {"cascade_error", "error"},
      {"mystery", "wizard"}, {null, null}, {"agent", null},
  };
  private static final String[] PHASES = {"plan", "draft", "review", "publish"};
  private static final String[] METADATA = {
      null, "{}", "{\"winner_index\": 1}", "{\"winner_index\": \"2\"}", "{\"turn_number\": 2, \"max_turns\": 4}",
      "{\"validator\": \"length\", \"mode\": \"blocking\", \"valid\": false, \"reason\": \"too long\"}",
      "{\"validator\": \"tone\", \"valid\": true, \"reason\": \"ok\"}", "{\"valid\": 1}",
      "{\"handoffs\": [\"review\", {\"target\": \"publish\"}]}", "{\"step\": 1, \"winner_index\": 0}",
      "{\"sub_session_id\": \"child\"}", "{broken", "[1,2", "\"just a string\"", "{\"winner_index\": -3}",
  };
  private static final String[] CONTENT = {null, "\"draft\"", "\"review\"", "\"some output text\"",
      "{\"content\": \"hello\"}", "not json", "\"\"", "{\"error\": \"boom\"}"};

  private RandomSessions() {}

  private static boolean isComplete(String[] kind) {
    return "phase_complete".equals(kind[1]) || "cell_complete".equals(kind[1]);
  }

  /** A parent id: a named trace (t1, t2, t4, ...) or one that never appears (t12, t13). */
  private static String parent(int n) {
    int k = Math.floorMod(n, 10);
    return k >= 8 ? "t" + (12 + k - 8) : "t" + new int[] {1, 2, 4, 5, 7, 8, 10, 11}[k];
  }

  /** One row per seed, at non-decreasing timestamps starting at 1000 s. */
  static List<MutableLogRow> rows(List<Long> seeds, boolean allowMissingTimestamps) {
    return rows(seeds, allowMissingTimestamps, false);
  }

  /**
   * With {@code distinctTimes}, every row has a time of its own except exact duplicates of the
   * row before (written twice by the logger): two different events at one instant have no order
   * but arrival, which a fold split into parts cannot always recover.
   */
  static List<MutableLogRow> rows(List<Long> seeds, boolean allowMissingTimestamps, boolean distinctTimes) {
    List<MutableLogRow> rows = new ArrayList<>(seeds.size());
    double ts = 1000;
    for (long seed : seeds) {
      Random rnd = new Random(seed);
      if (distinctTimes && !rows.isEmpty() && rnd.nextInt(8) == 0) {
        rows.add(rows.get(rows.size() - 1).copy());
        continue;
      }
      if (distinctTimes) {
        ts += 0.25 + rnd.nextInt(4) * 0.25;
      } else if (rnd.nextInt(3) != 0) {
        ts += rnd.nextInt(4) * 0.25;
      }
      String[] kind = KINDS[rnd.nextInt(KINDS.length)];
      MutableLogRow row = new MutableLogRow().sessionId("s").nodeType(kind[0]).role(kind[1]);
      row.timestamp(allowMissingTimestamps && rnd.nextInt(25) == 0 ? Double.NaN : ts);
      // A trace is one call: its rows all name the same phase or all name none, and share a parent.
      // Parents are named traces or never-seen ids: unnamed calls are leaves, as tool calls are.
      // Session rows have traces of their own.
      int trace = rnd.nextInt(12);
      boolean sessionRow = kind[0] != null && kind[0].startsWith("cascade");
      if (sessionRow) {
        row.traceId("s" + rnd.nextInt(3));
      } else if ("cost_update".equals(kind[0])) {
        row.traceId(parent(rnd.nextInt(100))); // it prices an LLM call: a named trace
      } else if (rnd.nextInt(5) != 0) {
        row.traceId("t" + trace);
        if (trace % 3 != 0) {
          row.phaseName(PHASES[trace % PHASES.length]);
        }
        if (trace % 4 != 0 || trace % 3 == 0) {
          row.parentId(parent(trace * 7 + 3)); // an unnamed call is placed by its parent
        }
      } else {
        if (rnd.nextInt(4) != 0) {
          row.phaseName(PHASES[rnd.nextInt(PHASES.length)]);
        }
        if (rnd.nextInt(2) == 0) {
          row.parentId(rnd.nextInt(5) == 0 ? "s" + rnd.nextInt(3) : parent(rnd.nextInt(100)));
        }
      }
      if (rnd.nextInt(15) == 0) {
        row.messageId("m" + rnd.nextInt(6));
      }
      if (row.traceId() != null && row.traceId().startsWith("t")) {
        // One call, one sounding or reforge step: a trace's rows share them.
        int t = Integer.parseInt(row.traceId().substring(1));
        if (t % 2 == 0) {
          row.soundingIndex(t % 4 == 0 ? t / 4 : Integer.MAX_VALUE - t);
        }
        if (t % 5 == 1) {
          row.reforgeStep(t % 3);
        }
      } else if (rnd.nextInt(3) == 0) {
        row.soundingIndex(rnd.nextInt(10) == 0 ? Integer.MAX_VALUE - rnd.nextInt(3) : rnd.nextInt(4) - (rnd.nextInt(20) == 0 ? 5 : 0));
      }
      if (row.traceId() == null && rnd.nextInt(6) == 0) {
        row.reforgeStep(rnd.nextInt(3));
      }
      if (rnd.nextInt(8) == 0) {
        row.winningSoundingIndex(rnd.nextInt(4));
      }
      if (rnd.nextInt(5) == 0) {
        row.isWinner(rnd.nextBoolean());
      }
      if (rnd.nextInt(3) == 0) {
        row.turnNumber(rnd.nextInt(4));
      }
      if (rnd.nextInt(2) == 0) {
        row.cost(rnd.nextInt(5) * 0.001 + rnd.nextInt(3) * 0.1);
      }
      if (rnd.nextInt(3) == 0) {
        row.tokensIn(rnd.nextInt(500)).tokensOut(rnd.nextInt(100));
      }
      if (rnd.nextInt(4) == 0) {
        row.model(rnd.nextBoolean() ? "gpt-x" : "claude-y");
      }
      if (rnd.nextInt(10) == 0) {
        row.cascadeId("cascade-" + rnd.nextInt(2));
      }
      if (isComplete(kind) && row.phaseName() == null && (distinctTimes || rnd.nextInt(4) != 0)) {
        row.phaseName(PHASES[rnd.nextInt(PHASES.length)]); // completes name their phase (DESIGN.md)
      }
      row.metadataJson(METADATA[rnd.nextInt(METADATA.length)]);
      row.contentJson(CONTENT[rnd.nextInt(CONTENT.length)]);
      rows.add(row);
    }
    return rows;
  }

  static ExecutionAssembler fold(List<? extends LogRow> rows) {
    ExecutionAssembler assembler = new ExecutionAssembler();
    rows.forEach(assembler::accept);
    return assembler;
  }
}
