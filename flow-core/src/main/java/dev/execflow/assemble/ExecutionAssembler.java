package dev.execflow.assemble;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import dev.execflow.model.ExecutionData;
import dev.execflow.spi.LogRow;
import dev.execflow.spi.LogSource;
import dev.execflow.spi.RowSink;
import dev.execflow.spi.SessionQuery;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
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
 * <p>Nothing a row contains makes the fold throw; what it cannot interpret is counted in the
 * output's {@code warnings}. Not thread-safe: one assembler per thread, then merge.
 */
public final class ExecutionAssembler implements RowSink {
  private static final int SESSION_TARGET = Integer.MIN_VALUE;
  private static final String PHASE_LIMIT_KEY = "\u0000phase-limit";
  private static final int DEDUP_WINDOW = 64;
  private static final byte DECLARED_BIT = 1;
  private static final byte STARTED_BIT = 2;
  private static final String[] WARD_KINDS = {"pre", "post", "turn"};

  private final AssemblyOptions options;
  private final Vocabulary vocabulary;

  private String sessionId;
  private double sessionIdTs = Double.NaN;
  private String startCascadeId;
  private double startCascadeTs = Double.NaN;
  private String anyCascadeId;
  private double anyCascadeTs = Double.NaN;
  private double firstTs = Double.NaN;
  private double lastTs = Double.NaN;
  private double terminalTs = Double.NaN;
  private byte terminal = PhaseAccumulator.NONE;
  private String terminalError;
  private long rows;
  private long duplicates;

  private final Map<String, Integer> phaseIndex;
  private final List<PhaseAccumulator> phases;
  private final List<Visit> visits;
  private Visit current;
  /** Phase index -> earliest complete row seen while this part had no visit of that phase. */
  private final Map<Integer, Double> pendingCloses;
  private final Map<GroupKey, Integer> groupIndex;
  private final List<Group> groups;
  private final TraceIndex traces;
  /**
   * Trace ids of phase start rows: the roots most phase-less rows descend from. Kept apart from the
   * evicting trace index so that a long visit's late rows still find their phase.
   */
  private final Map<String, Integer> phaseRoots;
  private final Warnings warnings;
  private String lastNodeType;
  private String lastRole;
  private RowKind lastKind;
  /** Scratch for reading metadata fields without building a JSON tree. */
  private final FlatJson meta = new FlatJson();

  private double windowTs = Double.NaN;
  private int windowSize;
  private final String[] windowMessageIds = new String[DEDUP_WINDOW];
  private final String[] windowTraceIds = new String[DEDUP_WINDOW];
  private final String[] windowNodeTypes = new String[DEDUP_WINDOW];

  /** An assembler with {@link AssemblyOptions#defaults()}. */
  public ExecutionAssembler() {
    this(AssemblyOptions.defaults());
  }

  public ExecutionAssembler(AssemblyOptions options) {
    this(Objects.requireNonNull(options, "options"), new TraceIndex(options.traceIndexCapacity()));
  }

  /** Reads one session from {@code source} and folds it: the one-call way to use execflow. */
  public static ExecutionData assemble(LogSource source, SessionQuery query, AssemblyOptions options) {
    ExecutionAssembler assembler = new ExecutionAssembler(options);
    source.read(query, assembler);
    return assembler.snapshot();
  }

  /** Rows folded so far (duplicates excluded). */
  public long rows() {
    return rows;
  }

  public AssemblyOptions options() {
    return options;
  }

  // ---------------------------------------------------------------- the fold

  @Override
  public void warning(String kind, String detail) {
    warnings.add(kind, detail);
  }

  @Override
  public void accept(LogRow row) {
    double ts = row.timestamp();
    if (Double.isNaN(ts) || Double.isInfinite(ts)) {
      warnings.add("missing_timestamp", "a " + describe(row) + " row has no usable timestamp");
      ts = lastTs;
    } else if (isDuplicate(row, ts)) {
      duplicates++;
      return;
    }
    rows++;
    if (!Double.isNaN(ts)) {
      if (Double.isNaN(firstTs) || ts < firstTs) {
        firstTs = ts;
      }
      if (Double.isNaN(lastTs) || ts > lastTs) {
        lastTs = ts;
      }
    }
    String sid = row.sessionId();
    if (sid != null && (sessionId == null || ts < sessionIdTs)) {
      sessionId = sid;
      sessionIdTs = ts;
    }
    RowKind kind = classify(row.nodeType(), row.role());
    String cascade = row.cascadeId();
    if (cascade != null && !cascade.isEmpty()) {
      if (anyCascadeId == null || ts < anyCascadeTs) {
        anyCascadeId = cascade;
        anyCascadeTs = ts;
      }
      if (kind == RowKind.SESSION_START && (startCascadeId == null || ts < startCascadeTs)) {
        startCascadeId = cascade;
        startCascadeTs = ts;
      }
    }
    if (kind.scope() == RowKind.Scope.SESSION) {
      session(kind, row, ts);
    } else if (kind == RowKind.COST_UPDATE) {
      costUpdate(row, ts);
    } else {
      phaseRow(kind, row, ts);
    }
  }

  /** Rows of one kind often come in runs with the very same strings: skip the map lookups. */
  private RowKind classify(String nodeType, String role) {
    if (nodeType != lastNodeType || role != lastRole || lastKind == null) {
      lastKind = vocabulary.classify(nodeType, role);
      lastNodeType = nodeType;
      lastRole = role;
    }
    return lastKind;
  }

  private boolean isDuplicate(LogRow row, double ts) {
    if (ts != windowTs) {
      windowTs = ts;
      windowSize = 0;
    }
    String messageId = row.messageId();
    String traceId = row.traceId();
    String nodeType = row.nodeType();
    for (int i = 0; i < windowSize; i++) {
      if (messageId != null && messageId.equals(windowMessageIds[i])) {
        return true;
      }
      if (traceId != null && traceId.equals(windowTraceIds[i]) && Objects.equals(nodeType, windowNodeTypes[i])) {
        return true;
      }
    }
    if (windowSize < DEDUP_WINDOW) {
      windowMessageIds[windowSize] = messageId;
      windowTraceIds[windowSize] = traceId;
      windowNodeTypes[windowSize] = nodeType;
      windowSize++;
    }
    return false;
  }

