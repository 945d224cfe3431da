package dev.execflow.assemble;

import dev.execflow.model.ExecutionData;
import dev.execflow.spi.LogRow;
import dev.execflow.spi.LogSource;
import dev.execflow.spi.RowSink;
import dev.execflow.spi.SessionQuery;
import dev.execflow.spi.WarningCounter;
import dev.execflow.spi.WarningKind;
import java.util.List;
import java.util.Objects;

/**
 * Folds the rows of one session, in timestamp order, into {@link ExecutionData}: the streaming
 * heart of execflow. Rows arrive as flyweights; the assembler copies out only the few values it
 * keeps, so memory grows with the number of phases, visits and attempts, never with rows.
 *
 * <pre>{@code
 * ExecutionAssembler assembler = new ExecutionAssembler();
 * source.read(SessionQuery.of("sess-42"), assembler);   // or assembler.accept(row) per row
 * ExecutionData data = assembler.snapshot();             // any time, also mid-session (live view)
 * }</pre>
 *
 * <p>Two assemblers that folded contiguous time ranges of a session merge into the fold of the
 * whole ({@link #merge}): rows whose phase only the earlier part knows (a late {@code cost_update},
 * a phase-less row whose parent started earlier) stay pending in the later part until the merge.
 * A split must fall between two distinct timestamps (a {@link SessionQuery} range does).
 *
 * <p>The state lives in parts that each own their copy and merge: the {@link DuplicateWindow}, the
 * {@link SessionFacts}, the {@link PhaseTable}, the {@link CallPlacement} and the {@link VisitLog};
 * this class routes rows to them. Nothing a row contains makes the fold throw; what it cannot
 * interpret is counted in the output's {@code warnings}. Not thread-safe: one assembler per
 * thread, then merge.
 */
public final class ExecutionAssembler implements RowSink {
  private final AssemblyOptions options;
  private final Vocabulary vocabulary;
  private final DuplicateWindow window;
  private final SessionFacts facts;
  private final PhaseTable phases;
  private final CallPlacement calls;
  private final VisitLog visits;
  private final WarningCounter warnings;
  private final DetailRows details;
  /**
   * The last few (node type, role) pairs classified, compared by reference: sources hand the same
   * String instances for repeated values, and a session interleaves a handful of pairs (tool call,
   * tool result, turn, LLM call), which a single last-pair cache misses on nearly every row.
   */
  private final String[] kindNodeTypes = new String[KIND_CACHE];
  private final String[] kindRoles = new String[KIND_CACHE];
  private final RowKind[] kinds = new RowKind[KIND_CACHE];
  private int nextKindSlot;
  private static final int KIND_CACHE = 8;

  /** An assembler with {@link AssemblyOptions#defaults()}. */
  public ExecutionAssembler() {
    this(AssemblyOptions.defaults());
  }

  public ExecutionAssembler(AssemblyOptions options) {
    this(Objects.requireNonNull(options, "options"), new DuplicateWindow(), new SessionFacts(), new PhaseTable(),
        new CallPlacement(options.traceIndexCapacity(), options.traceIndexInitialCapacity()), new VisitLog(),
        new WarningCounter(options.maxWarningSamples()));
  }

  private ExecutionAssembler(AssemblyOptions options, DuplicateWindow window, SessionFacts facts, PhaseTable phases,
      CallPlacement calls, VisitLog visits, WarningCounter warnings) {
    this.options = options;
    this.vocabulary = options.vocabulary();
    this.window = window;
    this.facts = facts;
    this.phases = phases;
    this.calls = calls;
    this.visits = visits;
    this.warnings = warnings;
    this.details = new DetailRows(options, warnings, phases, calls, visits);
  }

  /**
   * Reads one session from {@code source} and folds it ({@link LogSource#assemble}, so a source
   * that folds part of it on its server may): the one-call way to use execflow.
   */
  public static ExecutionData assemble(LogSource source, SessionQuery query, AssemblyOptions options) {
    ExecutionAssembler assembler = new ExecutionAssembler(options);
    source.assemble(query, assembler);
    return assembler.snapshot();
  }

  /** Rows folded so far (duplicates excluded). */
  public long rows() {
    return facts.rows;
  }

