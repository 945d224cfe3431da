package dev.execflow.assemble;

import static dev.execflow.Theories.theories;
import static org.assertj.core.api.Assertions.assertThat;
import static org.quicktheories.generators.SourceDSL.integers;
import static org.quicktheories.generators.SourceDSL.lists;

import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * Where the trace index starts does not change what it holds: a full set grows a table below its
 * capacity instead of evicting, and doubling keeps every entry, so an index that starts at 64
 * slots and one that starts at its capacity find, place and evict the very same traces. That is
 * what lets a follower's folds start small and still equal the batch fold.
 */
class TraceIndexGrowthTest {
  private static final int CAPACITY = 256;

  /** What a fold does per row: find the trace, touch it, or register it with a target. */
  private static void apply(TraceIndex index, int key) {
    String trace = "t" + key;
    int slot = index.find(trace);
    if (slot >= 0) {
      index.touch(slot);
      index.setTarget(slot, index.target(slot) + 1);
    } else {
      index.insert(trace, key % 7, key % 3, key % 5);
    }
  }

  /** Every key's state (absent, or its target, sounding and step) and the order of last use. */
  private static List<String> contents(TraceIndex index, int keys) {
    List<String> out = new ArrayList<>();
    for (int key = 0; key < keys; key++) {
      int slot = index.find("t" + key);
      out.add(slot < 0 ? "-" : index.target(slot) + "/" + index.sounding(slot) + "/" + index.step(slot));
    }
    for (int slot : index.slotsByAge()) {
      out.add(index.key(slot));
    }
    out.add("evictions " + index.evictions());
    return out;
  }

  @Test
  void anIndexThatStartsSmallHoldsWhatOneThatStartsAtItsCapacityHolds() {
    // keys from a range four times the capacity: sets fill, the small index grows, both evict
    theories(300).forAll(lists().of(integers().between(0, 4 * CAPACITY)).ofSizeBetween(0, 3_000))
        .checkAssert(keys -> {
          TraceIndex small = new TraceIndex(CAPACITY, 64);
          TraceIndex full = new TraceIndex(CAPACITY, CAPACITY);
          for (int key : keys) {
            apply(small, key);
            apply(full, key);
          }

          assertThat(contents(small, 4 * CAPACITY + 1)).isEqualTo(contents(full, 4 * CAPACITY + 1));
        });
  }

  @Test
  void anIndexGrowsFromItsInitialSizeUpToItsCapacityAndNoFurther() {
    TraceIndex index = new TraceIndex(CAPACITY, 64);
    assertThat(index.slots()).isEqualTo(64);

    for (int key = 0; key < 10 * CAPACITY; key++) {
      apply(index, key);
    }

    assertThat(index.slots()).isEqualTo(CAPACITY);
    assertThat(index.evictions()).isPositive();
  }
}
