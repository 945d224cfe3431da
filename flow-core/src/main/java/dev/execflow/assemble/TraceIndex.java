package dev.execflow.assemble;

import java.util.Arrays;

/**
 * The bounded {@code trace_id -> (phase, LLM call pricing)} index of one fold: which phase a
 * trace belongs to (so that phase-less rows can follow their {@code parent_id}) and whether that
 * call's cost and tokens were already counted.
 *
 * <p>A 4-way set-associative table: lookups and inserts allocate nothing, and when the table is
 * full the oldest entry of a set is evicted, so memory stays bounded whatever the session's
 * length. It starts at its initial size ({@link AssemblyOptions#traceIndexInitialCapacity}) and
 * doubles up to its capacity; what it holds does not depend on where it started (a full set grows
 * the table rather than evict while it may, and doubling keeps every entry), so neither does the
 * fold.
 *
 * <p>Layout, for the cache: a lookup reads only the set's hashes (one line) and keys; what a slot
 * holds (phase, attempt, step, previous group, flags, counted cost and tokens) sits together in
 * one run of {@value #STRIDE} longs, so placing and pricing a call touch one or two cache lines
 * instead of one per field (measured: a table spread over parallel arrays made the fold ~1.7x
 * slower at 65,536 slots, where it no longer fits the cache).
 */
final class TraceIndex {
  static final byte COST_COUNTED = 1;
  static final byte TOKENS_COUNTED = 2;
  /** The target came from a phase name (or a phase start), not from a parent or the running phase. */
  static final byte DEFINITE = 4;
  static final int NO_PREVIOUS = Integer.MAX_VALUE;
  private static final int WAYS = 4;
  private static final int MIN_SLOTS = 64;

  // a slot's run in data: target|sounding, step|previous, flags, cost, tokens in, tokens out
  private static final int STRIDE = 6;
  private static final int PLACE = 0;
  private static final int STEP_PREVIOUS = 1;
  private static final int FLAGS = 2;
  private static final int COST = 3;
  private static final int TOKENS_IN = 4;
  private static final int TOKENS_OUT = 5;

  private final int maxSlots;
  private String[] keys;
  /** Each key's hash, compared before the key itself: a miss then costs no visit to the String. */
  private int[] hashes;
  private long[] stamp;
  private long[] data;
  private int size;
  private long clock;
  private long evictions;
  /**
   * The keys evicted so far, as a Bloom filter of 4 bits per slot (null until the first eviction),
   * so that a merge can tell whether this index forgot a call an earlier part still knows.
   */
  private long[] forgotten;

  /** An index of at most {@code capacity} slots that starts with {@code initial} (both rounded to powers of two). */
  TraceIndex(int capacity, int initial) {
    this.maxSlots = Integer.highestOneBit(Math.max(capacity, MIN_SLOTS));
    allocate(Math.min(Integer.highestOneBit(Math.max(initial, MIN_SLOTS)), maxSlots));
  }

  private TraceIndex(TraceIndex other) {
    maxSlots = other.maxSlots;
    keys = other.keys.clone();
    hashes = other.hashes.clone();
    stamp = other.stamp.clone();
    data = other.data.clone();
    size = other.size;
    clock = other.clock;
    evictions = other.evictions;
    forgotten = other.forgotten == null ? null : other.forgotten.clone();
  }

  TraceIndex copy() {
    return new TraceIndex(this);
  }

