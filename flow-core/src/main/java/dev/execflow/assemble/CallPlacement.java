package dev.execflow.assemble;

import dev.execflow.spi.LogRow;
import dev.execflow.spi.WarningCounter;
import dev.execflow.spi.WarningKind;
import java.util.HashMap;
import java.util.Map;

/**
 * Where each call (a {@code trace_id}) belongs and what it costs: rows without a phase name follow
 * their {@code parent_id} to the phase of the parent's call, and a call's cost and tokens are
 * counted once, on the phase (and sounding attempt or reforge step) the call belongs to. When a
 * later row places a call better, what was counted for it moves along ({@link #moveCounted}).
 */
final class CallPlacement {
  private final TraceIndex traces;
  /**
   * Trace ids of phase start rows: the roots most phase-less rows descend from. Kept apart from the
   * evicting trace index so that a long visit's late rows still find their phase.
   */
  private final Map<String, Integer> phaseRoots;

  CallPlacement(int capacity, int initialCapacity) {
    this(new TraceIndex(capacity, initialCapacity), new HashMap<>());
  }

  private CallPlacement(TraceIndex traces, Map<String, Integer> phaseRoots) {
    this.traces = traces;
    this.phaseRoots = phaseRoots;
  }

  CallPlacement copy() {
    return new CallPlacement(traces.copy(), new HashMap<>(phaseRoots));
  }

  /** See {@link ExecutionAssembler#mergesExactlyAfter}. */
  boolean mergesExactlyAfter(CallPlacement earlier) {
    return traces.forgotNoneOf(earlier.traces);
  }

  long evictions() {
    return traces.evictions();
  }

  /** A phase start row's trace: a root its phase-less descendants are placed by. */
  void root(String trace, int phase, AssemblyOptions options) {
    if (trace != null && phaseRoots.size() < 2 * options.maxVisits()) {
      phaseRoots.putIfAbsent(trace, phase);
    }
  }

  /** Where a row that is not a phase start belongs: its phase name, its parent, the running phase. */
  int resolve(LogRow row, PhaseTable phases, int running, AssemblyOptions options, WarningCounter warnings) {
    String name = RowText.nonEmpty(row.phaseName());
    if (name != null) {
      return phases.phase(name, options, warnings);
    }
    String parent = row.parentId();
    if (parent != null) {
      int slot = traces.find(parent);
      if (slot >= 0 && traces.target(slot) != PhaseTable.SESSION) {
        traces.touch(slot);
        return traces.target(slot);
      }
      Integer root = phaseRoots.get(parent);
      if (root != null) {
        return root;
      }
      if (slot < 0) {
        return phases.group(parent, false, running, options, warnings);
      }
    }
    return running != PhaseTable.NONE ? running : phases.group(null, false, PhaseTable.NONE, options, warnings);
  }

  /** Where a {@code cost_update} row for call {@code trace} goes, registering the call if new. */
  int costUpdate(String trace, String phaseName, PhaseTable phases, int running, AssemblyOptions options,
      WarningCounter warnings) {
    int slot = traces.find(trace);
    if (phaseName != null) {
      slot = register(trace, phases.phase(phaseName, options, warnings), LogRow.NO_INT, LogRow.NO_INT, true, phases,
          options);
    } else if (slot < 0 || traces.target(slot) == PhaseTable.SESSION) {
      // The priced call is unknown here: an earlier part may know it; else the running phase.
      int target = phases.group(trace, true, running, options, warnings);
      slot = slot >= 0 ? slot : traces.insert(trace, target, LogRow.NO_INT, LogRow.NO_INT);
      traces.setTarget(slot, target);
    }
    return slot;
  }

  int target(int slot) {
    return traces.target(slot);
  }

