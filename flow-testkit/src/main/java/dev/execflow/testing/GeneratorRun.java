package dev.execflow.testing;

import dev.execflow.model.Status;
import dev.execflow.spi.LogRow;
import dev.execflow.spi.MutableLogRow;
import dev.execflow.spi.RowSink;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;

/** One generation of a {@link SessionGenerator}: the flyweight, the clock and the running totals. */
final class GeneratorRun {
  private static final int MAX_DISTINCT_PHASES = SessionGenerator.MAX_DISTINCT_PHASES;
  private static final String[] WORDS = SessionGenerator.WORDS;
  private static final String[] MODELS = SessionGenerator.MODELS;
  private static final String[] VALIDATORS = SessionGenerator.VALIDATORS;

  private final long seed;
  private final String sessionId;
  private final String cascadeId;
  private final double start;
  private final Status outcome;

  private final long target;
  private final RowSink sink;
  private final Random main;
  private final MutableLogRow row = new MutableLogRow();
  private final List<String> names = new ArrayList<>();
  private final int meanTurns;
  private final String root;
  private long millis;
  private long traces;
  private long emitted;
  private long llmCalls;
  private long costMicros;
  private int visits;
  private double first = Double.NaN;
  private double last = Double.NaN;
  /** A cost_update held back to arrive after the next phase started. */
  private String pendingTrace;
  private long pendingMicros;

  /** While counting, rows are counted and nothing is drawn from {@code main} or emitted. */
  private boolean emit;
  private long counted;
  private Random shapeRandom;

  GeneratorRun(SessionGenerator settings, long target, RowSink sink) {
    this.seed = settings.seed;
    this.sessionId = settings.sessionId;
    this.cascadeId = settings.cascadeId;
    this.start = settings.start;
    this.outcome = settings.outcome;
    this.main = new Random(seed);
    this.target = target;
    this.sink = sink;
    // larger sessions get longer visits, so that executedPath stays a readable length
    long rowsPerVisit = Math.max(8, Math.min(20_000, target / 200));
    this.meanTurns = (int) Math.max(1, rowsPerVisit / 5);
    this.root = sessionId + ":root";
  }

  SessionGenerator.Expected run() {
    emit = true;
    begin("cascade", "system", root, null, null);
    row.cascadeId(cascadeId).depth(0).contentJson(quote(cascadeId))
        .metadataJson("{\"input\": {\"seed\": " + seed + "}}");
    send();

    long endRows = outcome == Status.RUNNING ? 0 : 1;
    long remaining = target - 1 - endRows;
    String next = chooseName();
    while (true) {
      Visit visit = new Visit();
      visit.name = next;
      visit.declared = main.nextInt(5) != 0;
      int shape = main.nextInt(100);
      visit.shape = shape < 55 ? PLAIN : shape < 85 ? SOUNDINGS : REFORGE;
      visit.wards = main.nextInt(4) == 0;
      visit.seed = main.nextLong();
      next = chooseName();
      visit.next = next;
      long size = count(visit, false, 0);
      if (remaining - size >= SessionGenerator.MIN_ROWS - 2) {
        play(visit, false, 0);
        remaining -= size;
        continue;
      }
      // the last visit: it takes up what is left, padded with conversation rows
      long lastSize = count(visit, true, 0);
      if (lastSize > remaining) {
        visit.shape = PLAIN;
        visit.wards = false;
        visit.minimal = true;
        lastSize = count(visit, true, 0);
      }
      play(visit, true, remaining - lastSize);
      break;
    }

    if (outcome == Status.COMPLETED) {
      begin("cascade_completed", "system", trace(), root, null);
      row.cascadeId(cascadeId).contentJson(quote("completed"));
      send();
    } else if (outcome == Status.ERROR) {
      begin("cascade_failed", "system", trace(), root, null);
      row.cascadeId(cascadeId).contentJson(quote("Phase failed: generated error"));
      send();
    }
    if (emitted != target) {
      throw new IllegalStateException("generated " + emitted + " rows instead of " + target);
    }
    return new SessionGenerator.Expected(sessionId, emitted, llmCalls, costMicros, visits, names.size(), outcome,
        first, last);
  }

  private String chooseName() {
    int known = names.size();
    if (known > 0 && (known >= MAX_DISTINCT_PHASES || main.nextInt(100) < 12)) {
      return names.get(main.nextInt(known));
    }
    return WORDS[known % WORDS.length] + "_" + known;
  }

  private long count(Visit visit, boolean lastVisit, long padding) {
    emit = false;
    counted = 0;
    visit(visit, lastVisit, padding);
    emit = true;
    return counted;
  }

  private void play(Visit visit, boolean lastVisit, long padding) {
    if (!names.contains(visit.name)) {
      names.add(visit.name);
    }
    visits++;
    visit(visit, lastVisit, padding);
  }

