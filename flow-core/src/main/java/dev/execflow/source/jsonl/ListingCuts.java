package dev.execflow.source.jsonl;

import dev.execflow.assemble.SessionTally;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * The sessions a listing left out to stay within its bound: always the oldest (by first
 * timestamp), so the listing keeps the newest, which an instances grid shows first. Evicted
 * ids go into a Bloom filter of fixed size, so that later rows of an evicted session are left
 * out too instead of starting a partial tally; a false positive leaves a session out, and is
 * counted with the others, never silently.
 */
final class ListingCuts {
  private final int keep;
  private final long[] bits;
  private double watermark = Double.NEGATIVE_INFINITY;
  private long sessions;
  private long rows;

  ListingCuts(int keep) {
    this.keep = keep;
    long n = Math.min(1L << 26, Math.max(1L << 16, (long) keep * 64));
    this.bits = new long[(int) (n / 64)];
  }

  /** Sessions left out so far. */
  long sessions() {
    return sessions;
  }

  /** Rows of the sessions left out so far. */
  long rows() {
    return rows;
  }

  /** Tallies kept between two evictions: a tenth more than the bound (amortizes the sort). */
  int evictAt() {
    return keep + Math.max(1, keep / 10);
  }

  /** Whether a row of a session not tracked belongs to one that was (or would be) left out. */
  boolean leftOut(String id, double ts) {
    boolean evicted = watermark > Double.NEGATIVE_INFINITY && mightContain(id);
    if (evicted || ts < watermark) {
      if (!evicted) {
        sessions++;
        add(id);
      }
      rows++;
      return true;
    }
    return false;
  }

  void keepNewest(Map<String, SessionTally> tallies) {
    List<SessionTally> all = new ArrayList<>(tallies.values());
    all.sort(ListingKey.TALLY_ORDER);
    for (int i = keep; i < all.size(); i++) {
      SessionTally t = all.get(i);
      tallies.remove(t.sessionId());
      add(t.sessionId());
      sessions++;
      rows += t.rows();
      if (!Double.isNaN(t.firstTimestamp())) {
        watermark = Math.max(watermark, t.firstTimestamp());
      }
    }
  }

  private void add(String id) {
    long h = hash(id);
    for (int k = 0; k < 3; k++) {
      long bit = Math.floorMod(h + k * (h >>> 29 | 1), (long) bits.length * 64);
      bits[(int) (bit >>> 6)] |= 1L << (bit & 63);
    }
  }

  private boolean mightContain(String id) {
    long h = hash(id);
    for (int k = 0; k < 3; k++) {
      long bit = Math.floorMod(h + k * (h >>> 29 | 1), (long) bits.length * 64);
      if ((bits[(int) (bit >>> 6)] & (1L << (bit & 63))) == 0) {
        return false;
      }
    }
    return true;
  }

  private static long hash(String id) {
    long h = 0xcbf29ce484222325L;
    for (int i = 0; i < id.length(); i++) {
      h = (h ^ id.charAt(i)) * 0x100000001b3L;
    }
    return h ^ (h >>> 31);
  }
}