  private void session(RowKind kind, LogRow row, double ts) {
    registerTrace(row.traceId(), SESSION_TARGET, LogRow.NO_INT, LogRow.NO_INT, false);
    if (kind == RowKind.SESSION_COMPLETED || kind == RowKind.SESSION_FAILED) {
      if (PhaseAccumulator.newer(ts, terminalTs)) {
        terminalTs = ts;
        terminal = kind == RowKind.SESSION_COMPLETED ? PhaseAccumulator.COMPLETED : PhaseAccumulator.FAILED;
        terminalError = kind == RowKind.SESSION_FAILED ? errorMessage(row) : null;
      }
    }
    if (!Double.isNaN(row.cost())) {
      // A priced row at session level has no phase to go to; it is reported, not dropped.
      warnings.add("cost_on_session_row", "a " + describe(row) + " row carries a cost; attributed to the running phase");
      int target = current != null ? current.phase : group(null, false, -1);
      acc(target).touch(ts);
      price(row, -1, target, LogRow.NO_INT, LogRow.NO_INT);
    }
  }

  private void costUpdate(LogRow row, double ts) {
    String trace = row.traceId();
    if (trace == null) {
      warnings.add("cost_update_without_trace", "a cost_update row has no trace_id; priced on its parent's phase");
      int target = resolve(row, ts);
      acc(target).touch(ts);
      price(row, -1, target, LogRow.NO_INT, LogRow.NO_INT);
      return;
    }
    int slot = traces.find(trace);
    int target;
    String name = nonEmpty(row.phaseName());
    if (name != null) {
      target = phase(name);
      slot = registerTrace(trace, target, LogRow.NO_INT, LogRow.NO_INT, true);
      target = traces.target(slot);
    } else if (slot >= 0 && traces.target(slot) != SESSION_TARGET) {
      target = traces.target(slot);
    } else {
      // The priced call is unknown here: an earlier part may know it; else the running phase.
      target = group(trace, true, current != null ? current.phase : -1);
      slot = slot >= 0 ? slot : traces.insert(trace, target, LogRow.NO_INT, LogRow.NO_INT);
      traces.setTarget(slot, target);
    }
    acc(target).touch(ts);
    price(row, slot, target, LogRow.NO_INT, LogRow.NO_INT);
  }

  private void phaseRow(RowKind kind, LogRow row, double ts) {
    int target;
    boolean definite = nonEmpty(row.phaseName()) != null;
    if (kind == RowKind.PHASE_START || kind == RowKind.PHASE_DECLARED) {
      String name = nonEmpty(row.phaseName());
      if (name == null) {
        name = nonEmpty(RowJson.contentText(row.contentJson()));
        if (name != null && (name.length() > 200 || name.indexOf('\n') >= 0)) {
          name = null;
        }
      }
      if (name == null) {
        warnings.add("phase_start_without_name", "a " + describe(row) + " row names no phase");
        target = resolve(row, ts);
      } else {
        target = phase(name);
        definite = true;
        if (target >= 0) {
          startVisit(target, kind == RowKind.PHASE_DECLARED ? DECLARED_BIT : STARTED_BIT, ts);
          if (row.traceId() != null && phaseRoots.size() < 2 * options.maxVisits()) {
            phaseRoots.putIfAbsent(row.traceId(), target);
          }
        }
      }
    } else {
      target = resolve(row, ts);
    }
    PhaseAccumulator acc = acc(target);
    acc.touch(ts);

    int step = row.reforgeStep();
    int sounding = row.soundingIndex();
    if (step != LogRow.NO_INT && step < 0) {
      warnings.add("negative_index", "reforge_step " + step + " ignored");
      step = LogRow.NO_INT;
    }
    if (sounding != LogRow.NO_INT && sounding < 0) {
      warnings.add("negative_index", "sounding_index " + sounding + " ignored");
      sounding = LogRow.NO_INT;
    }
    int callSounding = step == LogRow.NO_INT && kind != RowKind.SOUNDING_RESULT && !kind.isReforge()
        ? sounding : LogRow.NO_INT;

    PhaseAccumulator.Attempt attempt = null;
    if (kind.isReforge() || step != LogRow.NO_INT) {
      reforge(kind, row, ts, acc, step, sounding);
    } else if (callSounding != LogRow.NO_INT) {
      attempt = attempt(acc, callSounding);
      if (attempt != null && Boolean.TRUE.equals(row.isWinner())) {
        acc.winner(callSounding, ts);
      }
    }
    int winning = row.winningSoundingIndex();
    if (winning != LogRow.NO_INT && winning >= 0) {
      attempt(acc, winning);
      acc.winner(winning, ts);
    }
    int slot = registerTrace(row.traceId(), target, callSounding, step, definite);
    price(row, slot, target, callSounding, step);

    switch (kind) {
      case PHASE_START:
      case PHASE_DECLARED:
        acc.lifecycle(PhaseAccumulator.STARTED, ts);
        if (kind == RowKind.PHASE_DECLARED) {
          JsonNode tree = metadata(row); // handoffs is a list: worth a tree on one row a visit
          if (tree != null && tree.has("handoffs")) {
            acc.handoffs(RowJson.handoffTargets(tree.get("handoffs")), ts);
          }
        }
        break;
      case PHASE_COMPLETE:
        acc.lifecycle(PhaseAccumulator.COMPLETED, ts);
        if (target >= 0) {
          closeVisit(target, ts);
        } else if (Double.isNaN(acc.closeTs)) {
          acc.closeTs = ts; // closes a visit once an earlier part places these rows
        }
        break;
      case PHASE_ERROR:
      case ERROR:
        acc.lifecycle(PhaseAccumulator.FAILED, ts);
        acc.error(errorMessage(row), ts);
        break;
      case TURN: {
        scanMetadata(row, "turn_number", "turn", "max_turns");
        int turn = firstInt(0, 1);
        if (turn == LogRow.NO_INT && row.turnNumber() != LogRow.NO_INT) {
          turn = row.turnNumber() + 1;
        }
        if (turn != LogRow.NO_INT) {
          acc.turn(turn);
        }
        acc.maxTurns(meta.intValue(2));
        break;
      }
      case LLM_CALL: {
        int turn = row.turnNumber();
        acc.turn(turn != LogRow.NO_INT && turn >= 0 ? turn + 1 : 1);
        String model = row.model();
        if (model != null && !model.isEmpty()) {
          acc.model(model, ts);
        }
        break;
      }
      case SUB_CASCADE: {
        scanMetadata(row, "sub_session_id", "child_session_id", "session_id");
        String child = firstString(0, 1, 2);
        if (child == null) {
          child = nonEmpty(RowJson.contentText(row.contentJson()));
        }
        if (child != null) {
          acc.subCascade(child, ts);
        }
        break;
      }
      case SOUNDING_ATTEMPT:
      case SOUNDING_ERROR:
        if (callSounding == LogRow.NO_INT) {
          warnings.add("sounding_without_index", "a " + describe(row) + " row has no sounding_index");
        } else {
          if (attempt != null && PhaseAccumulator.newer(ts, attempt.statusTs)) {
            attempt.statusTs = ts;
            attempt.status = kind == RowKind.SOUNDING_ATTEMPT ? PhaseAccumulator.COMPLETED : PhaseAccumulator.FAILED;
          }
          if (attempt != null && kind == RowKind.SOUNDING_ATTEMPT && row.contentJson() != null
              && PhaseAccumulator.newer(ts, attempt.previewTs)) {
            attempt.previewTs = ts;
            attempt.preview = RowJson.preview(RowJson.contentText(row.contentJson()), options.previewLength());
          }
        }
        break;
      case SOUNDING_RESULT: {
        scanMetadata(row, "winner_index", "winning_sounding_index", "winning_candidate_index");
        int winner = firstInt(0, 1, 2);
        if (winner == LogRow.NO_INT && sounding != LogRow.NO_INT && Boolean.TRUE.equals(row.isWinner())) {
          winner = sounding;
        }
        if (winner != LogRow.NO_INT && winner >= 0) {
          attempt(acc, winner);
          acc.winner(winner, ts);
        } else {
          acc.hasSoundings = true;
        }
        break;
      }
      case PRE_WARD:
      case POST_WARD:
      case TURN_WARD:
        ward(kind == RowKind.PRE_WARD ? 0 : kind == RowKind.POST_WARD ? 1 : 2, row, ts, acc);
        break;
      case PRE_WARD_BLOCKED:
      case POST_WARD_BLOCKED:
      case WARD_BLOCKED:
        wardBlock(kind, row, ts, acc);
        break;
      case UNKNOWN:
        warnings.add("unknown_node_type", "node_type " + quote(row.nodeType()) + ", role " + quote(row.role()));
        break;
      default:
        break;
    }
  }