  /** The rows of one visit; when counting, only {@link #counted} changes. */
  private void visit(Visit v, boolean lastVisit, long padding) {
    shapeRandom = new Random(v.seed);
    Random r = shapeRandom;
    String phase = v.name;
    String phaseTrace = v.declared ? trace() : null;
    if (v.declared) {
      begin("phase", "structure", phaseTrace, root, phase);
      if (emit) {
        row.contentJson(quote("Phase: " + phase)).metadataJson("{\"phase_name\": \"" + phase
            + "\", \"handoffs\": [" + (lastVisit ? "" : "\"" + v.next + "\"") + "], \"has_soundings\": "
            + (v.shape != PLAIN) + ", \"has_wards\": " + v.wards + "}");
      }
      send();
      begin("phase", "phase_start", trace(), phaseTrace, phase);
      if (emit) {
        row.contentJson(quote(phase));
      }
      send();
    } else {
      // a phase start without phase_name: the name is its content
      phaseTrace = trace();
      begin("phase", "phase_start", phaseTrace, root, null);
      if (emit) {
        row.contentJson(quote(phase));
      }
      send();
    }
    if (emit && pendingTrace != null) {
      begin("cost_update", "system", pendingTrace, null, null);
      row.cost(pendingMicros / 1e6).tokensIn(100 + pendingMicros / 10);
      pendingTrace = null;
      send();
    }
    if (v.wards) {
      wards(r, "pre_ward", phase, phaseTrace);
    }
    int turns = v.minimal ? 1 : 1 + r.nextInt(2 * meanTurns - 1);
    if (v.shape == PLAIN) {
      for (int t = 0; t < turns; t++) {
        if (turns > 1) {
          begin("turn", "structure", trace(), phaseTrace, phase);
          if (emit) {
            row.contentJson(quote("Turn " + (t + 1))).metadataJson("{\"turn_number\": " + (t + 1)
                + ", \"max_turns\": " + turns + "}");
          }
          send();
        }
        call(v.minimal ? null : r, phase, phaseTrace, turns > 1 ? t : LogRow.NO_INT, LogRow.NO_INT,
            LogRow.NO_INT, t == turns - 1 && !lastVisit, !v.minimal);
      }
    } else {
      soundings(r, v, phase, phaseTrace, turns);
    }
    if (v.wards) {
      wards(r, "post_ward", phase, phaseTrace);
    }
    for (long p = 0; p < padding; p++) {
      begin("message", "tool", trace(), phaseTrace, null);
      if (emit) {
        row.contentJson(quote("progress " + p));
      }
      send();
    }
    if (!lastVisit || outcome == Status.COMPLETED) {
      begin("phase", "phase_complete", trace(), phaseTrace, phase);
      if (emit) {
        row.contentJson(quote("done"));
      }
      send();
    } else if (outcome == Status.ERROR) {
      begin("phase_error", "error", trace(), phaseTrace, phase);
      if (emit) {
        row.contentJson(quote("generated error"));
      }
      send();
    }
  }

  private void soundings(Random r, Visit v, String phase, String phaseTrace, int turns) {
    int factor = 2 + r.nextInt(3);
    int perSounding = Math.max(1, turns / factor);
    for (int s = 0; s < factor; s++) {
      for (int t = 0; t < perSounding; t++) {
        call(r, phase, phaseTrace, perSounding > 1 ? t : LogRow.NO_INT, s, LogRow.NO_INT, false, true);
      }
    }
    for (int s = 0; s < factor; s++) {
      begin("sounding_attempt", "sounding_attempt", trace(), phaseTrace, phase);
      row.soundingIndex(s);
      if (emit) {
        row.contentJson(quote("Sounding " + s + " of " + phase + ": a candidate answer"));
      }
      send();
    }
    String evaluatorCall = call(r, phase, phaseTrace, LogRow.NO_INT, LogRow.NO_INT, LogRow.NO_INT, false, false);
    int winner = r.nextInt(factor);
    begin("evaluator", "evaluator", trace(), evaluatorCall, phase);
    if (emit) {
      row.contentJson(quote("Sounding " + winner + " is best")).metadataJson("{\"winner_index\": " + winner + "}");
    }
    send();
    if (v.shape != REFORGE) {
      return;
    }
    String reforge = trace();
    int steps = 1 + r.nextInt(2);
    int perStep = 2 + r.nextInt(2);
    begin("reforge_start", "system", reforge, phaseTrace, phase);
    if (emit) {
      row.metadataJson("{\"steps\": " + steps + ", \"factor_per_step\": " + perStep + "}");
    }
    send();
    for (int step = 1; step <= steps; step++) {
      String stepTrace = trace();
      begin("reforge_step", "system", stepTrace, reforge, phase);
      row.reforgeStep(step);
      send();
      int stepWinner = r.nextInt(perStep);
      for (int a = 0; a < perStep; a++) {
        call(r, phase, stepTrace, LogRow.NO_INT, a, step, false, false);
        begin("reforge_attempt", "system", trace(), stepTrace, phase);
        row.reforgeStep(step).soundingIndex(a).isWinner(a == stepWinner);
        if (emit) {
          row.contentJson(quote("Refinement " + step + "." + a));
        }
        send();
      }
      begin("reforge_winner", "system", trace(), stepTrace, phase);
      row.reforgeStep(step);
      if (emit) {
        row.metadataJson("{\"winner_index\": " + stepWinner + "}");
      }
      send();
    }
  }

