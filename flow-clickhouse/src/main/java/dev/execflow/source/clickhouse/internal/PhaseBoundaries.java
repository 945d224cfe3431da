package dev.execflow.source.clickhouse.internal;

import java.util.ArrayList;
import java.util.List;
import java.util.StringJoiner;

/**
 * The phase running at any time of a session, as SQL: the phase of the latest phase start (of the
 * start rows that name a phase) before a timestamp. The starts come from the fold's own reading of
 * the start rows (a first, small query), in canonical order. 18.16 has no window functions and
 * copies a constant array per row where it is indexed, so the lookup uses {@code transform} over
 * literal arrays: the time span is cut into buckets, a bucket gives a lower bound of the number of
 * starts before it, and a few comparisons count the starts in the last buckets.
 *
 * <pre>{@code
 * PhaseBoundaries running = PhaseBoundaries.of(List.of(10.0, 50.0), List.of("plan", "draft"));
 * List<String> with = running.definitions();   // pd_g_run: inferred("plan") for 10 < pd_ts <= 50, ...
 * }</pre>
 */
public final class PhaseBoundaries {
  /** Most starts three consecutive buckets may hold: comparisons per row. */
  static final int MAX_PER_WINDOW = 6;
  private static final int MAX_BUCKETS = 4096;

  private final double[] starts;
  private final String[] phases;
  /** Whether start i names its phase in its content only (its phase_name is empty). */
  private final boolean[] byContent;
  private final double origin;
  private final double width;
  private final int buckets;
  /** Per bucket b, the starts in buckets before b - 1: a lower bound whatever the rounding. */
  private final int[] base;
  private final int window;

  private PhaseBoundaries(double[] starts, String[] phases, boolean[] byContent) {
    this.starts = starts;
    this.phases = phases;
    this.byContent = byContent;
    int n = starts.length;
    origin = n == 0 ? 0 : starts[0];
    double span = n == 0 ? 0 : starts[n - 1] - origin;
    int m = Math.max(1, Math.min(MAX_BUCKETS, 4 * n));
    int[] counts;
    int worst;
    double w;
    while (true) {
      w = span > 0 ? span / m : 1;
      counts = new int[m + 1];
      for (double s : starts) {
        counts[bucket(s, w, m)]++;
      }
      worst = 0;
      for (int b = 0; b <= m; b++) {
        worst = Math.max(worst, counts[b] + (b > 0 ? counts[b - 1] : 0) + (b > 1 ? counts[b - 2] : 0));
      }
      if (worst <= MAX_PER_WINDOW || m == MAX_BUCKETS) {
        break;
      }
      m = Math.min(MAX_BUCKETS, m * 2);
    }
    width = w;
    buckets = m;
    window = worst;
    base = new int[m + 1];
    int below = 0; // starts in buckets < b - 1
    for (int b = 0; b <= m; b++) {
      base[b] = below;
      if (b >= 1) {
        below += counts[b - 1];
      }
    }
  }

  /** The bucket of {@code ts}, computed as the SQL computes it. */
  private int bucket(double ts, double w, int m) {
    double b = Math.floor((ts - origin) / w);
    return (int) Math.max(0, Math.min(m, b));
  }

  /**
   * Boundaries from the start rows' timestamps and the phases they start, in canonical order.
   *
   * @param times non-decreasing epoch seconds
   * @param byContent per start, whether its phase_name is empty and its content names the phase
   */
  public static PhaseBoundaries of(List<Double> times, List<String> phaseNames, List<Boolean> byContent) {
    if (times.size() != phaseNames.size() || times.size() != byContent.size()) {
      throw new IllegalArgumentException("one phase per start");
    }
    boolean[] content = new boolean[byContent.size()];
    for (int i = 0; i < content.length; i++) {
      content[i] = byContent.get(i);
    }
    double[] t = new double[times.size()];
    for (int i = 0; i < t.length; i++) {
      t[i] = times.get(i);
      if (Double.isNaN(t[i]) || (i > 0 && t[i] < t[i - 1])) {
        throw new IllegalArgumentException("start times must be ordered numbers");
      }
    }
    return new PhaseBoundaries(t, phaseNames.toArray(new String[0]), content);
  }