  private void allocate(int slots) {
    keys = new String[slots];
    hashes = new int[slots];
    stamp = new long[slots];
    data = new long[slots * STRIDE];
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
      forget(hashes[slot]); // the stored hash: the evicted key's String is cold in memory
      break;
    }
    keys[slot] = key;
    hashes[slot] = key.hashCode();
    stamp[slot] = ++clock;
    int d = slot * STRIDE;
    data[d + PLACE] = pack(phaseTarget, soundingIndex);
    data[d + STEP_PREVIOUS] = pack(reforgeStep, NO_PREVIOUS);
    data[d + FLAGS] = 0;
    data[d + COST] = 0;
    data[d + TOKENS_IN] = 0;
    data[d + TOKENS_OUT] = 0;
    return slot;
  }

  /**
   * Doubles the table. The set of a key comes from a size-independent mixed hash, so doubling
   * splits each set into two: every entry finds room in its new set, copied as it is.
   */
  private void grow() {
    String[] oldKeys = keys;
    int[] oldHashes = hashes;
    long[] oldStamp = stamp;
    long[] oldData = data;
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
      stamp[slot] = oldStamp[i];
      System.arraycopy(oldData, i * STRIDE, data, slot * STRIDE, STRIDE);
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

  private static long pack(int high, int low) {
    return ((long) high << 32) | (low & 0xFFFF_FFFFL);
  }

  int slots() {
    return keys.length;
  }

  String key(int slot) { return keys[slot]; }
  int target(int slot) { return (int) (data[slot * STRIDE + PLACE] >> 32); }
  int sounding(int slot) { return (int) data[slot * STRIDE + PLACE]; }
  int step(int slot) { return (int) (data[slot * STRIDE + STEP_PREVIOUS] >> 32); }
  boolean has(int slot, byte flag) { return (data[slot * STRIDE + FLAGS] & flag) != 0; }
  long cost(int slot) { return data[slot * STRIDE + COST]; }
  long tokensIn(int slot) { return data[slot * STRIDE + TOKENS_IN]; }
  long tokensOut(int slot) { return data[slot * STRIDE + TOKENS_OUT]; }
  long stamp(int slot) { return stamp[slot]; }
  long evictions() { return evictions; }

  private void forget(int h) {
    if (forgotten == null) {
      forgotten = new long[Math.max(1, maxSlots * 4 / 64)];
    }
    // a power of two of bits: masks, not divisions (this runs on every eviction, i.e. per new call)
    int mask = forgotten.length * 64 - 1;
    int a = h & mask;
    int b = (h * 0x9E3779B1 ^ (h >>> 15)) & mask;
    forgotten[a >>> 6] |= 1L << a;
    forgotten[b >>> 6] |= 1L << b;
  }

  private boolean mayHaveForgotten(String key) {
    int h = key.hashCode();
    int mask = forgotten.length * 64 - 1;
    int a = h & mask;
    int b = (h * 0x9E3779B1 ^ (h >>> 15)) & mask;
    return (forgotten[a >>> 6] & (1L << a)) != 0 && (forgotten[b >>> 6] & (1L << b)) != 0;
  }

  /**
   * Whether this index certainly kept every key {@code earlier} holds that it ever held: false when
   * one of them may be a key it evicted (the filter errs only towards false).
   */
  boolean forgotNoneOf(TraceIndex earlier) {
    if (forgotten == null) {
      return true;
    }
    for (String key : earlier.keys) {
      if (key != null && mayHaveForgotten(key)) {
        return false;
      }
    }
    return true;
  }

  /** Also counts as forgotten what {@code later} forgot (a merge: the later part's evictions are the merge's). */
  void forgetAlso(TraceIndex later) {
    if (later.forgotten == null) {
      return;
    }
    if (forgotten == null || forgotten.length != later.forgotten.length) {
      forgotten = forgotten == null ? later.forgotten.clone() : forgotten;
      if (forgotten.length != later.forgotten.length) {
        Arrays.fill(forgotten, -1L); // different sizes: cannot tell, so assume anything was forgotten
      }
      return;
    }
    for (int i = 0; i < forgotten.length; i++) {
      forgotten[i] |= later.forgotten[i];
    }
  }

  void setTarget(int slot, int phaseTarget) {
    data[slot * STRIDE + PLACE] = pack(phaseTarget, sounding(slot));
  }

  void markDefinite(int slot) {
    data[slot * STRIDE + FLAGS] |= DEFINITE;
  }

  int previous(int slot) { return (int) data[slot * STRIDE + STEP_PREVIOUS]; }

  void setPrevious(int slot, int group) {
    data[slot * STRIDE + STEP_PREVIOUS] = pack(step(slot), group);
  }

  void retarget(int slot, int phaseTarget, int soundingIndex, int reforgeStep) {
    data[slot * STRIDE + PLACE] = pack(phaseTarget, soundingIndex);
    data[slot * STRIDE + STEP_PREVIOUS] = pack(reforgeStep, previous(slot));
  }

  void countCost(int slot, long picos) {
    data[slot * STRIDE + FLAGS] |= COST_COUNTED;
    data[slot * STRIDE + COST] = picos;
  }

  /** Copies what {@code other} counted for its {@code otherSlot} (cost, tokens, their flags). */
  void copyCounts(int slot, TraceIndex other, int otherSlot) {
    if (other.has(otherSlot, COST_COUNTED)) {
      countCost(slot, other.cost(otherSlot));
    }
    if (other.has(otherSlot, TOKENS_COUNTED)) {
      countTokens(slot, other.tokensIn(otherSlot), other.tokensOut(otherSlot));
    }
  }

  void countTokens(int slot, long in, long out) {
    data[slot * STRIDE + FLAGS] |= TOKENS_COUNTED;
    data[slot * STRIDE + TOKENS_IN] = in;
    data[slot * STRIDE + TOKENS_OUT] = out;
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
