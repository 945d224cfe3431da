package dev.execflow.assemble;

import dev.execflow.model.ExecutionData;
import dev.execflow.model.PhaseDetails;
import dev.execflow.model.PhaseExecution;
import dev.execflow.model.Reforge;
import dev.execflow.model.ReforgeStep;
import dev.execflow.model.SoundingAttempt;
import dev.execflow.model.Soundings;
import dev.execflow.model.Status;
import dev.execflow.model.Summary;
import dev.execflow.model.Transition;
import dev.execflow.model.WardResult;
import dev.execflow.model.WardKind;
import dev.execflow.spi.WarningCounter;
import dev.execflow.spi.WarningKind;
import dev.execflow.spi.LogRow;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/** Turns an assembler's state into {@link ExecutionData} without changing the state. */
final class Snapshot {
  private static final double PICOS = 1e12;

  private Snapshot() {}

  /** One entry of the executed path: a visit, or the first sight of a phase that never started. */
  private record Entry(int phase, double start, double close) {}

  static ExecutionData of(ExecutionAssembler a) {
    AssemblyOptions options = a.options();
    WarningCounter warnings = a.warningsState().copy();
    SessionFacts facts = a.facts();

    // Rows still waiting for an earlier part: with none to come, they go to the phase that was
    // running when they arrived, or nowhere.
    List<PhaseAccumulator> state = a.phases();
    PhaseAccumulator[] view = state.toArray(new PhaseAccumulator[0]);
    boolean[] copied = new boolean[view.length];
    long unattributedPicos = 0;
    long unattributedRows = 0;
    for (PhaseTable.Group g : a.groups()) {
      PhaseTable.GroupKey key = g.key;
      if (g.fallback >= 0) {
        int p = g.fallback;
        if (!copied[p]) {
          view[p] = view[p].copy(view[p].name);
          copied[p] = true;
        }
        view[p].absorb(g.acc, options.maxAttemptsPerPhase(), options.maxReforgeSteps(), options.maxWardsPerKind());
        if (key.costByTrace()) {
          warnings.add(WarningKind.COST_UPDATE_UNMATCHED, "a cost_update for unknown call " + key.key()
              + " was priced on the running phase " + view[p].name);
        } else {
          warnings.add(WarningKind.PARENT_NOT_FOUND, g.acc.rows + " row(s) under unknown parent " + key.key()
              + " were placed in the running phase " + view[p].name, g.acc.rows);
        }
      } else {
        unattributedPicos += g.acc.costPicos;
        unattributedRows += g.acc.rows;
      }
    }
    if (unattributedPicos != 0) {
      warnings.add(WarningKind.UNATTRIBUTED_COST, unattributedRows + " row(s) with cost came before any phase started");
    }

    // The executed path: visits, plus phases seen only through other rows at their first row.
    List<Entry> entries = new ArrayList<>();
    boolean[] visited = new boolean[view.length];
    for (VisitLog.Visit v : a.visits()) {
      entries.add(new Entry(v.phase, v.startTs, v.closeTs));
      visited[v.phase] = true;
    }
    boolean implicit = false;
    for (int p = 0; p < view.length; p++) {
      if (!visited[p] && view[p].rows > 0) {
        entries.add(new Entry(p, view[p].firstTs, Double.NaN));
        implicit = true;
      }
    }
    if (implicit) {
      entries.sort(Comparator.comparingDouble(Entry::start)); // stable: visits first on ties
    }

    Lifecycle terminal = facts.terminal;
    double sessionEnd;
    if (terminal != Lifecycle.NONE) {
      sessionEnd = facts.terminalTs;
    } else if (options.clock() != null) {
      double now = options.clock().millis() / 1000.0;
      sessionEnd = Double.isNaN(facts.lastTs) ? now : Math.max(now, facts.lastTs);
    } else {
      sessionEnd = facts.lastTs;
    }
    int running = a.current() != null ? a.current().phase
        : entries.isEmpty() ? -1 : entries.get(entries.size() - 1).phase();

    double[] duration = new double[view.length];
    double[] startedAt = new double[view.length];
    double[] endedAt = new double[view.length];
    int[] visits = new int[view.length];
    java.util.Arrays.fill(startedAt, Double.NaN);
    List<String> path = new ArrayList<>(entries.size());
    List<Transition> transitions = new ArrayList<>();
    Map<String, String> handoffs = new LinkedHashMap<>();
    for (int i = 0; i < entries.size(); i++) {
      Entry e = entries.get(i);
      Entry next = i + 1 < entries.size() ? entries.get(i + 1) : null;
      double end = !Double.isNaN(e.close()) ? e.close() : next != null ? next.start() : sessionEnd;
      double d = end - e.start();
      duration[e.phase()] += Double.isNaN(d) || d < 0 ? 0 : d;
      if (Double.isNaN(startedAt[e.phase()])) {
        startedAt[e.phase()] = e.start();
      }
      endedAt[e.phase()] = end;
      visits[e.phase()]++;
      String name = view[e.phase()].name;
      path.add(name);
      if (next != null) {
        String to = view[next.phase()].name;
        transitions.add(new Transition(name, to, nullable(next.start())));
        handoffs.put(name, to);
      }
    }

    Map<String, PhaseExecution> phases = new LinkedHashMap<>();
    long totalIn = 0;
    long totalOut = 0;
    long totalPicos = 0; // summed exactly, converted once: a sum of doubles drifts (0.1 + 0.2)
    for (int p = 0; p < view.length; p++) {
      PhaseAccumulator acc = view[p];
      Status status = status(acc, p == running, terminal);
      boolean open = status == Status.RUNNING;
      PhaseExecution pe = PhaseExecution.builder()
          .status(status)
          .cost(acc.costPicos / PICOS)
          .duration(duration[p])
          .turnCount(acc.turnCount)
          .soundingWinner(winner(acc, warnings))
          .details(details(acc, status, warnings))
          .visits(visits[p])
          .startedAt(nullable(Double.isNaN(startedAt[p]) ? acc.firstTs : startedAt[p]))
          .endedAt(open ? null : nullable(visits[p] > 0 ? endedAt[p] : acc.lastTs))
          .tokensIn(acc.tokensIn)
          .tokensOut(acc.tokensOut)
          .models(FirstSeen.byFirstSeen(acc.models))
          .maxTurns(acc.maxTurns == LogRow.NO_INT ? null : acc.maxTurns)
          .rowCount(acc.rows)
          .error(acc.error)
          .declaredHandoffs(acc.declaredHandoffs)
          .subCascades(FirstSeen.byFirstSeen(acc.subCascades))
          .build();
      phases.put(acc.name, pe);
      totalPicos += acc.costPicos;
      totalIn = Pricing.add(totalIn, acc.tokensIn);
      totalOut = Pricing.add(totalOut, acc.tokensOut);
    }

    Status sessionStatus = terminal == Lifecycle.COMPLETED ? Status.COMPLETED
        : terminal == Lifecycle.FAILED ? Status.ERROR : Status.RUNNING;
    double first = facts.firstTs;
    double totalDuration = Double.isNaN(first) || Double.isNaN(sessionEnd) ? 0 : Math.max(0, sessionEnd - first);
    Summary summary = Summary.builder()
        .phaseCount(phases.size())
        .totalCost(totalPicos / PICOS)
        .totalDuration(totalDuration)
        .status(sessionStatus)
        .rowCount(a.rows())
        .tokensIn(totalIn)
        .tokensOut(totalOut)
        .startedAt(nullable(first))
        .endedAt(terminal == Lifecycle.NONE ? null : nullable(facts.terminalTs))
        .unattributedCost(unattributedPicos / PICOS)
        .build();

    return new ExecutionData(facts.sessionId(), facts.cascadeId(), path, handoffs, phases, summary, transitions,
        null, warnings.toWarnings());
  }