  private void reforge(RowKind kind, LogRow row, double ts, PhaseAccumulator acc, int step, int sounding) {
    acc.hasReforge = true;
    boolean scanned = false;
    if (kind == RowKind.REFORGE_EVALUATION || kind == RowKind.REFORGE_WINNER
        || (step == LogRow.NO_INT && kind != RowKind.REFORGE_START && kind != RowKind.REFORGE_THRESHOLD_MET)) {
      scanMetadata(row, "reforge_step", "step", "winner_index", "winning_index");
      scanned = true;
    }
    if (step == LogRow.NO_INT && scanned) {
      step = firstInt(0, 1);
    }
    if (kind == RowKind.REFORGE_THRESHOLD_MET) {
      acc.thresholdMet = true;
    }
    if (step == LogRow.NO_INT || step < 0) {
      if (kind != RowKind.REFORGE_START && kind != RowKind.REFORGE_THRESHOLD_MET) {
        warnings.add("reforge_row_without_step", "a " + describe(row) + " row names no reforge step");
      }
      return;
    }
    PhaseAccumulator.Step s = acc.step(step, options.maxReforgeSteps());
    if (s == null) {
      warnings.add("reforge_step_limit", "reforge step " + step + " beyond " + options.maxReforgeSteps() + " steps");
      return;
    }
    int attemptIndex = sounding != LogRow.NO_INT ? sounding : row.attemptNumber();
    if (kind == RowKind.REFORGE_ATTEMPT && attemptIndex != LogRow.NO_INT) {
      if (!s.addAttempt(attemptIndex)) {
        warnings.add("attempt_limit", "reforge step " + step + " has more attempts than counted");
      }
    }
    int winner = LogRow.NO_INT;
    if (kind == RowKind.REFORGE_EVALUATION || kind == RowKind.REFORGE_WINNER) {
      winner = firstInt(2, 3);
    }
    if (winner == LogRow.NO_INT && attemptIndex != LogRow.NO_INT && Boolean.TRUE.equals(row.isWinner())) {
      winner = attemptIndex;
    }
    if (winner != LogRow.NO_INT && PhaseAccumulator.newer(ts, s.winnerTs)) {
      s.winnerTs = ts;
      s.winner = winner;
    }
  }

  private void ward(int kind, LogRow row, double ts, PhaseAccumulator acc) {
    scanMetadata(row, "validator", "name", "valid", "reason", "mode");
    String validator = firstString(0, 1);
    if (validator == null) {
      warnings.add("ward_without_validator", "a " + WARD_KINDS[kind] + " ward row names no validator");
      validator = "";
    }
    PhaseAccumulator.Ward ward = wardEntry(acc, kind, validator);
    if (ward == null) {
      return;
    }
    if (Double.isNaN(ward.firstTs) || ts < ward.firstTs) {
      ward.firstTs = ts;
    }
    if (PhaseAccumulator.newer(ts, ward.ts)) {
      ward.ts = ts;
      ward.valid = meta.boolValue(2);
      if (ward.valid == null) {
        warnings.add("ward_without_valid", "ward " + quote(validator) + " does not say whether it passed");
      }
      ward.reason = meta.stringValue(3);
      ward.mode = meta.stringValue(4);
    }
  }