  public AssemblyOptions options() {
    return options;
  }

  // ---------------------------------------------------------------- the fold

  @Override
  public void warning(String kind, String detail) {
    warnings.add(kind, detail, 1);
  }

  @Override
  public void accept(LogRow row) {
    double ts = row.timestamp();
    if (Double.isNaN(ts) || Double.isInfinite(ts)) {
      warnings.add(WarningKind.MISSING_TIMESTAMP, "a " + RowText.describe(row) + " row has no usable timestamp");
      ts = facts.lastTs;
    } else if (window.isDuplicate(row, ts)) {
      facts.duplicates++;
      return;
    }
    RowKind kind = classify(row.nodeType(), row.role());
    facts.observe(row, kind, ts);
    if (kind.isCallOrConversation() && row.soundingIndex() == LogRow.NO_INT && row.reforgeStep() == LogRow.NO_INT
        && row.winningSoundingIndex() == LogRow.NO_INT) {
      callRow(kind, row, ts);
    } else if (kind.scope() == RowKind.Scope.SESSION) {
      sessionRow(kind, row, ts);
    } else if (kind == RowKind.COST_UPDATE) {
      costUpdate(row, ts);
    } else {
      details.phaseRow(kind, row, ts);
    }
  }

  /** A row's kind; the vocabulary is immutable, so a pair seen before by reference keeps its kind. */
  private RowKind classify(String nodeType, String role) {
    for (int i = 0; i < KIND_CACHE; i++) {
      if (kindNodeTypes[i] == nodeType && kindRoles[i] == role && kinds[i] != null) {
        return kinds[i];
      }
    }
    RowKind kind = vocabulary.classify(nodeType, role);
    int slot = nextKindSlot;
    nextKindSlot = (slot + 1) & (KIND_CACHE - 1);
    kindNodeTypes[slot] = nodeType;
    kindRoles[slot] = role;
    kinds[slot] = kind;
    return kind;
  }

  /** The hot path (most rows): an LLM call, a turn or a conversation row of no sounding or step. */
  private void callRow(RowKind kind, LogRow row, double ts) {
    int target = calls.resolve(row, phases, visits.currentPhase(), options, warnings);
    PhaseAccumulator acc = phases.acc(target);
    acc.touch(ts);
    boolean definite = row.phaseName() != null && RowText.nonEmpty(row.phaseName()) != null;
    int slot = calls.register(row.traceId(), target, LogRow.NO_INT, LogRow.NO_INT, definite, phases, options);
    calls.price(row, slot, target, LogRow.NO_INT, LogRow.NO_INT, phases, options, warnings);
    if (kind != RowKind.CONVERSATION) {
      CallRows.fold(kind, row, ts, acc, details.metadata(), warnings);
    }
  }

  private void sessionRow(RowKind kind, LogRow row, double ts) {
    calls.register(row.traceId(), PhaseTable.SESSION, LogRow.NO_INT, LogRow.NO_INT, false, phases, options);
    if (kind == RowKind.SESSION_COMPLETED && facts.decidesTerminal(ts)) {
      facts.terminal(Lifecycle.COMPLETED, ts, null);
    } else if (kind == RowKind.SESSION_FAILED && facts.decidesTerminal(ts)) {
      facts.terminal(Lifecycle.FAILED, ts, details.metadata().errorMessage(row, warnings));
    }
    if (!Double.isNaN(row.cost())) {
      // A priced row at session level has no phase to go to; it is reported, not dropped.
      warnings.add(WarningKind.COST_ON_SESSION_ROW, "a " + RowText.describe(row)
          + " row carries a cost; attributed to the running phase");
      int running = visits.currentPhase();
      int target = running != PhaseTable.NONE ? running
          : phases.group(null, false, PhaseTable.NONE, options, warnings);
      phases.acc(target).touch(ts);
      calls.price(row, -1, target, LogRow.NO_INT, LogRow.NO_INT, phases, options, warnings);
    }
  }

