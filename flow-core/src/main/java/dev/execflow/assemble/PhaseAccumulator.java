package dev.execflow.assemble;

import dev.execflow.model.WardKind;
import dev.execflow.spi.LogRow;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/**
 * The mergeable state of one phase (or of a group of rows whose phase is not known yet): sums,
 * minima and maxima, and "latest event wins" values kept with their timestamps, so that folding two
 * contiguous parts of a session and {@linkplain #absorb merging} them gives what folding the whole
 * would. Ties on a timestamp go to the later row, and in a merge to the later part.
 */
final class PhaseAccumulator {
  static final int MAX_MODELS = 8;
  static final int MAX_SUB_CASCADES = 32;
  static final int MAX_STEP_ATTEMPTS = 64;

  final String name;
  long costPicos;
  long tokensIn;
  long tokensOut;
  long rows;
  int turnCount;
  int maxTurns = LogRow.NO_INT;
  double firstTs = Double.NaN;
  double lastTs = Double.NaN;
  double lifeTs = Double.NaN;
  Lifecycle life = Lifecycle.NONE;
  double errorTs = Double.NaN;
  String error;
  /** Model name -> first use; listed by first use (a merge can add them out of order). */
  FirstSeen models;
  double handoffsTs = Double.NaN;
  List<String> declaredHandoffs;
  FirstSeen subCascades;
  boolean hasSoundings;
  TreeMap<Integer, Attempt> attempts;
  /** The attempt looked up last (never removed from {@code attempts}, so the cache stays valid). */
  private int lastAttemptIndex = LogRow.NO_INT;
  private Attempt lastAttempt;
  double winnerTs = Double.NaN;
  int winner = LogRow.NO_INT;
  boolean hasReforge;
  boolean thresholdMet;
  TreeMap<Integer, Step> steps;
  /** For a group of unplaced rows: the earliest phase-complete row among them, to close a visit once placed. */
  double closeTs = Double.NaN;
  /** Per ward kind, the latest block that named no validator (it blocked the ward that ran last). */
  double[] anonymousBlockTs;
  String[] anonymousBlockReason;
  /** Ward results per kind (pre, post, turn), keyed by validator in order of first run. */
  List<LinkedHashMap<String, Ward>> wards;

  PhaseAccumulator(String name) {
    this.name = name;
  }

  static final class Attempt {
    long costPicos;
    /** A row of this attempt was seen here (not only a cost routed through while its call moved). */
    boolean seen;
    double statusTs = Double.NaN;
    Lifecycle status = Lifecycle.NONE;
    double previewTs = Double.NaN;
    String preview;

    Attempt copy() {
      Attempt a = new Attempt();
      a.costPicos = costPicos;
      a.seen = seen;
      a.statusTs = statusTs;
      a.status = status;
      a.previewTs = previewTs;
      a.preview = preview;
      return a;
    }

    void absorb(Attempt later) {
      costPicos = Pricing.add(costPicos, later.costPicos);
      seen |= later.seen;
      if (newer(later.statusTs, statusTs) && later.status != Lifecycle.NONE) {
        statusTs = later.statusTs;
        status = later.status;
      }
      if (later.preview != null && newer(later.previewTs, previewTs)) {
        previewTs = later.previewTs;
        preview = later.preview;
      }
    }
  }

  static final class Step {
    long costPicos;
    /** A row of this step was seen here (see {@link Attempt#seen}). */
    boolean seen;
    double winnerTs = Double.NaN;
    int winner = LogRow.NO_INT;
    List<Integer> attemptIndexes;

    Step copy() {
      Step s = new Step();
      s.costPicos = costPicos;
      s.seen = seen;
      s.winnerTs = winnerTs;
      s.winner = winner;
      s.attemptIndexes = attemptIndexes == null ? null : new ArrayList<>(attemptIndexes);
      return s;
    }

    /** Records an attempt index; false when the step already holds its bound of distinct ones. */
    boolean addAttempt(int index) {
      if (attemptIndexes == null) {
        attemptIndexes = new ArrayList<>(4);
      }
      if (attemptIndexes.contains(index)) {
        return true;
      }
      if (attemptIndexes.size() >= MAX_STEP_ATTEMPTS) {
        return false;
      }
      attemptIndexes.add(index);
      return true;
    }

    void absorb(Step later) {
      costPicos = Pricing.add(costPicos, later.costPicos);
      seen |= later.seen;
      if (later.winner != LogRow.NO_INT && newer(later.winnerTs, winnerTs)) {
        winnerTs = later.winnerTs;
        winner = later.winner;
      }
      if (later.attemptIndexes != null) {
        for (int i : later.attemptIndexes) {
          addAttempt(i);
        }
      }
    }
  }