  public int size() {
    return starts.length;
  }

  /** Whether every timestamp can be looked up with at most {@value #MAX_PER_WINDOW} comparisons. */
  public boolean usable() {
    return window <= MAX_PER_WINDOW;
  }

  /** The distinct phases the starts name, in order of first start. */
  public List<String> phases() {
    List<String> out = new ArrayList<>();
    for (String p : phases) {
      if (!out.contains(p)) {
        out.add(p);
      }
    }
    return out;
  }

  /** The label ({@link PushdownSql#inferred}) of the phase running at the row's time, given {@link #definitions}. */
  String label() {
    return "pd_g_run";
  }

  /**
   * For a start row named by its content only, the label of the phase it starts (0 for any other
   * time), given {@link #definitions}: such a start is told by its time, which no start of
   * another phase shares.
   */
  String startLabel() {
    return "pd_g_start";
  }

  /**
   * WITH entries defining {@link #label} and {@link #startLabel} from {@code pd_ts} (Float64
   * seconds): the literal arrays once (transform takes aliased literals), then the lookups.
   */
  List<String> definitions() {
    String pending = "toUInt64(" + Long.toUnsignedString(PushdownSql.PENDING_RL) + ")";
    List<String> w = new ArrayList<>();
    int n = starts.length;
    StringJoiner contentKeys = new StringJoiner(", ", "[", "]");
    StringJoiner contentLabels = new StringJoiner(", ", "[", "]");
    int content = 0;
    for (int i = 0; i < n; i++) {
      if (byContent[i]) {
        // transform matches Float64 keys wrongly on 18.16: match the bit patterns
        contentKeys.add("toUInt64(" + Long.toUnsignedString(Double.doubleToRawLongBits(starts[i])) + ")");
        contentLabels.add(PushdownSql.named(Sql.literal(phases[i])));
        content++;
      }
    }
    w.add((content == 0 ? "toUInt64(0)" : "transform(reinterpretAsUInt64(reinterpretAsString(pd_ts)), " + contentKeys
        + ", " + contentLabels + ", toUInt64(0))")
        + " AS pd_g_start");
    if (n == 0) {
      w.add(pending + " AS pd_g_run");
      return w;
    }
    StringJoiner times = new StringJoiner(", ", "[", "]");
    for (double s : starts) {
      times.add(Sql.float64(s));
    }
    StringJoiner labels = new StringJoiner(", ", "[", "]");
    labels.add(pending);
    for (String phase : phases) {
      labels.add(PushdownSql.inferred(Sql.literal(phase)));
    }
    w.add(range(0, buckets) + " AS pd_b_keys");
    w.add(ints(base) + " AS pd_b_base");
    w.add(range(1, n) + " AS pd_b_index");
    w.add(times + " AS pd_b_times");
    w.add(range(0, n) + " AS pd_b_positions");
    w.add(labels + " AS pd_b_labels");
    w.add("transform(toUInt32(least(" + buckets + ", greatest(0, floor((pd_ts - " + Sql.float64(origin) + ") / "
        + Sql.float64(width) + ")))), pd_b_keys, pd_b_base, toUInt32(" + n + ")) AS pd_g_lo");
    StringBuilder count = new StringBuilder("pd_g_lo");
    for (int k = 1; k <= Math.max(1, window); k++) {
      count.append(" + (pd_ts > transform(toUInt32(pd_g_lo + ").append(k)
          .append("), pd_b_index, pd_b_times, inf))");
    }
    w.add("transform(toUInt32(" + count + "), pd_b_positions, pd_b_labels, " + pending + ") AS pd_g_run");
    return w;
  }

  private static String range(int from, int to) {
    StringJoiner out = new StringJoiner(", ", "[", "]");
    for (int i = from; i <= to; i++) {
      out.add(Integer.toString(i));
    }
    return out.toString();
  }

  private static String ints(int[] values) {
    StringJoiner out = new StringJoiner(", ", "[", "]");
    for (int v : values) {
      out.add(Integer.toString(v));
    }
    return out.toString();
  }
}
