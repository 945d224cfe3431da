package dev.execflow.examples.server;

import dev.execflow.source.jsonl.JsonlWriter;
import dev.execflow.spi.LogRow;
import dev.execflow.spi.LogSource;
import dev.execflow.spi.MutableLogRow;
import dev.execflow.spi.SessionQuery;
import dev.execflow.testing.Samples;
import java.io.IOException;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/**
 * The sessions the phase-rows tests read: every bundled sample, the further runs of the loop
 * sample, and {@code long-answers}, whose one phase {@code answer} says more than a page shows:
 *
 * <pre>
 * 100.0  cascade start (long_answers)
 * 101.0  answer: structure and phase_start
 * 102.0  assistant: a JSON string of 70,000 characters        (cut to 65,536; its length known)
 * 103.0  tool_call, no phase_name, parent the call: an object  (300 characters, whole)
 * 104.0  assistant: a JSON string of 200,000 characters       (cut; longer than the read bound)
 * 105.0  assistant: "Done."
 * 106.0  phase_complete, 107.0 cascade_completed
 * </pre>
 */
final class PhaseRowsFixture {
  static final String LONG = "long-answers";
  static final String TEXT_70K = "tide ".repeat(14_000);
  static final String TEXT_200K = "moon ".repeat(40_000);
  static final String TOOL_CALL = "{\"tool\": \"search\", \"arguments\": {\"q\": \"" + "x".repeat(258) + "\"}}";

  private PhaseRowsFixture() {}

  static List<LogRow> rows() {
    List<LogRow> rows = new ArrayList<>();
    try (LogSource samples = Samples.sourceWithOtherRuns()) {
      List<Samples.Sample> all = new ArrayList<>(Samples.all());
      all.addAll(Samples.otherRuns("loop"));
      for (Samples.Sample s : all) {
        samples.read(SessionQuery.of(s.sessionId()), row -> rows.add(new MutableLogRow().copyFrom(row)));
      }
    }
    rows.add(row(100, "la-root", null, "cascade", "system").cascadeId("long_answers").contentJson("\"long_answers\""));
    rows.add(row(101, "la-answer", "la-root", "phase", "structure").phaseName("answer").contentJson("\"Phase: answer\""));
    rows.add(row(101, "la-answer-start", "la-answer", "phase", "phase_start").phaseName("answer")
        .contentJson("\"answer\""));
    rows.add(row(102, "la-a1", "la-answer", "agent", "assistant").phaseName("answer").model("gpt-4o")
        .cost(0.002).tokensIn(900).tokensOut(17_500).contentJson(quoted(TEXT_70K)));
    rows.add(row(103, "la-tc1", "la-a1", "tool_call", "tool").contentJson(TOOL_CALL));
    rows.add(row(104, "la-a2", "la-answer", "agent", "assistant").phaseName("answer").model("gpt-4o")
        .cost(0.004).contentJson(quoted(TEXT_200K)));
    rows.add(row(105, "la-a3", "la-answer", "agent", "assistant").phaseName("answer").model("gpt-4o")
        .cost(0.0001).contentJson("\"Done.\""));
    rows.add(row(106, "la-done", "la-answer", "phase", "phase_complete").phaseName("answer").contentJson("\"Done.\""));
    rows.add(row(107, "la-end", "la-root", "cascade_completed", "system").cascadeId("long_answers")
        .contentJson("\"completed\""));
    return rows;
  }

  /** The rows as one JSONL file in {@code dir}, as a ClickHouse {@code JSONEachRow} export writes them. */
  static Path jsonl(Path dir, List<LogRow> rows) {
    Path file = dir.resolve("unified_logs.jsonl");
    try (OutputStream out = Files.newOutputStream(file); JsonlWriter writer = new JsonlWriter(out)) {
      rows.forEach(writer::accept);
      writer.finish();
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
    return file;
  }

  private static MutableLogRow row(double ts, String trace, String parent, String nodeType, String role) {
    return new MutableLogRow().timestamp(1736000000 + ts).sessionId(LONG).traceId(trace).parentId(parent)
        .nodeType(nodeType).role(role);
  }

  private static String quoted(String text) {
    return "\"" + text + "\"";
  }
}