  /**
   * The slot of {@code trace} (inserted on first sight), or -1 for no trace. The first row of a
   * trace places it, unless a later row places it better (see {@link #rank}).
   */
  int register(String trace, int target, int sounding, int step, boolean definite, PhaseTable phases,
      AssemblyOptions options) {
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
      adoptCallIndex(slot, sounding, step, phases, options);
      if (rank(target, definite) > rank(traces.target(slot), traces.has(slot, TraceIndex.DEFINITE))) {
        retarget(slot, target, sounding, step, definite, phases, options);
      }
    }
    return slot;
  }

  /**
   * How much a trace's placement is worth: named by a phase (2) over inferred into a phase (1)
   * over still pending (0) over a session row's (-1). A trace moves only to a better placement.
   */
  private static int rank(int target, boolean definite) {
    return target == PhaseTable.SESSION ? -1 : definite ? 2 : target >= 0 ? 1 : 0;
  }

  /**
   * A call's sounding and reforge step are the first its rows name, whatever the order of its
   * rows: a call first seen through a row that names neither takes them from a later row, and
   * what was already counted for it moves to that attempt or step (so a split fold agrees).
   */
  private void adoptCallIndex(int slot, int sounding, int step, PhaseTable phases, AssemblyOptions options) {
    if ((sounding == LogRow.NO_INT && step == LogRow.NO_INT) || traces.target(slot) == PhaseTable.SESSION
        || traces.sounding(slot) != LogRow.NO_INT || traces.step(slot) != LogRow.NO_INT) {
      return;
    }
    int target = traces.target(slot);
    moveCounted(slot, target, target, sounding, step, phases, options, false);
    traces.retarget(slot, target, sounding, step);
  }

  /**
   * Points a trace at another phase, moving the cost and tokens already counted for it along. The
   * call's sounding and reforge step stay those of its first row (a session row's trace has none:
   * it takes {@code sounding} and {@code step}).
   */
  private void retarget(int slot, int target, int sounding, int step, boolean definite, PhaseTable phases,
      AssemblyOptions options) {
    int old = traces.target(slot);
    if (old != PhaseTable.SESSION) {
      sounding = traces.sounding(slot);
      step = traces.step(slot);
      moveCounted(slot, old, target, sounding, step, phases, options, true);
    }
    // Remember the group an inferred phase replaced: an earlier part may yet place that group in a
    // phase of equal rank, which (the first placement winning) would then have kept the trace.
    int r = rank(target, definite);
    traces.setPrevious(slot, old < 0 && old != PhaseTable.SESSION && r == 1 ? old
        : r == 1 ? traces.previous(slot) : TraceIndex.NO_PREVIOUS);
    traces.retarget(slot, target, sounding, step);
    if (definite) {
      traces.markDefinite(slot);
    }
  }

  /**
   * Moves what was counted for the call in {@code slot} from {@code from} (at the call's current
   * sounding and step) to {@code to} (at {@code sounding}/{@code step}); with {@code tokens}, its
   * tokens too. The one place a counted amount changes hands.
   */
  private void moveCounted(int slot, int from, int to, int sounding, int step, PhaseTable phases,
      AssemblyOptions options, boolean tokens) {
    if (traces.has(slot, TraceIndex.COST_COUNTED)) {
      long picos = traces.cost(slot);
      addCost(phases.acc(from), -picos, traces.sounding(slot), traces.step(slot), options);
      addCost(phases.acc(to), picos, sounding, step, options);
    }
    if (tokens && traces.has(slot, TraceIndex.TOKENS_COUNTED)) {
      phases.acc(from).addTokens(-traces.tokensIn(slot), -traces.tokensOut(slot));
      phases.acc(to).addTokens(traces.tokensIn(slot), traces.tokensOut(slot));
    }
  }

  private static void addCost(PhaseAccumulator acc, long picos, int sounding, int step, AssemblyOptions o) {
    acc.addCost(picos, sounding, step, o.maxAttemptsPerPhase(), o.maxReforgeSteps());
  }

  /** Counts a row's cost and tokens, once per call (the row's trace; {@code slot} -1: no trace). */
  void price(LogRow row, int slot, int target, int sounding, int step, PhaseTable phases, AssemblyOptions options,
      WarningCounter warnings) {
    double cost = row.cost();
    long in = row.tokensIn();
    long out = row.tokensOut();
    boolean hasTokens = in != LogRow.NO_LONG || out != LogRow.NO_LONG;
    if (Double.isNaN(cost) && !hasTokens) {
      return;
    }
    long picos = Pricing.picos(cost);
    if (picos == Pricing.NONE && !Double.isNaN(cost)) {
      warnings.add(WarningKind.BAD_COST, "cost " + cost + " ignored");
    }
    if (hasTokens) {
      in = tokens(in, warnings);
      out = tokens(out, warnings);
    }
    boolean hasCost = picos != Pricing.NONE;
    if (slot < 0) {
      PhaseAccumulator acc = phases.acc(target);
      if (hasCost) {
        addCost(acc, picos, sounding, step, options);
      }
      if (hasTokens) {
        acc.addTokens(in, out);
      }
      return;
    }
    // The call's cost goes where the call's first row went, not where a copy of it went.
    PhaseAccumulator callAcc = phases.acc(traces.target(slot));
    if (hasCost && !traces.has(slot, TraceIndex.COST_COUNTED)) {
      addCost(callAcc, picos, traces.sounding(slot), traces.step(slot), options);
      traces.countCost(slot, picos);
    }
    if (hasTokens && !traces.has(slot, TraceIndex.TOKENS_COUNTED)) {
      callAcc.addTokens(in, out);
      traces.countTokens(slot, in, out);
    }
  }

  /** A row's token count that no LLM call can have (negative, or beyond a trillion): counted as 0. */
  private static long tokens(long n, WarningCounter warnings) {
    if (n == LogRow.NO_LONG) {
      return 0;
    }
    if (n < 0 || n > MAX_ROW_TOKENS) {
      warnings.add(WarningKind.BAD_TOKENS, "token count " + n + " read as 0");
      return 0;
    }
    return n;
  }

  private static final long MAX_ROW_TOKENS = 1_000_000_000_000L;

  // ---------------------------------------------------------------- merge

  /** Merge step 2: places a later part's pending groups with what this (earlier) part knows. */
  int[] placeGroups(PhaseTable later, int[] phaseMap, int currentPhase, PhaseTable phases, AssemblyOptions options,
      WarningCounter warnings) {
    int[] groupMap = new int[later.groups.size()];
    for (int i = 0; i < groupMap.length; i++) {
      PhaseTable.Group g = later.groups.get(i);
      PhaseTable.GroupKey key = g.key;
      int fallback = g.fallback >= 0 ? phaseMap[g.fallback] : currentPhase;
      int slot = key.key() == null ? -1 : traces.find(key.key());
      Integer root = key.key() == null || key.costByTrace() ? null : phaseRoots.get(key.key());
      if (PhaseTable.PHASE_LIMIT_KEY.equals(key.key())) {
        groupMap[i] = phases.group(PhaseTable.PHASE_LIMIT_KEY, false, PhaseTable.NONE, options, warnings);
      } else if (root != null && (slot < 0 || traces.target(slot) == PhaseTable.SESSION)) {
        groupMap[i] = root;
      } else if (slot >= 0 && traces.target(slot) != PhaseTable.SESSION) {
        groupMap[i] = traces.target(slot);
      } else if ((slot >= 0 || key.key() == null) && fallback >= 0) {
        // Known to belong to no phase (or no parent at all): the running phase at the time.
        groupMap[i] = fallback;
      } else {
        groupMap[i] = phases.group(slot >= 0 ? null : key.key(), key.costByTrace() && slot < 0, fallback, options,
            warnings);
      }
    }
    return groupMap;
  }

  /**
   * Merge step 4: a later part's calls. Invariant of both parts: a call's counted cost and tokens
   * are held by its current target. A call both parts priced is counted once; a call goes to the
   * phase the first named row of the whole gave it.
   */
  void absorb(CallPlacement b, int[] phaseMap, int[] groupMap, PhaseTable phases, AssemblyOptions options) {
    TraceIndex bt = b.traces;
    traces.forgetAlso(bt);
    for (int s : bt.slotsByAge()) {
      int mapped = PhaseTable.map(bt.target(s), phaseMap, groupMap);
      boolean bCost = bt.has(s, TraceIndex.COST_COUNTED);
      boolean bTokens = bt.has(s, TraceIndex.TOKENS_COUNTED);
      boolean bDefinite = bt.has(s, TraceIndex.DEFINITE);
      int prev = bt.previous(s);
      if (prev != TraceIndex.NO_PREVIOUS && groupMap[-prev - 1] >= 0 && mapped >= 0) {
        // B inferred a phase for a trace it first had pending; we placed that pending group in a
        // phase already, and the first placement of equal rank stands: undo B's move.
        int back = groupMap[-prev - 1];
        b.moveCountedInto(s, mapped, back, phases, options);
        mapped = back;
      }
      int mine = traces.find(bt.key(s));
      if (mine < 0) {
        int slot = traces.insert(bt.key(s), mapped, bt.sounding(s), bt.step(s));
        traces.copyCounts(slot, bt, s);
        if (bDefinite) {
          traces.markDefinite(slot);
        }
        continue;
      }
      // Take B's amounts out of where B put them; they go back below if we had not counted.
      if (mapped != PhaseTable.SESSION) {
        b.moveCountedInto(s, mapped, PhaseTable.SESSION, phases, options);
      }
      adoptCallIndex(mine, bt.sounding(s), bt.step(s), phases, options);
      if (rank(mapped, bDefinite) > rank(traces.target(mine), traces.has(mine, TraceIndex.DEFINITE))) {
        retarget(mine, mapped, bt.sounding(s), bt.step(s), bDefinite, phases, options);
      }
      int owner = traces.target(mine);
      if (owner == PhaseTable.SESSION) {
        continue;
      }
      if (bCost && !traces.has(mine, TraceIndex.COST_COUNTED)) {
        addCost(phases.acc(owner), bt.cost(s), traces.sounding(mine), traces.step(mine), options);
        traces.countCost(mine, bt.cost(s));
      }
      if (bTokens && !traces.has(mine, TraceIndex.TOKENS_COUNTED)) {
        phases.acc(owner).addTokens(bt.tokensIn(s), bt.tokensOut(s));
        traces.countTokens(mine, bt.tokensIn(s), bt.tokensOut(s));
      }
    }
    for (Map.Entry<String, Integer> e : b.phaseRoots.entrySet()) {
      if (phaseRoots.size() < 2 * options.maxVisits()) {
        phaseRoots.putIfAbsent(e.getKey(), phaseMap[e.getValue()]);
      }
    }
  }

  /**
   * Moves what this (later) part counted for the call in {@code slot} from {@code from} to {@code
   * to} of the merged table ({@link PhaseTable#SESSION}: out of every phase), at the call's own
   * sounding and step.
   */
  private void moveCountedInto(int slot, int from, int to, PhaseTable merged, AssemblyOptions options) {
    if (traces.has(slot, TraceIndex.COST_COUNTED)) {
      addCost(merged.acc(from), -traces.cost(slot), traces.sounding(slot), traces.step(slot), options);
      if (to != PhaseTable.SESSION) {
        addCost(merged.acc(to), traces.cost(slot), traces.sounding(slot), traces.step(slot), options);
      }
    }
    if (traces.has(slot, TraceIndex.TOKENS_COUNTED)) {
      merged.acc(from).addTokens(-traces.tokensIn(slot), -traces.tokensOut(slot));
      if (to != PhaseTable.SESSION) {
        merged.acc(to).addTokens(traces.tokensIn(slot), traces.tokensOut(slot));
      }
    }
  }
}