  private void wards(Random r, String kind, String phase, String phaseTrace) {
    int n = 1 + r.nextInt(2);
    for (int i = 0; i < n; i++) {
      begin(kind, "ward", trace(), phaseTrace, phase);
      if (emit) {
        boolean valid = main.nextInt(5) != 0;
        String validator = VALIDATORS[(i + (kind.startsWith("pre") ? 0 : 2)) % VALIDATORS.length];
        row.metadataJson("{\"validator\": \"" + validator + "\", \"mode\": \"advisory\", \"valid\": " + valid
            + ", \"reason\": \"" + (valid ? "passed" : "check failed") + "\"}");
      }
      send();
    }
  }

  /**
   * One LLM call with its tool calls and, by the shape drawn, a late {@code cost_update} (held
   * back past the next phase start when {@code deferrable}) or a second row copying its cost.
   *
   * @return the call's trace id (null while counting)
   */
  private String call(Random r, String phase, String parent, int turn, int sounding, int step,
      boolean deferrable, boolean tools) {
    int toolCalls = tools ? r.nextInt(3) : 0;
    // 0..14: priced on its row, 15..17: by a cost_update row, 18..19: cost copied onto a second row
    int priced = r == null ? 0 : r.nextInt(20);
    String call = trace();
    long micros = emit ? 50 + main.nextInt(2000) : 0;
    begin("agent", "assistant", call, parent, phase);
    row.turnNumber(turn).soundingIndex(sounding).reforgeStep(step);
    if (emit) {
      row.model(MODELS[(int) (traces % MODELS.length)]).tokensIn(100 + micros / 10).tokensOut(20 + micros / 40)
          .contentJson(quote("answer " + traces));
      if (priced < 15 || priced >= 18) {
        row.cost(micros / 1e6);
      }
      llmCalls++;
      costMicros += micros;
    }
    send();
    String previous = call;
    for (int i = 0; i < toolCalls; i++) {
      String toolCall = trace();
      begin("tool_call", "tool", toolCall, previous, null);
      if (emit) {
        row.contentJson("{\"tool\": \"search\", \"arguments\": {\"q\": \"item " + i + "\"}}");
      }
      send();
      begin("tool_result", "tool", trace(), toolCall, null);
      if (emit) {
        row.contentJson(quote("result " + i));
      }
      send();
      previous = toolCall;
    }
    if (priced >= 15 && priced < 18) {
      if (deferrable && emit) {
        // held back: arrives after the next phase started (counted in this visit's size)
        pendingTrace = call;
        pendingMicros = micros;
      } else {
        begin("cost_update", "system", call, null, null);
        if (emit) {
          row.cost(micros / 1e6).tokensIn(100 + micros / 10);
        }
        send();
      }
    } else if (priced >= 18) {
      // the same call logged again in a second shape, its cost copied
      begin("follow_up", "assistant", call, parent, null);
      if (emit) {
        row.cost(micros / 1e6).contentJson(quote("answer " + traces));
      }
      send();
    }
    return emit ? call : null;
  }

  private String trace() {
    return emit ? sessionId + ":" + (++traces) : null;
  }

  private void begin(String nodeType, String role, String trace, String parent, String phase) {
    if (!emit) {
      return;
    }
    millis += 1 + main.nextInt(400);
    row.clear()
        .timestamp(start + millis / 1000.0)
        .sessionId(sessionId)
        .traceId(trace)
        .parentId(parent)
        .nodeType(nodeType)
        .role(role)
        .phaseName(phase);
  }

  private void send() {
    if (!emit) {
      counted++;
      return;
    }
    double ts = row.timestamp();
    if (Double.isNaN(first)) {
      first = ts;
    }
    last = ts;
    emitted++;
    sink.accept(row);
  }

  /** The shape of one phase visit; its rows are drawn from its own seed, so it can be counted first. */
  private static final class Visit {
    String name;
    String next;
    boolean declared;
    int shape;
    boolean wards;
    /** One turn, one call priced on its row, no tools: the smallest visit (4 rows). */
    boolean minimal;
    long seed;
  }

  private static final int PLAIN = 0;
  private static final int SOUNDINGS = 1;
  private static final int REFORGE = 2;

  private static String quote(String text) {
    return "\"" + text.replace("\\", "\\\\").replace("\"", "\\\"") + "\"";
  }
}