  static final class Ward {
    double firstTs = Double.NaN;
    double ts = Double.NaN;
    Boolean valid;
    String reason;
    String mode;
    double blockedTs = Double.NaN;
    String blockReason;

    Ward copy() {
      Ward w = new Ward();
      w.firstTs = firstTs;
      w.ts = ts;
      w.valid = valid;
      w.reason = reason;
      w.mode = mode;
      w.blockedTs = blockedTs;
      w.blockReason = blockReason;
      return w;
    }

    void absorb(Ward later) {
      firstTs = Extremes.min(firstTs, later.firstTs);
      if (!Double.isNaN(later.ts) && newer(later.ts, ts)) {
        ts = later.ts;
        valid = later.valid;
        reason = later.reason;
        mode = later.mode;
      }
      if (!Double.isNaN(later.blockedTs) && (Double.isNaN(blockedTs) || later.blockedTs < blockedTs)) {
        blockedTs = later.blockedTs;
        blockReason = later.blockReason;
      }
    }
  }

  /** Whether an event at {@code candidate} replaces one at {@code current} (later or equal wins). */
  static boolean newer(double candidate, double current) {
    return Double.isNaN(current) || !(candidate < current);
  }

  void touch(double ts) {
    rows++;
    if (!Double.isNaN(ts)) {
      firstTs = Extremes.min(firstTs, ts);
      lastTs = Extremes.max(lastTs, ts);
    }
  }

  void lifecycle(Lifecycle event, double ts) {
    if (newer(ts, lifeTs)) {
      lifeTs = ts;
      life = event;
    }
  }

  void error(String message, double ts) {
    if (newer(ts, errorTs)) {
      errorTs = ts;
      error = message;
    }
  }

  void turn(int count) {
    if (count > turnCount) {
      turnCount = count;
    }
  }

  void maxTurns(int limit) {
    if (limit != LogRow.NO_INT && (maxTurns == LogRow.NO_INT || limit > maxTurns)) {
      maxTurns = limit;
    }
  }

  void model(String model, double ts) {
    if (models == null) {
      models = new FirstSeen(MAX_MODELS);
    }
    models.see(model, ts);
  }

  void handoffs(List<String> targets, double ts) {
    if (newer(ts, handoffsTs)) {
      handoffsTs = ts;
      declaredHandoffs = targets;
    }
  }

  void subCascade(String sessionId, double ts) {
    if (subCascades == null) {
      subCascades = new FirstSeen(MAX_SUB_CASCADES);
    }
    subCascades.see(sessionId, ts);
  }

  /** The attempt for a sounding index, created if there is room; null when the bound is reached. */
  /** The attempt a row of this phase names (created within {@code bound}), or null if it did not fit. */
  Attempt attempt(int index, int bound) {
    hasSoundings = true;
    Attempt a = attemptSlot(index, bound);
    if (a != null) {
      a.seen = true;
    }
    return a;
  }

  /** The attempt's state without evidence that it ran here: for costs and merges. */
  private Attempt attemptSlot(int index, int bound) {
    if (index == lastAttemptIndex && lastAttempt != null) {
      return lastAttempt; // rows of one attempt come in runs
    }
    if (attempts == null) {
      attempts = new TreeMap<>();
    }
    Attempt a = attempts.get(index);
    if (a == null && attempts.size() < bound) {
      a = new Attempt();
      attempts.put(index, a);
    }
    lastAttemptIndex = index;
    lastAttempt = a;
    return a;
  }

  /** The reforge step a row of this phase names (created within {@code bound}), or null. */
  Step step(int index, int bound) {
    hasReforge = true;
    Step s = stepSlot(index, bound);
    if (s != null) {
      s.seen = true;
    }
    return s;
  }

  private Step stepSlot(int index, int bound) {
    if (steps == null) {
      steps = new TreeMap<>();
    }
    Step s = steps.get(index);
    if (s == null && steps.size() < bound) {
      s = new Step();
      steps.put(index, s);
    }
    return s;
  }

  void winner(int index, double ts) {
    hasSoundings = true;
    if (newer(ts, winnerTs)) {
      winnerTs = ts;
      winner = index;
    }
  }

  void anonymousBlock(WardKind ward, double ts, String reason) {
    int kind = ward.ordinal();
    if (anonymousBlockTs == null) {
      anonymousBlockTs = new double[] {Double.NaN, Double.NaN, Double.NaN};
      anonymousBlockReason = new String[3];
    }
    if (newer(ts, anonymousBlockTs[kind])) {
      anonymousBlockTs[kind] = ts;
      anonymousBlockReason[kind] = reason;
    }
  }