  private void costUpdate(LogRow row, double ts) {
    String trace = row.traceId();
    if (trace == null) {
      warnings.add(WarningKind.COST_UPDATE_WITHOUT_TRACE, "a cost_update row has no trace_id; priced on its parent's phase");
      int target = calls.resolve(row, phases, visits.currentPhase(), options, warnings);
      phases.acc(target).touch(ts);
      calls.price(row, -1, target, LogRow.NO_INT, LogRow.NO_INT, phases, options, warnings);
      return;
    }
    int slot = calls.costUpdate(trace, RowText.nonEmpty(row.phaseName()), phases, visits.currentPhase(), options,
        warnings);
    int target = calls.target(slot);
    phases.acc(target).touch(ts);
    calls.price(row, slot, target, LogRow.NO_INT, LogRow.NO_INT, phases, options, warnings);
  }

  // ---------------------------------------------------------------- snapshot

  /**
   * The execution so far, as an immutable value; cheap enough to call after every batch of rows
   * (its cost grows with phases and attempts, not rows). Does not change the assembler.
   */
  public ExecutionData snapshot() {
    return Snapshot.of(this);
  }

  /**
   * The hooks of a source that folds part of the session itself (ClickHouse's pushdown strategy):
   * see {@link PartialFold}. Not needed to fold rows.
   */
  public PartialFold partial() {
    return new PartialFold(this);
  }

  // Package-private views for Snapshot and PartialFold.
  PhaseTable phaseTable() { return phases; }
  CallPlacement calls() { return calls; }
  int runningPhase() { return visits.currentPhase(); }
  List<PhaseAccumulator> phases() { return phases.phases; }
  List<PhaseTable.Group> groups() { return phases.groups; }
  List<VisitLog.Visit> visits() { return visits.visits; }
  VisitLog.Visit current() { return visits.current; }
  WarningCounter warningsState() { return warnings; }
  SessionFacts facts() { return facts; }
  long traceEvictions() { return calls.evictions(); }

  // ---------------------------------------------------------------- merge

  /**
   * The fold of {@code earlier}'s rows followed by {@code later}'s, as if one assembler had read
   * both: for two contiguous time ranges of a session, {@code merge(fold(A), fold(B))} equals
   * {@code fold(A ++ B)}. Neither input changes. Both must use the same options.
   */
  public static ExecutionAssembler merge(ExecutionAssembler earlier, ExecutionAssembler later) {
    ExecutionAssembler r = earlier.copy();
    r.absorb(later);
    return r;
  }

  /**
   * Whether {@code merge(earlier, this)} gives exactly the fold of both parts' rows in one, as far
   * as this fold's bounded trace index can tell ({@link AssemblyOptions#traceIndexCapacity}): false
   * when this fold may have forgotten a call that {@code earlier} still knows (a call priced on both
   * sides of the cut would then be counted twice). True whenever this fold forgot no call. A reader
   * that merges parts checks it and reads in one when it is false:
   *
   * <pre>{@code
   * ExecutionAssembler merged = ExecutionAssembler.merge(first, second);
   * if (!second.mergesExactlyAfter(first)) { ... read the session in one instead ... }
   * }</pre>
   */
  public boolean mergesExactlyAfter(ExecutionAssembler earlier) {
    return calls.mergesExactlyAfter(earlier.calls);
  }

  private ExecutionAssembler copy() {
    return new ExecutionAssembler(options, window.copy(), facts.copy(), phases.copy(), calls.copy(), visits.copy(),
        warnings.copy());
  }

  /**
   * Folds a later part into this one, in place (see {@link #merge}), part by part; {@code b} is
   * only read. An assembler that has folded nothing yet becomes the fold of {@code b}'s rows: how a
   * source that folds a session itself hands it to the caller's assembler.
   */
  public void absorb(ExecutionAssembler b) {
    int currentPhase = visits.currentPhase();
    int[] phaseMap = phases.mapPhases(b.phases, options, warnings);
    int[] groupMap = calls.placeGroups(b.phases, phaseMap, currentPhase, phases, options, warnings);
    phases.absorbStates(b.phases, phaseMap, groupMap, options, warnings);
    calls.absorb(b.calls, phaseMap, groupMap, phases, options);
    visits.absorb(b.visits, b.phases.groups, phaseMap, groupMap, options, warnings);
    window.absorb(b.window, b.facts.rows > 0 || b.facts.duplicates > 0);
    facts.absorb(b.facts);
    warnings.absorb(b.warnings);
  }
}