  private static Status status(PhaseAccumulator acc, boolean isRunningPhase, Lifecycle terminal) {
    if (acc.life == Lifecycle.COMPLETED) {
      return Status.COMPLETED;
    }
    if (acc.life == Lifecycle.FAILED) {
      return Status.ERROR;
    }
    if (isRunningPhase) {
      return terminal == Lifecycle.NONE ? Status.RUNNING
          : terminal == Lifecycle.FAILED ? Status.ERROR : Status.COMPLETED;
    }
    return Status.COMPLETED; // it ended when the next phase started
  }

  private static Integer winner(PhaseAccumulator acc, WarningCounter warnings) {
    if (acc.winner == LogRow.NO_INT) {
      return null;
    }
    PhaseAccumulator.Attempt attempt = acc.attempts == null ? null : acc.attempts.get(acc.winner);
    if (attempt == null || !shown(attempt)) {
      return null; // its attempt did not fit: the limit was already counted
    }
    return acc.winner;
  }

  /**
   * An attempt or step is shown if a row of it was seen in this phase or cost is left on it: an
   * entry a moving call only passed through is not (so the output does not depend on the order in
   * which a call's rows placed it).
   */
  private static boolean shown(PhaseAccumulator.Attempt a) {
    return a.seen || a.costPicos != 0;
  }

  private static boolean shown(PhaseAccumulator.Step s) {
    return s.seen || s.costPicos != 0;
  }