  LinkedHashMap<String, Ward> wards(WardKind ward) {
    int kind = ward.ordinal();
    if (wards == null) {
      wards = new ArrayList<>(3);
      for (int i = 0; i < 3; i++) {
        wards.add(new LinkedHashMap<>(4));
      }
    }
    return wards.get(kind);
  }

  /**
   * Adds a priced amount (or takes one back). Cost goes to the phase, and to the attempt or reforge
   * step of the call when it has one (reforge rows carry a sounding index too: they are not
   * soundings); pricing a call creates its attempt or step, taking back never does.
   */
  /** Adds tokens (or takes them back), saturating rather than wrapping around. */
  void addTokens(long in, long out) {
    tokensIn = Pricing.add(tokensIn, in);
    tokensOut = Pricing.add(tokensOut, out);
  }

  void addCost(long picos, int soundingIndex, int reforgeStep, int attemptBound, int stepBound) {
    costPicos = Pricing.add(costPicos, picos);
    if (reforgeStep >= 0) {
      Step s = picos > 0 ? stepSlot(reforgeStep, stepBound) : steps == null ? null : steps.get(reforgeStep);
      if (s != null) {
        s.costPicos = Pricing.add(s.costPicos, picos);
      }
    } else if (soundingIndex >= 0) {
      Attempt a = picos > 0 ? attemptSlot(soundingIndex, attemptBound)
          : attempts == null ? null : attempts.get(soundingIndex);
      if (a != null) {
        a.costPicos = Pricing.add(a.costPicos, picos);
      }
    }
  }

  PhaseAccumulator copy(String newName) {
    PhaseAccumulator c = new PhaseAccumulator(newName);
    c.absorb(this, Integer.MAX_VALUE, Integer.MAX_VALUE, Integer.MAX_VALUE);
    return c;
  }

  /**
   * Folds the state of a later part of the session (or of a resolved group) into this one.
   *
   * @return how many attempts, steps or wards were dropped for lack of room
   */
  int absorb(PhaseAccumulator later, int attemptBound, int stepBound, int wardBound) {
    int dropped = 0;
    costPicos = Pricing.add(costPicos, later.costPicos);
    addTokens(later.tokensIn, later.tokensOut);
    rows += later.rows;
    turn(later.turnCount);
    maxTurns(later.maxTurns);
    firstTs = Extremes.min(firstTs, later.firstTs);
    lastTs = Extremes.max(lastTs, later.lastTs);
    if (later.life != Lifecycle.NONE) {
      lifecycle(later.life, later.lifeTs);
    }
    closeTs = Extremes.min(closeTs, later.closeTs);
    if (later.error != null) {
      error(later.error, later.errorTs);
    }
    if (later.models != null) {
      if (models == null) {
        models = new FirstSeen(MAX_MODELS);
      }
      models.absorb(later.models);
    }
    if (later.declaredHandoffs != null) {
      handoffs(later.declaredHandoffs, later.handoffsTs);
    }
    if (later.subCascades != null) {
      if (subCascades == null) {
        subCascades = new FirstSeen(MAX_SUB_CASCADES);
      }
      subCascades.absorb(later.subCascades);
    }
    hasSoundings |= later.hasSoundings;
    if (later.attempts != null) {
      for (Map.Entry<Integer, Attempt> e : later.attempts.entrySet()) {
        Attempt mine = attemptSlot(e.getKey(), attemptBound);
        if (mine == null) {
          dropped++;
        } else {
          mine.absorb(e.getValue());
        }
      }
    }
    if (later.winner != LogRow.NO_INT) {
      winner(later.winner, later.winnerTs);
    }
    if (later.anonymousBlockTs != null) {
      for (WardKind kind : WardKind.values()) {
        if (!Double.isNaN(later.anonymousBlockTs[kind.ordinal()])) {
          anonymousBlock(kind, later.anonymousBlockTs[kind.ordinal()], later.anonymousBlockReason[kind.ordinal()]);
        }
      }
    }
    hasReforge |= later.hasReforge;
    thresholdMet |= later.thresholdMet;
    if (later.steps != null) {
      for (Map.Entry<Integer, Step> e : later.steps.entrySet()) {
        Step mine = stepSlot(e.getKey(), stepBound);
        if (mine == null) {
          dropped++;
        } else {
          mine.absorb(e.getValue());
        }
      }
    }
    if (later.wards != null) {
      for (WardKind kind : WardKind.values()) {
        LinkedHashMap<String, Ward> mine = wards(kind);
        for (Map.Entry<String, Ward> e : later.wards.get(kind.ordinal()).entrySet()) {
          Ward w = mine.get(e.getKey());
          if (w == null) {
            if (mine.size() >= wardBound) {
              dropped++;
              continue;
            }
            w = new Ward();
            mine.put(e.getKey(), w);
          }
          w.absorb(e.getValue());
        }
      }
    }
    return dropped;
  }
}