  private void wardBlock(RowKind kind, LogRow row, double ts, PhaseAccumulator acc) {
    scanMetadata(row, "ward_type", "kind", "type", "validator", "name", "reason");
    int wardKind;
    if (kind == RowKind.PRE_WARD_BLOCKED) {
      wardKind = 0;
    } else if (kind == RowKind.POST_WARD_BLOCKED) {
      wardKind = 1;
    } else {
      String said = firstString(0, 1, 2);
      wardKind = said != null && said.startsWith("post") ? 1 : said != null && said.startsWith("turn") ? 2 : 0;
    }
    String validator = firstString(3, 4);
    String reason = meta.stringValue(5);
    if (validator != null) {
      PhaseAccumulator.Ward blocked = wardEntry(acc, wardKind, validator);
      if (blocked != null && (Double.isNaN(blocked.blockedTs) || ts < blocked.blockedTs)) {
        blocked.blockedTs = ts;
        blocked.blockReason = reason;
      }
    } else {
      acc.anonymousBlock(wardKind, ts, reason); // the ward of that kind that ran last: see Snapshot
    }
    acc.lifecycle(PhaseAccumulator.FAILED, ts);
    acc.error("blocked by " + WARD_KINDS[wardKind] + " ward"
        + (validator != null ? " " + validator : "") + (reason != null ? ": " + reason : ""), ts);
  }

  private PhaseAccumulator.Ward wardEntry(PhaseAccumulator acc, int kind, String validator) {
    LinkedHashMap<String, PhaseAccumulator.Ward> wards = acc.wards(kind);
    PhaseAccumulator.Ward ward = wards.get(validator);
    if (ward == null) {
      if (wards.size() >= options.maxWardsPerKind()) {
        warnings.add("ward_limit", "more than " + options.maxWardsPerKind() + " " + WARD_KINDS[kind] + " wards");
        return null;
      }
      ward = new PhaseAccumulator.Ward();
      wards.put(validator, ward);
    }
    return ward;
  }

  private PhaseAccumulator.Attempt attempt(PhaseAccumulator acc, int index) {
    PhaseAccumulator.Attempt attempt = acc.attempt(index, options.maxAttemptsPerPhase());
    if (attempt == null) {
      warnings.add("attempt_limit", "sounding index " + index + " beyond " + options.maxAttemptsPerPhase() + " attempts");
    }
    return attempt;
  }

  /** Counts a row's cost and tokens once per LLM call (the call is the row's trace). */
  private void price(LogRow row, int slot, int target, int sounding, int step) {
    double cost = row.cost();
    long in = row.tokensIn();
    long out = row.tokensOut();
    boolean hasCost = !Double.isNaN(cost);
    boolean hasTokens = in != LogRow.NO_LONG || out != LogRow.NO_LONG;
    if (!hasCost && !hasTokens) {
      return;
    }
    if (hasCost && (Double.isInfinite(cost) || Math.abs(cost) > 1e6)) {
      warnings.add("bad_cost", "cost " + cost + " ignored");
      hasCost = false;
    }
    in = Math.max(in, 0);
    out = Math.max(out, 0);
    long picos = hasCost ? Math.round(cost * 1e12) : 0;
    if (slot < 0) {
      PhaseAccumulator acc = acc(target);
      if (hasCost) {
        addCost(acc, picos, sounding, step);
      }
      if (hasTokens) {
        acc.tokensIn += in;
        acc.tokensOut += out;
      }
      return;
    }
    // The call's cost goes where the call's first row went, not where a copy of it went.
    PhaseAccumulator callAcc = acc(traces.target(slot));
    if (hasCost && !traces.has(slot, TraceIndex.COST_COUNTED)) {
      addCost(callAcc, picos, traces.sounding(slot), traces.step(slot));
      traces.countCost(slot, picos);
    }
    if (hasTokens && !traces.has(slot, TraceIndex.TOKENS_COUNTED)) {
      callAcc.tokensIn += in;
      callAcc.tokensOut += out;
      traces.countTokens(slot, in, out);
    }
  }

  /**
   * The slot of {@code trace} in the index (inserted on first sight), or -1 for no trace. The
   * first row of a trace places it, unless a later row places it better (see {@link #rank}).
   */
  private int registerTrace(String trace, int target, int sounding, int step, boolean definite) {
    if (trace == null) {
      return -1;
    }
    int slot = traces.find(trace);
    if (slot < 0) {
      slot = traces.insert(trace, target, sounding, step);
      if (definite) {
        traces.markDefinite(slot);
      }
    } else {
      adoptCallIndex(slot, sounding, step);
      if (rank(target, definite) > rank(traces.target(slot), traces.has(slot, TraceIndex.DEFINITE))) {
        retarget(slot, target, sounding, step, definite);
      }
    }
    return slot;
  }

  /**
   * A call's sounding and reforge step are the first its rows name, whatever the order of its
   * rows: a call first seen through a row that names neither takes them from a later row, and
   * what was already counted for it moves to that attempt or step (so a split fold agrees).
   */
  private void adoptCallIndex(int slot, int sounding, int step) {
    if ((sounding == LogRow.NO_INT && step == LogRow.NO_INT) || traces.target(slot) == SESSION_TARGET
        || traces.sounding(slot) != LogRow.NO_INT || traces.step(slot) != LogRow.NO_INT) {
      return;
    }
    int target = traces.target(slot);
    if (traces.has(slot, TraceIndex.COST_COUNTED)) {
      long picos = traces.cost(slot);
      addCost(acc(target), -picos, LogRow.NO_INT, LogRow.NO_INT);
      addCost(acc(target), picos, sounding, step);
    }
    traces.retarget(slot, target, sounding, step);
  }

  private void addCost(PhaseAccumulator acc, long picos, int sounding, int step) {
    acc.addCost(picos, sounding, step, options.maxAttemptsPerPhase(), options.maxReforgeSteps());
  }

  /**
   * How much a trace's placement is worth: named by a phase (2) over inferred into a phase (1)
   * over still pending (0) over a session row's (-1). A trace moves only to a better placement.
   */
  private static int rank(int target, boolean definite) {
    return target == SESSION_TARGET ? -1 : definite ? 2 : target >= 0 ? 1 : 0;
  }

