package dev.execflow.assemble;

import dev.execflow.spi.WarningCounter;
import dev.execflow.spi.WarningKind;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * The phases of a fold by first sight, and the groups of rows whose phase this part cannot know
 * yet. A target is an int: {@code >= 0} a phase, {@code < 0} a pending group ({@code -index - 1}),
 * {@link #SESSION} a session row's trace.
 */
final class PhaseTable {
  static final int SESSION = Integer.MIN_VALUE;
  static final int NONE = -1;
  static final String PHASE_LIMIT_KEY = "\u0000phase-limit";

  private final Map<String, Integer> index = new HashMap<>();
  final List<PhaseAccumulator> phases = new ArrayList<>();
  private final Map<GroupKey, Integer> groupIndex = new HashMap<>();
  final List<Group> groups = new ArrayList<>();
  /** The last phase name looked up and its index: runs of rows name the same phase. */
  private String lastName;
  private int lastIndex;

  /**
   * Rows whose phase this part cannot know yet: they descend from a trace it has not seen ({@code
   * key} = that parent), price a call it has not seen ({@code costByTrace}, key = the call's
   * trace), or came before this part's first phase start ({@code key} null). {@code fallback} is
   * the phase that was running here when they came ({@link #NONE}: none yet).
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

  PhaseAccumulator acc(int target) {
    return target >= 0 ? phases.get(target) : groups.get(-target - 1).acc;
  }

  /** The phase called {@code name}, added on first sight (within the bound). */
  int phase(String name, AssemblyOptions options, WarningCounter warnings) {
    if (name == lastName) {
      return lastIndex;
    }
    Integer i = index.get(name);
    int found;
    if (i != null) {
      found = i;
    } else if (phases.size() >= options.maxPhases()) {
      warnings.add(WarningKind.PHASE_LIMIT, "phase " + RowText.quote(name) + " beyond " + options.maxPhases() + " phases");
      return group(PHASE_LIMIT_KEY, false, NONE, options, warnings);
    } else {
      phases.add(new PhaseAccumulator(name));
      found = phases.size() - 1;
      index.put(name, found);
    }
    lastName = name;
    lastIndex = found;
    return found;
  }

  /** The pending group of rows under {@code key} that came while {@code fallback} was running. */
  int group(String key, boolean costByTrace, int fallback, AssemblyOptions options, WarningCounter warnings) {
    GroupKey gk = new GroupKey(key, costByTrace, fallback);
    Integer i = groupIndex.get(gk);
    if (i == null) {
      if (groups.size() >= options.maxPendingGroups()) {
        // Out of room: treat the row as if nothing earlier could place it.
        warnings.add(WarningKind.PENDING_LIMIT, "more than " + options.maxPendingGroups() + " groups of unplaced rows");
        if (fallback >= 0) {
          return fallback;
        }
        gk = new GroupKey(null, false, NONE);
        i = groupIndex.get(gk);
        if (i != null) {
          return -i - 1;
        }
      }
      groups.add(new Group(gk, fallback));
      i = groups.size() - 1;
      groupIndex.put(gk, i);
    }
    return -i - 1;
  }

  PhaseTable copy() {
    PhaseTable c = new PhaseTable();
    c.index.putAll(index);
    for (PhaseAccumulator p : phases) {
      c.phases.add(p.copy(p.name));
    }
    for (Group g : groups) {
      Group copy = new Group(g.key, g.fallback);
      copy.acc.absorb(g.acc, Integer.MAX_VALUE, Integer.MAX_VALUE, Integer.MAX_VALUE);
      c.groups.add(copy);
      c.groupIndex.put(g.key, c.groups.size() - 1);
    }
    return c;
  }

  /** Merge step 1: a later part's phases, by name, onto ours. */
  int[] mapPhases(PhaseTable later, AssemblyOptions options, WarningCounter warnings) {
    int[] map = new int[later.phases.size()];
    for (int i = 0; i < map.length; i++) {
      map[i] = phase(later.phases.get(i).name, options, warnings);
    }
    return map;
  }

  /** Merge step 3: a later part's phase states and groups onto the places the maps give them. */
  void absorbStates(PhaseTable later, int[] phaseMap, int[] groupMap, AssemblyOptions options,
      WarningCounter warnings) {
    int attempts = options.maxAttemptsPerPhase();
    int steps = options.maxReforgeSteps();
    int wards = options.maxWardsPerKind();
    int dropped = 0;
    for (int i = 0; i < phaseMap.length; i++) {
      dropped += acc(phaseMap[i]).absorb(later.phases.get(i), attempts, steps, wards);
    }
    for (int i = 0; i < groupMap.length; i++) {
      dropped += acc(groupMap[i]).absorb(later.groups.get(i).acc, attempts, steps, wards);
    }
    if (dropped > 0) {
      warnings.add(WarningKind.MERGE_LIMIT, dropped + " attempts, steps or wards did not fit when merging parts");
    }
  }

  /** Where a later part's target goes in this part. */
  static int map(int laterTarget, int[] phaseMap, int[] groupMap) {
    return laterTarget == SESSION ? SESSION : laterTarget >= 0 ? phaseMap[laterTarget] : groupMap[-laterTarget - 1];
  }
}