  private static PhaseDetails details(PhaseAccumulator acc, Status phaseStatus, WarningCounter warnings) {
    Soundings soundings = null;
    boolean anyAttempt = acc.attempts != null && acc.attempts.values().stream().anyMatch(Snapshot::shown);
    if (acc.hasSoundings || anyAttempt) {
      Integer winner = winner(acc, warnings);
      List<SoundingAttempt> attempts = new ArrayList<>();
      if (acc.attempts != null) {
        for (Map.Entry<Integer, PhaseAccumulator.Attempt> e : acc.attempts.entrySet()) {
          PhaseAccumulator.Attempt at = e.getValue();
          if (!shown(at)) {
            continue;
          }
          Status s = at.status == Lifecycle.COMPLETED ? Status.COMPLETED
              : at.status == Lifecycle.FAILED ? Status.ERROR
              : phaseStatus == Status.RUNNING ? Status.RUNNING
              : phaseStatus == Status.ERROR ? Status.ERROR : Status.COMPLETED;
          attempts.add(new SoundingAttempt(e.getKey(), s, at.preview, at.costPicos / PICOS,
              winner != null && winner.intValue() == e.getKey()));
        }
      }
      soundings = new Soundings(winner, attempts);
    }
    Reforge reforge = null;
    boolean anyStep = acc.steps != null && acc.steps.values().stream().anyMatch(Snapshot::shown);
    if (acc.hasReforge || anyStep) {
      List<ReforgeStep> steps = new ArrayList<>();
      if (acc.steps != null) {
        for (Map.Entry<Integer, PhaseAccumulator.Step> e : acc.steps.entrySet()) {
          PhaseAccumulator.Step st = e.getValue();
          if (!shown(st)) {
            continue;
          }
          steps.add(new ReforgeStep(e.getKey(), st.winner == LogRow.NO_INT ? null : st.winner,
              st.attemptIndexes == null ? 0 : st.attemptIndexes.size(), st.costPicos / PICOS));
        }
      }
      reforge = new Reforge(steps, acc.thresholdMet);
    }
    Map<String, WardResult> wards = new LinkedHashMap<>();
    for (WardKind wardKind : WardKind.values()) {
      int kind = wardKind.ordinal();
      List<Map.Entry<String, PhaseAccumulator.Ward>> byFirstRun = acc.wards == null ? new ArrayList<>()
          : new ArrayList<>(acc.wards.get(kind).entrySet());
      byFirstRun.sort((x, y) -> Double.compare(firstSeen(x.getValue()), firstSeen(y.getValue())));
      double anonymousBlock = acc.anonymousBlockTs == null ? Double.NaN : acc.anonymousBlockTs[kind];
      String anonymousReason = acc.anonymousBlockTs == null ? null : acc.anonymousBlockReason[kind];
      // A block that names no validator blocked the ward of its kind that ran last before it.
      String blockedByAnonymous = null;
      if (!Double.isNaN(anonymousBlock)) {
        double latest = Double.NEGATIVE_INFINITY;
        for (Map.Entry<String, PhaseAccumulator.Ward> e : byFirstRun) {
          double ran = e.getValue().ts;
          if (!Double.isNaN(ran) && ran <= anonymousBlock && ran >= latest) {
            latest = ran;
            blockedByAnonymous = e.getKey();
          }
        }
      }
      int n = 0;
      for (Map.Entry<String, PhaseAccumulator.Ward> e : byFirstRun) {
        PhaseAccumulator.Ward w = e.getValue();
        boolean ran = !Double.isNaN(w.ts);
        boolean blocked = !Double.isNaN(w.blockedTs) || e.getKey().equals(blockedByAnonymous);
        wards.put(wardKind.key(n++), new WardResult(
            ran ? w.valid : Boolean.FALSE,
            ran ? w.reason : w.blockReason,
            e.getKey().isEmpty() ? null : e.getKey(), w.mode, blocked));
      }
      if (!Double.isNaN(anonymousBlock) && blockedByAnonymous == null) {
        wards.put(wardKind.key(n), new WardResult(false, anonymousReason, null, null, true));
      }
    }
    if (soundings == null && reforge == null && wards.isEmpty()) {
      return PhaseDetails.EMPTY;
    }
    return new PhaseDetails(soundings, reforge, wards);
  }

  /** When a ward first showed up: its first run, or the block that named it if earlier. */
  private static double firstSeen(PhaseAccumulator.Ward w) {
    if (Double.isNaN(w.firstTs)) {
      return w.blockedTs;
    }
    return Double.isNaN(w.blockedTs) ? w.firstTs : Math.min(w.firstTs, w.blockedTs);
  }

  private static Double nullable(double v) {
    return Double.isNaN(v) ? null : v;
  }
}
