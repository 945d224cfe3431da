package dev.execflow.assemble;

import java.util.Arrays;

/**
 * The bounded {@code trace_id -> (phase, LLM call pricing)} index of one fold: which phase a
 * trace belongs to (so that phase-less rows can follow their {@code parent_id}) and whether that
 * call's cost and tokens were already counted.
 *
 * <p>A 4-way set-associative table of parallel arrays: lookups and inserts allocate nothing, and
 * when the table is full the oldest entry of a set is evicted, so memory stays bounded whatever
 * the session's length. It starts at up to 16,384 slots and doubles up to its capacity.
 */
final class TraceIndex {
  static final byte COST_COUNTED = 1;
  static final byte TOKENS_COUNTED = 2;
  /** The target came from a phase name (or a phase start), not from a parent or the running phase. */
  static final byte DEFINITE = 4;
  static final int NO_PREVIOUS = Integer.MAX_VALUE;
  private static final int WAYS = 4;
  /** Start at the default capacity: growing to it costs as much garbage again as the table itself. */
  private static final int INITIAL_SLOTS = 1 << 14;
  private static final int MIN_SLOTS = 64;

  private final int maxSlots;
  private String[] keys;
  /** Each key's hash, compared before the key itself: a miss then costs no visit to the String. */
  private int[] hashes;
  private int[] target;
  private int[] sounding;
  private int[] step;
  /** The pending group a trace was in before a later row inferred its phase, else NO_PREVIOUS. */
  private int[] previous;
  private byte[] flags;
  private long[] cost;
  private long[] tokensIn;
  private long[] tokensOut;
  private long[] stamp;
  private int size;
  private long clock;
  private long evictions;

  TraceIndex(int capacity) {
    this.maxSlots = Integer.highestOneBit(Math.max(capacity, MIN_SLOTS));
    allocate(Math.min(INITIAL_SLOTS, maxSlots));
  }

  private TraceIndex(TraceIndex other) {
    maxSlots = other.maxSlots;
    keys = other.keys.clone();
    hashes = other.hashes.clone();
    target = other.target.clone();
    sounding = other.sounding.clone();
    step = other.step.clone();
    previous = other.previous.clone();
    flags = other.flags.clone();
    cost = other.cost.clone();
    tokensIn = other.tokensIn.clone();
    tokensOut = other.tokensOut.clone();
    stamp = other.stamp.clone();
    size = other.size;
    clock = other.clock;
    evictions = other.evictions;
  }

  TraceIndex copy() {
    return new TraceIndex(this);
  }

  private void allocate(int slots) {
    keys = new String[slots];
    hashes = new int[slots];
    target = new int[slots];
    sounding = new int[slots];
    step = new int[slots];
    previous = new int[slots];
    flags = new byte[slots];
    cost = new long[slots];
    tokensIn = new long[slots];
    tokensOut = new long[slots];
    stamp = new long[slots];
    size = 0;
  }

  /** Marks an entry as recently used, so that a parent many rows refer to is evicted last. */
  void touch(int slot) {
    stamp[slot] = ++clock;
  }

  /** The slot of {@code key}, or -1. */
  int find(String key) {
    int h = key.hashCode();
    int base = setBase(h, keys.length);
    for (int i = base; i < base + WAYS; i++) {
      if (hashes[i] == h) {
        String k = keys[i];
        if (k != null && (k == key || k.equals(key))) {
          return i;
        }
      }
    }
    return -1;
  }

  /**
   * Adds {@code key} (absent) and returns its slot. A full set makes the table grow while it may;
   * only at full capacity is the oldest entry of the set evicted.
   */
  int insert(String key, int phaseTarget, int soundingIndex, int reforgeStep) {
    if (size >= keys.length - keys.length / 4 && keys.length < maxSlots) {
      grow();
    }
    int slot;
    while (true) {
      int base = setBase(key.hashCode(), keys.length);
      slot = -1;
      long oldest = Long.MAX_VALUE;
      for (int i = base; i < base + WAYS; i++) {
        if (keys[i] == null) {
          slot = i;
          break;
        }
        if (stamp[i] < oldest) {
          oldest = stamp[i];
          slot = i;
        }
      }
      if (keys[slot] == null) {
        size++;
        break;
      }
      if (keys.length < maxSlots) {
        grow();
        continue;
      }
      evictions++;
      break;
    }
    keys[slot] = key;
    hashes[slot] = key.hashCode();
    target[slot] = phaseTarget;
    sounding[slot] = soundingIndex;
    step[slot] = reforgeStep;
    previous[slot] = NO_PREVIOUS;
    flags[slot] = 0;
    cost[slot] = 0;
    tokensIn[slot] = 0;
    tokensOut[slot] = 0;
    stamp[slot] = ++clock;
    return slot;
  }

