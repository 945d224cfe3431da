package dev.execflow.jmh;

import dev.execflow.spi.LogRow;
import dev.execflow.spi.MutableLogRow;
import dev.execflow.spi.RowSink;

/**
 * A session as wide as the live view ever has to draw: {@code phases} distinct phases, each with
 * two pre and two post wards, {@code soundings} sounding attempts (each an LLM call plus its
 * attempt row with a preview longer than the cut) and an evaluator, and two reforge steps of three
 * attempts each. The {@link dev.execflow.testing.SessionGenerator}'s sessions stop at 40 distinct phases; this one is
 * for the cost of {@code snapshot()} and JSON writing, which grows with phases and attempts.
 *
 * <pre>{@code
 * ExecutionAssembler assembler = new ExecutionAssembler();
 * long rows = WideSession.write(1000, 8, assembler);
 * ExecutionData data = assembler.snapshot();   // 1000 phases, 14 attempts each
 * }</pre>
 *
 * @see dev.execflow.testing.SessionGenerator
 */
public final class WideSession {
  /** Reforge steps per phase. */
  public static final int STEPS = 2;
  /** Attempts per reforge step. */
  public static final int STEP_ATTEMPTS = 3;

  private final MutableLogRow row = new MutableLogRow();
  private final RowSink sink;
  private long millis;
  private long traces;
  private long rows;

  private WideSession(RowSink sink) {
    this.sink = sink;
  }

  /** Streams the session into {@code sink}; returns the number of rows. */
  public static long write(int phases, int soundings, RowSink sink) {
    return new WideSession(sink).run(phases, soundings);
  }

  private long run(int phases, int soundings) {
    String root = begin("cascade", "system", null, null);
    row.cascadeId("wide_cascade").contentJson("\"wide_cascade\"");
    send();
    for (int p = 0; p < phases; p++) {
      String phase = name(p);
      String declared = begin("phase", "structure", root, phase);
      row.metadataJson("{\"handoffs\": [" + (p + 1 < phases ? "\"" + name(p + 1) + "\"" : "")
          + "], \"has_soundings\": true, \"has_wards\": true}");
      send();
      begin("phase", "phase_start", declared, phase);
      row.contentJson("\"" + phase + "\"");
      send();
      wards("pre_ward", declared, phase);
      for (int s = 0; s < soundings; s++) {
        call(declared, phase, s, LogRow.NO_INT);
      }
      for (int s = 0; s < soundings; s++) {
        begin("sounding_attempt", "sounding_attempt", declared, phase);
        row.soundingIndex(s).contentJson("\"Sounding " + s + " of " + phase
            + ": a candidate answer long enough to be cut for its preview\"");
        send();
      }
      String evaluator = call(declared, phase, LogRow.NO_INT, LogRow.NO_INT);
      begin("evaluator", "evaluator", evaluator, phase);
      row.metadataJson("{\"winner_index\": " + (p % soundings) + "}");
      send();
      String reforge = begin("reforge_start", "system", declared, phase);
      send();
      for (int step = 1; step <= STEPS; step++) {
        String stepTrace = begin("reforge_step", "system", reforge, phase);
        row.reforgeStep(step);
        send();
        for (int a = 0; a < STEP_ATTEMPTS; a++) {
          call(stepTrace, phase, a, step);
          begin("reforge_attempt", "system", stepTrace, phase);
          row.reforgeStep(step).soundingIndex(a).isWinner(a == (p + step) % STEP_ATTEMPTS)
              .contentJson("\"Refinement " + step + "." + a + "\"");
          send();
        }
      }
      wards("post_ward", declared, phase);
      begin("phase", "phase_complete", declared, phase);
      send();
    }
    begin("cascade_completed", "system", root, null);
    row.cascadeId("wide_cascade");
    send();
    return rows;
  }

  private static String name(int p) {
    return "phase_" + p;
  }

  private String call(String parent, String phase, int sounding, int step) {
    String trace = begin("agent", "assistant", parent, phase);
    long micros = 100 + traces % 900;
    row.soundingIndex(sounding).reforgeStep(step).turnNumber(0).model("gpt-4o-mini")
        .cost(micros / 1e6).tokensIn(200 + micros).tokensOut(50 + micros / 4).contentJson("\"answer\"");
    send();
    return trace;
  }

  private void wards(String kind, String parent, String phase) {
    for (int i = 0; i < 2; i++) {
      begin(kind, "ward", parent, phase);
      row.metadataJson("{\"validator\": \"" + kind + "_check_" + i + "\", \"mode\": \"advisory\", \"valid\": "
          + (i == 0) + ", \"reason\": \"" + (i == 0 ? "passed" : "too short") + "\"}");
      send();
    }
  }

  private String begin(String nodeType, String role, String parent, String phase) {
    millis += 7;
    String trace = "wide:" + (++traces);
    row.clear().timestamp(1_736_071_200.0 + millis / 1000.0).sessionId("wide-1").traceId(trace)
        .parentId(parent).nodeType(nodeType).role(role).phaseName(phase);
    return trace;
  }

  private void send() {
    rows++;
    sink.accept(row);
  }
}
