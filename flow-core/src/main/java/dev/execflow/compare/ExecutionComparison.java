package dev.execflow.compare;

import com.fasterxml.jackson.annotation.JsonPropertyOrder;
import dev.execflow.model.ExecutionData;
import dev.execflow.model.PhaseExecution;
import dev.execflow.model.Status;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;

/**
 * Two runs side by side, phase by phase: what each phase cost, how long it took and how many turns
 * it ran in {@code a} and in {@code b}, and the differences {@code a - b}. {@code b} is another run
 * ({@link #of}) or the per-phase median of a set of earlier runs ({@link #median}).
 *
 * <pre>{@code
 * ExecutionComparison c = ExecutionComparison.of(today, yesterday);
 * c.summaryDelta().cost();                       // how much more today cost
 * c.phase("draft").map(PhaseComparison::delta);  // null delta: one side did not run draft
 * String json = ExecutionJson.write(c);
 *
 * ExecutionComparison usual = ExecutionComparison.median(today, lastTenRuns);
 * }</pre>
 *
 * <p>Phases come in {@code a}'s executed order, then the phases only {@code b} ran, in {@code b}'s
 * order. A phase one side did not run (absent, or pending in an overlay) has that side null and no
 * delta. Costs are compared on whole pico-dollars, durations in milliseconds.
 *
 * @param a the run being looked at
 * @param b the run it is compared with, or the median baseline
 * @param phases one entry per phase either side ran
 * @param summaryDelta {@code a - b} of the totals
 * @param sameCascade whether both sides ran the same (known) cascade
 */
@JsonPropertyOrder({"a", "b", "phases", "summaryDelta", "sameCascade"})
public record ExecutionComparison(
    SessionSide a, SessionSide b, List<PhaseComparison> phases, Delta summaryDelta, boolean sameCascade) {

  public ExecutionComparison {
    Objects.requireNonNull(a, "a");
    Objects.requireNonNull(b, "b");
    phases = List.copyOf(phases);
    Objects.requireNonNull(summaryDelta, "summaryDelta");
  }

  /** Run {@code a} against run {@code b}. */
  public static ExecutionComparison of(ExecutionData a, ExecutionData b) {
    Objects.requireNonNull(a, "a");
    Objects.requireNonNull(b, "b");
    Map<String, PhaseSide> bPhases = sides(b);
    List<PhaseComparison> phases = compare(sides(a), bPhases);
    SessionSide sa = SessionSide.of(a);
    SessionSide sb = SessionSide.of(b);
    boolean same = a.cascadeId() != null && a.cascadeId().equals(b.cascadeId());
    return new ExecutionComparison(sa, sb, phases, sa.minus(sb), same);
  }

  /**
   * Run {@code a} against the per-phase median of {@code baselines} (e.g. the last ten finished
   * runs of its cascade; the caller leaves {@code a} out). Each phase's baseline is taken over the
   * runs that ran it; each quantity is its <em>lower</em> median (for an even count, the smaller
   * of the two middle values), so that every baseline number is one a run actually had; a status
   * is the most common one (ties: completed, then error, then running).
   *
   * @throws IllegalArgumentException when {@code baselines} is empty
   */
  public static ExecutionComparison median(ExecutionData a, List<ExecutionData> baselines) {
    Objects.requireNonNull(a, "a");
    if (baselines == null || baselines.isEmpty()) {
      throw new IllegalArgumentException("a median needs at least one baseline run");
    }
    List<Map<String, PhaseSide>> runs = new ArrayList<>();
    Set<String> order = new LinkedHashSet<>();
    for (ExecutionData run : baselines) {
      Map<String, PhaseSide> s = sides(run);
      runs.add(s);
      order.addAll(s.keySet());
    }
    Map<String, PhaseSide> medianPhases = new LinkedHashMap<>();
    for (String phase : order) {
      List<PhaseSide> ran = new ArrayList<>();
      for (Map<String, PhaseSide> run : runs) {
        PhaseSide p = run.get(phase);
        if (p != null) {
          ran.add(p);
        }
      }
      medianPhases.put(phase, Medians.phase(ran));
    }
    List<SessionSide> sides = baselines.stream().map(SessionSide::of).toList();
    SessionSide b = Medians.session(sides);
    SessionSide sa = SessionSide.of(a);
    boolean same = a.cascadeId() != null
        && baselines.stream().allMatch(run -> a.cascadeId().equals(run.cascadeId()));
    return new ExecutionComparison(sa, b, compare(sides(a), medianPhases), sa.minus(b), same);
  }

  /** The comparison of {@code phase}, if either side ran it. */
  public Optional<PhaseComparison> phase(String phase) {
    return phases.stream().filter(p -> p.phase().equals(phase)).findFirst();
  }

  /** The phases each side ran, in its executed order (then any that ran off the path). */
  private static Map<String, PhaseSide> sides(ExecutionData data) {
    Map<String, PhaseSide> sides = new LinkedHashMap<>();
    for (String name : data.executedPath()) {
      add(sides, name, data.phases().get(name));
    }
    data.phases().forEach((name, phase) -> add(sides, name, phase));
    return sides;
  }

  private static void add(Map<String, PhaseSide> sides, String name, PhaseExecution phase) {
    if (phase != null && phase.status() != Status.PENDING && !sides.containsKey(name)) {
      sides.put(name, PhaseSide.of(phase));
    }
  }

  /** {@code a}'s phases in its order, then {@code b}'s others. */
  private static List<PhaseComparison> compare(Map<String, PhaseSide> a, Map<String, PhaseSide> b) {
    List<PhaseComparison> out = new ArrayList<>(a.size() + b.size());
    a.forEach((name, side) -> out.add(PhaseComparison.of(name, side, b.get(name))));
    b.forEach((name, side) -> {
      if (!a.containsKey(name)) {
        out.add(PhaseComparison.of(name, null, side));
      }
    });
    return out;
  }
}