  /**
   * Points a trace at another phase, moving the cost and tokens already counted for it along. The
   * call's sounding and reforge step stay those of its first row (a session row has none).
   */
  private void retarget(int slot, int target, int sounding, int step, boolean definite) {
    int old = traces.target(slot);
    if (old != SESSION_TARGET) {
      sounding = traces.sounding(slot);
      step = traces.step(slot);
      if (traces.has(slot, TraceIndex.COST_COUNTED)) {
        long picos = traces.cost(slot);
        addCost(acc(old), -picos, sounding, step);
        addCost(acc(target), picos, sounding, step);
      }
      if (traces.has(slot, TraceIndex.TOKENS_COUNTED)) {
        acc(old).tokensIn -= traces.tokensIn(slot);
        acc(old).tokensOut -= traces.tokensOut(slot);
        acc(target).tokensIn += traces.tokensIn(slot);
        acc(target).tokensOut += traces.tokensOut(slot);
      }
    }
    // Remember the group an inferred phase replaced: an earlier part may yet place that group in a
    // phase of equal rank, which (the first placement winning) would then have kept the trace.
    traces.setPrevious(slot, old < 0 && old != SESSION_TARGET && rank(target, definite) == 1 ? old
        : rank(target, definite) == 1 ? traces.previous(slot) : TraceIndex.NO_PREVIOUS);
    traces.retarget(slot, target, sounding, step);
    if (definite) {
      traces.markDefinite(slot);
    }
  }

  /** Where a row that is not a phase start belongs: its phase name, its parent, the running phase. */
  private int resolve(LogRow row, double ts) {
    String name = nonEmpty(row.phaseName());
    if (name != null) {
      return phase(name);
    }
    String parent = row.parentId();
    if (parent != null) {
      int slot = traces.find(parent);
      if (slot >= 0 && traces.target(slot) != SESSION_TARGET) {
        traces.touch(slot);
        return traces.target(slot);
      }
      Integer root = phaseRoots.get(parent);
      if (root != null) {
        return root;
      }
      if (slot < 0) {
        return group(parent, false, current != null ? current.phase : -1);
      }
    }
    return current != null ? current.phase : group(null, false, -1);
  }

  private int phase(String name) {
    Integer index = phaseIndex.get(name);
    if (index != null) {
      return index;
    }
    if (phases.size() >= options.maxPhases()) {
      warnings.add("phase_limit", "phase " + quote(name) + " beyond " + options.maxPhases() + " phases");
      return group(PHASE_LIMIT_KEY, false, -1);
    }
    phases.add(new PhaseAccumulator(name));
    phaseIndex.put(name, phases.size() - 1);
    return phases.size() - 1;
  }

  /** The pending group of rows under {@code key} that came while {@code fallback} was running. */
  private int group(String key, boolean costByTrace, int fallback) {
    GroupKey gk = new GroupKey(key, costByTrace, fallback);
    Integer index = groupIndex.get(gk);
    if (index == null) {
      if (groups.size() >= options.maxPendingGroups()) {
        // Out of room: treat the row as if nothing earlier could place it.
        warnings.add("pending_limit", "more than " + options.maxPendingGroups() + " groups of unplaced rows");
        if (fallback >= 0) {
          return fallback;
        }
        gk = new GroupKey(null, false, -1);
        index = groupIndex.get(gk);
        if (index != null) {
          return -index - 1;
        }
      }
      groups.add(new Group(gk, fallback));
      index = groups.size() - 1;
      groupIndex.put(gk, index);
    }
    return -index - 1;
  }

  private PhaseAccumulator acc(int target) {
    return target >= 0 ? phases.get(target) : groups.get(-target - 1).acc;
  }

  private void startVisit(int phase, byte bit, double ts) {
    Visit c = current;
    if (c != null && c.phase == phase && Double.isNaN(c.closeTs) && (c.kinds & bit) == 0) {
      if (c.kinds != 0 && Double.isNaN(c.secondStartTs)) {
        c.secondStartTs = ts;
        c.secondKind = bit;
      }
      c.kinds |= bit;
      return;
    }
    Visit v = new Visit(phase, ts, bit);
    addVisit(v);
    current = v;
  }

  private void addVisit(Visit v) {
    if (visits.size() < options.maxVisits()) {
      visits.add(v);
    } else {
      warnings.add("visit_limit", "more than " + options.maxVisits() + " phase visits; the path is cut");
    }
  }

  private void closeVisit(int phase, double ts) {
    if (current != null && current.phase == phase) {
      if (Double.isNaN(current.closeTs)) {
        current.closeTs = ts;
      }
      return;
    }
    for (int i = visits.size() - 1; i >= 0; i--) {
      Visit v = visits.get(i);
      if (v.phase == phase) {
        if (Double.isNaN(v.closeTs)) {
          v.closeTs = ts;
        }
        return;
      }
    }
    pendingCloses.putIfAbsent(phase, ts);
  }

  private JsonNode metadata(LogRow row) {
    try {
      return RowJson.parse(row.metadataJson());
    } catch (JsonProcessingException e) {
      warnings.add("bad_metadata_json", "a " + describe(row) + " row's metadata_json is not JSON: "
          + RowJson.preview(row.metadataJson(), 40));
      return null;
    }
  }

  /**
   * Scans the row's metadata for these top-level fields (read them with {@link #firstInt},
   * {@link #firstString} or {@code meta}); malformed metadata is counted and reads as empty.
   */
  private void scanMetadata(LogRow row, String... fields) {
    String json = row.metadataJson();
    if (json == null || json.isBlank()) {
      meta.scan("{}", fields);
    } else if (!meta.scan(json, fields)) {
      warnings.add("bad_metadata_json", "a " + describe(row) + " row's metadata_json is not JSON: "
          + RowJson.preview(json, 40));
      meta.scan("{}", fields);
    }
  }

  /** The first of these scanned fields that holds an integer, else {@link LogRow#NO_INT}. */
  private int firstInt(int... fields) {
    for (int f : fields) {
      int v = meta.intValue(f);
      if (v != LogRow.NO_INT) {
        return v;
      }
    }
    return LogRow.NO_INT;
  }

  private String firstString(int... fields) {
    for (int f : fields) {
      if (meta.has(f)) {
        return meta.stringValue(f);
      }
    }
    return null;
  }