  /**
   * Doubles the table. The set of a key comes from a size-independent mixed hash, so doubling
   * splits each set into two: every entry finds room in its new set, copied as it is.
   */
  private void grow() {
    String[] oldKeys = keys;
    int[] oldHashes = hashes;
    int[] oldTarget = target;
    int[] oldSounding = sounding;
    int[] oldStep = step;
    int[] oldPrevious = previous;
    byte[] oldFlags = flags;
    long[] oldCost = cost;
    long[] oldIn = tokensIn;
    long[] oldOut = tokensOut;
    long[] oldStamp = stamp;
    int oldSize = size;
    allocate(oldKeys.length * 2);
    for (int i = 0; i < oldKeys.length; i++) {
      if (oldKeys[i] == null) {
        continue;
      }
      int slot = setBase(oldHashes[i], keys.length);
      while (keys[slot] != null) {
        slot++; // at most WAYS entries of the old set land here: always room
      }
      keys[slot] = oldKeys[i];
      hashes[slot] = oldHashes[i];
      target[slot] = oldTarget[i];
      sounding[slot] = oldSounding[i];
      step[slot] = oldStep[i];
      previous[slot] = oldPrevious[i];
      flags[slot] = oldFlags[i];
      cost[slot] = oldCost[i];
      tokensIn[slot] = oldIn[i];
      tokensOut[slot] = oldOut[i];
      stamp[slot] = oldStamp[i];
    }
    size = oldSize;
  }

  private static int setBase(int hash, int slots) {
    int h = hash;
    h ^= (h >>> 16);
    h *= 0x85ebca6b;
    h ^= (h >>> 13);
    return (h & (slots / WAYS - 1)) * WAYS;
  }

  int slots() {
    return keys.length;
  }

  String key(int slot) { return keys[slot]; }
  int target(int slot) { return target[slot]; }
  int sounding(int slot) { return sounding[slot]; }
  int step(int slot) { return step[slot]; }
  boolean has(int slot, byte flag) { return (flags[slot] & flag) != 0; }
  long cost(int slot) { return cost[slot]; }
  long tokensIn(int slot) { return tokensIn[slot]; }
  long tokensOut(int slot) { return tokensOut[slot]; }
  long stamp(int slot) { return stamp[slot]; }
  long evictions() { return evictions; }

  void setTarget(int slot, int phaseTarget) { target[slot] = phaseTarget; }

  void markDefinite(int slot) {
    flags[slot] |= DEFINITE;
  }

  int previous(int slot) { return previous[slot]; }

  void setPrevious(int slot, int group) { previous[slot] = group; }

  void retarget(int slot, int phaseTarget, int soundingIndex, int reforgeStep) {
    target[slot] = phaseTarget;
    sounding[slot] = soundingIndex;
    step[slot] = reforgeStep;
  }

  void countCost(int slot, long picos) {
    flags[slot] |= COST_COUNTED;
    cost[slot] = picos;
  }

  /** Copies what {@code other} counted for its {@code otherSlot} (cost, tokens, their flags). */
  void copyCounts(int slot, TraceIndex other, int otherSlot) {
    if (other.has(otherSlot, COST_COUNTED)) {
      countCost(slot, other.cost[otherSlot]);
    }
    if (other.has(otherSlot, TOKENS_COUNTED)) {
      countTokens(slot, other.tokensIn[otherSlot], other.tokensOut[otherSlot]);
    }
  }

  void countTokens(int slot, long in, long out) {
    flags[slot] |= TOKENS_COUNTED;
    tokensIn[slot] = in;
    tokensOut[slot] = out;
  }

  /** Slots by last use (oldest first), for merging one index into another. */
  int[] slotsByAge() {
    long[] order = new long[size];
    int n = 0;
    long slots = keys.length;
    for (int i = 0; i < keys.length; i++) {
      if (keys[i] != null) {
        order[n++] = stamp[i] * slots + i; // stamps are distinct: sorts by stamp, carries the slot
      }
    }
    Arrays.sort(order, 0, n);
    int[] result = new int[n];
    for (int i = 0; i < n; i++) {
      result[i] = (int) (order[i] % slots);
    }
    return result;
  }
}
