package dev.execflow.compare;

import dev.execflow.model.Status;
import java.util.Arrays;
import java.util.EnumMap;
import java.util.List;
import java.util.Map;
import java.util.function.ToDoubleFunction;
import java.util.function.ToLongFunction;

/**
 * Lower medians and most common statuses: the numbers of a median baseline. A lower median is a
 * value one of the runs had (no averaging of the two middle values), so an integer stays one.
 */
final class Medians {
  /** Ties between equally common statuses go to the first of these. */
  private static final Status[] TIE_ORDER = {Status.COMPLETED, Status.ERROR, Status.RUNNING, Status.PENDING};

  private Medians() {}

  /** The median of the phase over the runs that ran it; null when none did. */
  static PhaseSide phase(List<PhaseSide> ran) {
    if (ran.isEmpty()) {
      return null;
    }
    return new PhaseSide(status(ran.stream().map(PhaseSide::status).toList()), dollars(ran, PhaseSide::cost),
        lower(ran, PhaseSide::durationMs), lower(ran, PhaseSide::turns), lower(ran, PhaseSide::visits));
  }

  /** The median of whole runs, naming them. */
  static SessionSide session(List<SessionSide> runs) {
    String cascade = runs.get(0).cascadeId();
    for (SessionSide run : runs) {
      if (cascade != null && !cascade.equals(run.cascadeId())) {
        cascade = null;
      }
    }
    return new SessionSide(null, cascade, status(runs.stream().map(SessionSide::status).toList()),
        dollars(runs, SessionSide::totalCost), lower(runs, SessionSide::durationMs), lower(runs, SessionSide::turns),
        runs.size(), runs.stream().map(SessionSide::sessionId).toList());
  }

  static <T> long lower(List<T> values, ToLongFunction<T> f) {
    long[] v = values.stream().mapToLong(f).toArray();
    Arrays.sort(v);
    return v[(v.length - 1) / 2];
  }

  /** A lower median of costs, compared (and returned) as whole pico-dollars. */
  static <T> double dollars(List<T> values, ToDoubleFunction<T> f) {
    long[] picos = values.stream().mapToLong(x -> Delta.picos(f.applyAsDouble(x))).toArray();
    Arrays.sort(picos);
    return dev.execflow.assemble.Pricing.dollars(picos[(picos.length - 1) / 2]);
  }

  static Status status(List<Status> statuses) {
    Map<Status, Integer> counts = new EnumMap<>(Status.class);
    for (Status s : statuses) {
      if (s != null) {
        counts.merge(s, 1, Integer::sum);
      }
    }
    Status best = null;
    int bestCount = 0;
    for (Status s : TIE_ORDER) {
      int n = counts.getOrDefault(s, 0);
      if (n > bestCount) {
        best = s;
        bestCount = n;
      }
    }
    return best;
  }
}