  private String errorMessage(LogRow row) {
    scanMetadata(row, "error", "message", "reason");
    String message = firstString(0, 1, 2);
    if (message == null) {
      message = nonEmpty(RowJson.contentText(row.contentJson()));
    }
    return message == null ? "error" : RowJson.preview(message, 200);
  }

  private static String nonEmpty(String s) {
    return s == null || s.isBlank() ? null : s;
  }

  private static String describe(LogRow row) {
    return quote(row.nodeType()) + "/" + quote(row.role());
  }

  private static String quote(String s) {
    return s == null ? "null" : "'" + RowJson.preview(s, 60) + "'";
  }

  // ---------------------------------------------------------------- snapshot

  /**
   * The execution so far, as an immutable value; cheap enough to call after every batch of rows
   * (its cost grows with phases and attempts, not rows). Does not change the assembler.
   */
  public ExecutionData snapshot() {
    return Snapshot.of(this);
  }

  // Package-private views for Snapshot and Merge.
  List<PhaseAccumulator> phases() { return phases; }
  List<Visit> visits() { return visits; }
  Visit current() { return current; }
  List<Group> groups() { return groups; }
  Warnings warningsState() { return warnings; }
  String sessionId() { return sessionId; }
  String cascadeId() { return startCascadeId != null ? startCascadeId : anyCascadeId; }
  double firstTs() { return firstTs; }
  double lastTs() { return lastTs; }
  double terminalTs() { return terminalTs; }
  byte terminal() { return terminal; }
  String terminalError() { return terminalError; }
  long duplicates() { return duplicates; }
  long traceEvictions() { return traces.evictions(); }

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

  private ExecutionAssembler copy() {
    ExecutionAssembler c = new ExecutionAssembler(options, traces.copy());
    c.sessionId = sessionId;
    c.sessionIdTs = sessionIdTs;
    c.startCascadeId = startCascadeId;
    c.startCascadeTs = startCascadeTs;
    c.anyCascadeId = anyCascadeId;
    c.anyCascadeTs = anyCascadeTs;
    c.firstTs = firstTs;
    c.lastTs = lastTs;
    c.terminalTs = terminalTs;
    c.terminal = terminal;
    c.terminalError = terminalError;
    c.rows = rows;
    c.duplicates = duplicates;
    c.phaseIndex.putAll(phaseIndex);
    for (PhaseAccumulator p : phases) {
      c.phases.add(p.copy(p.name));
    }
    for (Visit v : visits) {
      Visit copy = v.copy();
      c.visits.add(copy);
      if (v == current) {
        c.current = copy;
      }
    }
    if (current != null && c.current == null) {
      c.current = current.copy();
    }
    c.pendingCloses.putAll(pendingCloses);
    c.phaseRoots.putAll(phaseRoots);
    for (Group g : groups) {
      Group copy = new Group(g.key, g.fallback);
      copy.acc.absorb(g.acc, Integer.MAX_VALUE, Integer.MAX_VALUE, Integer.MAX_VALUE);
      c.groups.add(copy);
      c.groupIndex.put(g.key, c.groups.size() - 1);
    }
    c.warnings.absorb(warnings);
    c.windowTs = windowTs;
    c.windowSize = windowSize;
    System.arraycopy(windowMessageIds, 0, c.windowMessageIds, 0, DEDUP_WINDOW);
    System.arraycopy(windowTraceIds, 0, c.windowTraceIds, 0, DEDUP_WINDOW);
    System.arraycopy(windowNodeTypes, 0, c.windowNodeTypes, 0, DEDUP_WINDOW);
    return c;
  }

  private ExecutionAssembler(AssemblyOptions options, TraceIndex traces) {
    this.options = options;
    this.vocabulary = options.vocabulary();
    this.phaseIndex = new HashMap<>();
    this.phases = new ArrayList<>();
    this.visits = new ArrayList<>();
    this.pendingCloses = new HashMap<>();
    this.groupIndex = new HashMap<>();
    this.groups = new ArrayList<>();
    this.traces = traces;
    this.phaseRoots = new HashMap<>();
    this.warnings = new Warnings(options.maxWarningSamples());
  }

