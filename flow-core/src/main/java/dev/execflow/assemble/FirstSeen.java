package dev.execflow.assemble;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

/**
 * A bounded set of names (models, sub-cascades) with the time each was first seen, listed by that
 * time. A few entries at most, so a linear scan (by reference first) beats a map: it is on the path
 * of every LLM call, and boxes nothing.
 */
final class FirstSeen {
  private final int bound;
  private String[] keys = new String[2];
  private double[] times = new double[2];
  private int size;

  FirstSeen(int bound) {
    this.bound = bound;
  }

  /** Sees {@code key} at {@code ts}: kept with the earliest time, if there is room for a new one. */
  void see(String key, double ts) {
    for (int i = 0; i < size; i++) {
      if (keys[i] == key || keys[i].equals(key)) {
        if (ts < times[i]) {
          times[i] = ts;
        }
        return;
      }
    }
    if (size >= bound) {
      return;
    }
    if (size == keys.length) {
      keys = Arrays.copyOf(keys, size * 2);
      times = Arrays.copyOf(times, size * 2);
    }
    keys[size] = key;
    times[size] = ts;
    size++;
  }

  void absorb(FirstSeen later) {
    for (int i = 0; i < later.size; i++) {
      see(later.keys[i], later.times[i]);
    }
  }

  /** Keys in order of first sight (ties: the order they came in); NaN times last. */
  List<String> byFirstSeen() {
    Integer[] order = new Integer[size];
    for (int i = 0; i < size; i++) {
      order[i] = i;
    }
    Arrays.sort(order, (a, b) -> Double.compare(times[a], times[b])); // stable
    List<String> out = new ArrayList<>(size);
    for (Integer i : order) {
      out.add(keys[i]);
    }
    return out;
  }

  /** The names of {@code seen}, by first sight; none for null. */
  static List<String> byFirstSeen(FirstSeen seen) {
    return seen == null ? List.of() : seen.byFirstSeen();
  }
}
