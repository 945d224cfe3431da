package dev.execflow.testing;

import dev.execflow.model.Status;
import dev.execflow.source.jsonl.JsonlWriter;
import dev.execflow.spi.ColumnMapping;
import dev.execflow.spi.LogRow;
import dev.execflow.spi.MutableLogRow;
import dev.execflow.spi.RowSink;
import java.io.OutputStream;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;

/**
 * Generates a realistic session of exactly N rows, deterministically from a seed, streamed through
 * one reused {@link MutableLogRow} so that even 10M rows take no memory; for tests and benchmarks.
 *
 * <p>The session has many phase visits (some phases run again: loops), turns with 0-based {@code
 * turn_number} and 1-based {@code turn} rows, tool calls and results without {@code phase_name}
 * that descend via {@code parent_id}, soundings with an evaluator, reforge steps, pre/post wards,
 * LLM calls priced on their row, by a later {@code cost_update} row (sometimes arriving after the
 * next phase started) or on two rows of the same call (counted once), and phase starts without
 * {@code phase_name}. Costs are whole micro-dollars so the {@link Expected} totals are exact.
 *
 * <pre>{@code
 * SessionGenerator generator = new SessionGenerator(42).withSessionId("big-1");
 * ExecutionAssembler assembler = new ExecutionAssembler();
 * SessionGenerator.Expected expected = generator.generate(1_000_000, assembler);
 * assert assembler.snapshot().summary().phaseCount() == expected.distinctPhases();
 * }</pre>
 */
public final class SessionGenerator {
  /** 2025-01-05 10:00:00 UTC, the default start. */
  public static final double DEFAULT_START = 1736071200.0;

  /** The fewest rows a session can have: start, one phase (4 rows), end. */
  public static final int MIN_ROWS = 6;

  static final int MAX_DISTINCT_PHASES = 40;
  static final String[] WORDS = {"research", "outline", "draft", "review", "analyze", "extract",
      "transform", "classify", "summarize", "verify", "plan", "publish"};
  static final String[] MODELS = {"gpt-4o-mini", "gpt-4o", "claude-3-5-haiku"};
  static final String[] VALIDATORS = {"input_not_empty", "length_ok", "no_pii", "valid_json"};

  final long seed;
  final String sessionId;
  final String cascadeId;
  final double start;
  final Status outcome;

  /**
   * Totals of a generated session, computed while generating, to check a fold against.
   *
   * @param sessionId the session's id
   * @param rows rows generated
   * @param llmCalls distinct LLM calls (assistant rows' trace ids; a call logged twice counts once)
   * @param costMicros the session's cost in micro-dollars, each call counted once
   * @param phaseVisits entries of {@code executedPath}
   * @param distinctPhases distinct phase names ({@code summary.phaseCount})
   * @param status completed, error or running
   * @param firstTimestamp epoch seconds of the first row
   * @param lastTimestamp epoch seconds of the last row (the terminal row unless running)
   */
  public record Expected(String sessionId, long rows, long llmCalls, long costMicros, int phaseVisits,
      int distinctPhases, Status status, double firstTimestamp, double lastTimestamp) {
    /** Dollars. */
    public double totalCost() {
      return costMicros / 1_000_000.0;
    }

    /** Seconds from the first to the last row ({@code summary.totalDuration}). */
    public double totalDuration() {
      return lastTimestamp - firstTimestamp;
    }
  }

  /** A generator of sessions called {@code gen-<seed>} that complete. */
  public SessionGenerator(long seed) {
    this(seed, "gen-" + seed, "generated_cascade", DEFAULT_START, Status.COMPLETED);
  }

  private SessionGenerator(long seed, String sessionId, String cascadeId, double start, Status outcome) {
    this.seed = seed;
    this.sessionId = Objects.requireNonNull(sessionId, "sessionId");
    this.cascadeId = Objects.requireNonNull(cascadeId, "cascadeId");
    this.start = start;
    this.outcome = Objects.requireNonNull(outcome, "outcome");
  }

  /** A copy whose rows carry {@code id} (so several sessions can share one file). */
  public SessionGenerator withSessionId(String id) {
    return new SessionGenerator(seed, id, cascadeId, start, outcome);
  }

  public SessionGenerator withCascadeId(String id) {
    return new SessionGenerator(seed, sessionId, id, start, outcome);
  }

  /** A copy whose first row is at {@code epochSeconds}. */
  public SessionGenerator withStart(double epochSeconds) {
    return new SessionGenerator(seed, sessionId, cascadeId, epochSeconds, outcome);
  }

  /**
   * A copy whose session ends {@link Status#COMPLETED} (the default), {@link Status#ERROR} (the
   * last phase logs a {@code phase_error}, then {@code cascade_failed}) or is still {@link
   * Status#RUNNING} (no terminal row, the last phase open).
   */
  public SessionGenerator withOutcome(Status status) {
    if (status == Status.PENDING) {
      throw new IllegalArgumentException("a session cannot end pending");
    }
    return new SessionGenerator(seed, sessionId, cascadeId, start, status);
  }

  /**
   * Streams exactly {@code rows} rows, in timestamp order, into {@code sink} as one reused
   * flyweight.
   *
   * @throws IllegalArgumentException when {@code rows} is below {@link #MIN_ROWS}
   */
  public Expected generate(long rows, RowSink sink) {
    if (rows < MIN_ROWS) {
      throw new IllegalArgumentException("a generated session has at least " + MIN_ROWS + " rows, asked for " + rows);
    }
    return new GeneratorRun(this, rows, sink).run();
  }

  /** The totals of the session of {@code rows} rows, without keeping any row. */
  public Expected expected(long rows) {
    return generate(rows, row -> {});
  }

  /** The session's rows as independent copies, e.g. for benchmark setup. */
  public List<LogRow> materialize(int rows) {
    List<LogRow> copies = new ArrayList<>(rows);
    generate(rows, row -> copies.add(new MutableLogRow().copyFrom(row)));
    return copies;
  }

  /**
   * Writes the session as JSON Lines (ClickHouse's JSONEachRow shape, 64-bit integers quoted),
   * leaving {@code out} open so that further sessions can follow in the same file.
   */
  public Expected writeJsonl(OutputStream out, long rows) {
    JsonlWriter writer = new JsonlWriter(out, ColumnMapping.WINDLASS, true);
    Expected expected = generate(rows, writer);
    writer.finish();
    return expected;
  }
}