  /** Folds a later part into this one (see {@link #merge}); {@code b} is only read. */
  private void absorb(ExecutionAssembler b) {
    int attemptBound = options.maxAttemptsPerPhase();
    int stepBound = options.maxReforgeSteps();
    int wardBound = options.maxWardsPerKind();
    int currentPhase = current != null ? current.phase : -1;

    // 1. B's phases by name onto ours.
    int[] phaseMap = new int[b.phases.size()];
    for (int i = 0; i < phaseMap.length; i++) {
      phaseMap[i] = phase(b.phases.get(i).name);
    }
    // 2. Place B's pending groups using what we (the earlier part) know.
    int[] groupMap = new int[b.groups.size()];
    for (int i = 0; i < groupMap.length; i++) {
      Group g = b.groups.get(i);
      GroupKey key = g.key;
      int fallback = g.fallback >= 0 ? phaseMap[g.fallback] : currentPhase;
      int slot = key.key == null ? -1 : traces.find(key.key);
      Integer root = key.key == null || key.costByTrace ? null : phaseRoots.get(key.key);
      if (key.key != null && key.key.equals(PHASE_LIMIT_KEY)) {
        groupMap[i] = group(PHASE_LIMIT_KEY, false, -1);
      } else if (root != null && (slot < 0 || traces.target(slot) == SESSION_TARGET)) {
        groupMap[i] = root;
      } else if (slot >= 0 && traces.target(slot) != SESSION_TARGET) {
        groupMap[i] = traces.target(slot);
      } else if ((slot >= 0 || key.key == null) && fallback >= 0) {
        // Known to belong to no phase (or no parent at all): the running phase at the time.
        groupMap[i] = fallback;
      } else {
        groupMap[i] = group(slot >= 0 ? null : key.key, key.costByTrace && slot < 0, fallback);
      }
    }
    // 3. B's phase states, then its groups, onto their places.
    int dropped = 0;
    for (int i = 0; i < phaseMap.length; i++) {
      dropped += acc(phaseMap[i]).absorb(b.phases.get(i), attemptBound, stepBound, wardBound);
    }
    for (int i = 0; i < groupMap.length; i++) {
      dropped += acc(groupMap[i]).absorb(b.groups.get(i).acc, attemptBound, stepBound, wardBound);
    }
    if (dropped > 0) {
      warnings.add("merge_limit", dropped + " attempts, steps or wards did not fit when merging parts");
    }
    // 4. B's trace index. Invariant of both parts: an entry's counted cost and tokens are held by
    //    its current target. A call both parts priced is counted once; a trace goes to the phase
    //    the first named row of the whole gave it.
    for (int s : b.traces.slotsByAge()) {
      String key = b.traces.key(s);
      int bTarget = b.traces.target(s);
      int mapped = bTarget == SESSION_TARGET ? SESSION_TARGET
          : bTarget >= 0 ? phaseMap[bTarget] : groupMap[-bTarget - 1];
      boolean bCost = b.traces.has(s, TraceIndex.COST_COUNTED);
      boolean bTokens = b.traces.has(s, TraceIndex.TOKENS_COUNTED);
      int prev = b.traces.previous(s);
      if (prev != TraceIndex.NO_PREVIOUS && groupMap[-prev - 1] >= 0 && mapped >= 0) {
        // B inferred a phase for a trace it first had pending; we placed that pending group in a
        // phase already, and the first placement of equal rank stands: undo B's move.
        int back = groupMap[-prev - 1];
        if (bCost) {
          addCost(acc(mapped), -b.traces.cost(s), b.traces.sounding(s), b.traces.step(s));
          addCost(acc(back), b.traces.cost(s), b.traces.sounding(s), b.traces.step(s));
        }
        if (bTokens) {
          acc(mapped).tokensIn -= b.traces.tokensIn(s);
          acc(mapped).tokensOut -= b.traces.tokensOut(s);
          acc(back).tokensIn += b.traces.tokensIn(s);
          acc(back).tokensOut += b.traces.tokensOut(s);
        }
        mapped = back;
      }
      int mine = traces.find(key);
      if (mine < 0) {
        int slot = traces.insert(key, mapped, b.traces.sounding(s), b.traces.step(s));
        if (bCost) {
          traces.countCost(slot, b.traces.cost(s));
        }
        if (bTokens) {
          traces.countTokens(slot, b.traces.tokensIn(s), b.traces.tokensOut(s));
        }
        if (b.traces.has(s, TraceIndex.DEFINITE)) {
          traces.markDefinite(slot);
        }
        continue;
      }
      // Take B's amounts out of where B put them; they go back below if we had not counted.
      if (mapped != SESSION_TARGET) {
        if (bCost) {
          addCost(acc(mapped), -b.traces.cost(s), b.traces.sounding(s), b.traces.step(s));
        }
        if (bTokens) {
          acc(mapped).tokensIn -= b.traces.tokensIn(s);
          acc(mapped).tokensOut -= b.traces.tokensOut(s);
        }
      }
      adoptCallIndex(mine, b.traces.sounding(s), b.traces.step(s));
      boolean takeB = rank(mapped, b.traces.has(s, TraceIndex.DEFINITE))
          > rank(traces.target(mine), traces.has(mine, TraceIndex.DEFINITE));
      if (takeB) {
        retarget(mine, mapped, b.traces.sounding(s), b.traces.step(s), b.traces.has(s, TraceIndex.DEFINITE));
      }
      int owner = traces.target(mine);
      if (owner == SESSION_TARGET) {
        continue;
      }
      if (bCost && !traces.has(mine, TraceIndex.COST_COUNTED)) {
        addCost(acc(owner), b.traces.cost(s), traces.sounding(mine), traces.step(mine));
        traces.countCost(mine, b.traces.cost(s));
      }
      if (bTokens && !traces.has(mine, TraceIndex.TOKENS_COUNTED)) {
        acc(owner).tokensIn += b.traces.tokensIn(s);
        acc(owner).tokensOut += b.traces.tokensOut(s);
        traces.countTokens(mine, b.traces.tokensIn(s), b.traces.tokensOut(s));
      }
    }
    for (Map.Entry<String, Integer> e : b.phaseRoots.entrySet()) {
      if (phaseRoots.size() < 2 * options.maxVisits()) {
        phaseRoots.putIfAbsent(e.getKey(), phaseMap[e.getValue()]);
      }
    }
    // 5. Visits: B's closes of our visits, B's first visit continuing our last, then the rest.
    for (Map.Entry<Integer, Double> e : b.pendingCloses.entrySet()) {
      closeVisitFromLater(phaseMap[e.getKey()], e.getValue());
    }
    for (int i = 0; i < groupMap.length; i++) {
      double close = b.groups.get(i).acc.closeTs;
      if (!Double.isNaN(close) && groupMap[i] >= 0 && b.groups.get(i).fallback < 0) {
        closeVisitFromLater(groupMap[i], close); // came before B's first phase start
      }
    }
    Visit bCurrentMapped = null;
    for (int i = 0; i < b.visits.size(); i++) {
      Visit bv = b.visits.get(i);
      Visit v = bv.copy();
      v.phase = phaseMap[bv.phase];
      if (i == 0 && continues(v)) {
        Visit last = current;
        byte firstBit = firstKind(bv);
        if (last.kinds != 0 && Double.isNaN(last.secondStartTs)) {
          last.secondStartTs = bv.startTs; // B's first start row is our visit's second one
          last.secondKind = firstBit;
        }
        last.kinds |= firstBit;
        if (!Double.isNaN(bv.secondStartTs) && (last.kinds & bv.secondKind) != 0) {
          Visit split = new Visit(v.phase, bv.secondStartTs, bv.secondKind);
          split.closeTs = bv.closeTs;
          addVisit(split);
          current = split;
        } else {
          last.kinds |= bv.kinds;
          last.closeTs = bv.closeTs;
          if (Double.isNaN(last.secondStartTs) && !Double.isNaN(bv.secondStartTs)) {
            last.secondStartTs = bv.secondStartTs;
            last.secondKind = bv.secondKind;
          }
        }
      } else {
        addVisit(v);
        current = v;
      }
      if (bv == b.current) {
        bCurrentMapped = current;
      }
    }
    if (b.current != null && bCurrentMapped == null) {
      // B's current visit did not fit in its list: keep following it.
      Visit v = b.current.copy();
      v.phase = phaseMap[b.current.phase];
      current = v;
    }
    for (int i = 0; i < groupMap.length; i++) {
      double close = b.groups.get(i).acc.closeTs;
      if (!Double.isNaN(close) && groupMap[i] >= 0 && b.groups.get(i).fallback >= 0) {
        closeLatestVisitStartedBy(groupMap[i], close);
      }
    }
    // 6. Session-wide values.
    if (b.sessionId != null && (sessionId == null || b.sessionIdTs < sessionIdTs)) {
      sessionId = b.sessionId;
      sessionIdTs = b.sessionIdTs;
    }
    if (b.startCascadeId != null && (startCascadeId == null || b.startCascadeTs < startCascadeTs)) {
      startCascadeId = b.startCascadeId;
      startCascadeTs = b.startCascadeTs;
    }
    if (b.anyCascadeId != null && (anyCascadeId == null || b.anyCascadeTs < anyCascadeTs)) {
      anyCascadeId = b.anyCascadeId;
      anyCascadeTs = b.anyCascadeTs;
    }
    if (!Double.isNaN(b.firstTs) && (Double.isNaN(firstTs) || b.firstTs < firstTs)) {
      firstTs = b.firstTs;
    }
    if (!Double.isNaN(b.lastTs) && (Double.isNaN(lastTs) || b.lastTs > lastTs)) {
      lastTs = b.lastTs;
    }
    if (b.terminal != PhaseAccumulator.NONE && PhaseAccumulator.newer(b.terminalTs, terminalTs)) {
      terminalTs = b.terminalTs;
      terminal = b.terminal;
      terminalError = b.terminalError;
    }
    rows += b.rows;
    duplicates += b.duplicates;
    warnings.absorb(b.warnings);
    if (b.rows > 0 || b.duplicates > 0) {
      windowTs = b.windowTs;
      windowSize = b.windowSize;
      System.arraycopy(b.windowMessageIds, 0, windowMessageIds, 0, DEDUP_WINDOW);
      System.arraycopy(b.windowTraceIds, 0, windowTraceIds, 0, DEDUP_WINDOW);
      System.arraycopy(b.windowNodeTypes, 0, windowNodeTypes, 0, DEDUP_WINDOW);
    }
  }

  private static byte firstKind(Visit v) {
    if (Double.isNaN(v.secondStartTs)) {
      return v.kinds;
    }
    return (byte) (v.kinds & ~v.secondKind);
  }

  /** Whether a later part's first visit is the same visit as our open last one. */
  private boolean continues(Visit first) {
    Visit last = current;
    return last != null && last.phase == first.phase && Double.isNaN(last.closeTs)
        && (last.kinds & firstKind(first)) == 0;
  }

  private void closeLatestVisitStartedBy(int phase, double ts) {
    for (int i = visits.size() - 1; i >= 0; i--) {
      Visit v = visits.get(i);
      if (v.phase == phase && !(v.startTs > ts)) {
        if (Double.isNaN(v.closeTs) || ts < v.closeTs) {
          v.closeTs = ts; // the earliest complete row closes a visit
        }
        return;
      }
    }
  }

  private void closeVisitFromLater(int phase, double ts) {
    if (current != null && current.phase == phase) {
      if (Double.isNaN(current.closeTs) || ts < current.closeTs) {
        current.closeTs = ts;
      }
      return;
    }
    for (int i = visits.size() - 1; i >= 0; i--) {
      Visit v = visits.get(i);
      if (v.phase == phase) {
        if (Double.isNaN(v.closeTs) || ts < v.closeTs) {
          v.closeTs = ts; // the earliest complete row closes a visit
        }
        return;
      }
    }
    pendingCloses.putIfAbsent(phase, ts);
  }

  // ---------------------------------------------------------------- small state types

  /** One run of a phase, from its start row to its complete row or the next phase's start. */
  static final class Visit {
    int phase;
    final double startTs;
    double closeTs = Double.NaN;
    byte kinds;
    double secondStartTs = Double.NaN;
    byte secondKind;

    Visit(int phase, double startTs, byte kinds) {
      this.phase = phase;
      this.startTs = startTs;
      this.kinds = kinds;
    }

    Visit copy() {
      Visit v = new Visit(phase, startTs, kinds);
      v.closeTs = closeTs;
      v.secondStartTs = secondStartTs;
      v.secondKind = secondKind;
      return v;
    }
  }

  /**
   * Rows whose phase this part cannot know yet: they descend from a trace it has not seen ({@code
   * key} = that parent), price a call it has not seen ({@code costByTrace}, key = the call's
   * trace), or came before this part's first phase start ({@code key} null). {@code fallback} is
   * the phase that was running here when they came (-1: none yet).
   */
  record GroupKey(String key, boolean costByTrace, int fallback) {}

  static final class Group {
    final GroupKey key;
    final int fallback;
    final PhaseAccumulator acc = new PhaseAccumulator(null);

    Group(GroupKey key, int fallback) {
      this.key = key;
      this.fallback = fallback;
    }
  }

  /** Warnings counted by kind, with the first few in words. */
  static final class Warnings {
    private final int maxSamples;
    final LinkedHashMap<String, long[]> counts = new LinkedHashMap<>();
    final List<String> samples = new ArrayList<>();
    long total;

    Warnings(int maxSamples) {
      this.maxSamples = maxSamples;
    }

    void add(String kind, String detail) {
      add(kind, detail, 1);
    }

    void add(String kind, String detail, long n) {
      counts.computeIfAbsent(kind, k -> new long[1])[0] += n;
      total += n;
      if (samples.size() < maxSamples) {
        samples.add(kind + ": " + detail);
      }
    }

    void absorb(Warnings other) {
      for (Map.Entry<String, long[]> e : other.counts.entrySet()) {
        counts.computeIfAbsent(e.getKey(), k -> new long[1])[0] += e.getValue()[0];
      }
      total += other.total;
      for (String s : other.samples) {
        if (samples.size() < maxSamples) {
          samples.add(s);
        }
      }
    }
  }
}
