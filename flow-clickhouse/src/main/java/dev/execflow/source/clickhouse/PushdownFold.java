package dev.execflow.source.clickhouse;

import dev.execflow.assemble.ExecutionAssembler;
import dev.execflow.assemble.PartialFold;
import dev.execflow.source.clickhouse.internal.PushdownSql;
import dev.execflow.spi.LogRow;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * Applies a pushdown's answers to a fresh assembler while the streamed rows go in: the first
 * sights (a phase first named by a summed row, a summed trace a streamed row names as parent) at
 * their place among the streamed rows, the sums before the first row without a time (which the fold
 * puts at the last time seen) or at the end. A first sight at the very time of a streamed row could
 * go either way in the canonical order: that session streams instead.
 */
final class PushdownFold {
  /** Something that happens at a time: a first sight, or a time that must not meet a streamed row's. */
  private record Event(double ts, int order, String phase, String trace) {}

  private static final int CREATE = 0;
  private static final int ANCHOR = 1;
  private static final int CHECK = 2;

  private final ExecutionAssembler fold;
  private final PartialFold part;
  private final Map<Long, String> names;
  private final String sessionId;
  private final List<Event> events = new ArrayList<>();
  private final List<Runnable> sums = new ArrayList<>();
  private int next;
  private boolean summed;
  private long summedRows;
  private long streamedRows;
  private double summedFirst = Double.NaN;
  private double summedLast = Double.NaN;
  /** Per phase, the models the summed calls used (to check the fold's bound on models). */
  private final Map<String, Set<String>> models = new LinkedHashMap<>();

  PushdownFold(ExecutionAssembler fold, Map<Long, String> names, String sessionId) {
    this.fold = fold;
    this.part = fold.partial();
    this.names = names;
    this.sessionId = sessionId;
  }

  ExecutionAssembler assembler() {
    return fold;
  }

  long summedRows() {
    return summedRows;
  }

  long streamedRows() {
    return streamedRows;
  }

  private String phase(long place) {
    int rank = Pushdown.rank(place);
    String name = rank >= 2 ? names.get(place) : null;
    if (name == null) {
      throw new Pushdown.Declined("summed rows the server could not place in a phase");
    }
    return name;
  }

  /** Turns the answers into events (in time order) and sums (applied once). */
  void plan(List<PushdownQueries.Aggregated> aggregated, List<PushdownQueries.Verified> verified,
      List<PushdownQueries.Anchor> anchors) {
    Map<String, String> modelAt = new HashMap<>();
    Set<Double> cascadeTimes = new HashSet<>();
    for (PushdownQueries.Aggregated a : aggregated) {
      if (a.kind() == PushdownSql.PLACE) {
        String phase = phase(a.place());
        if (Pushdown.rank(a.place()) == 3 && a.namedRows() > 0) {
          events.add(new Event(a.created(), CREATE, phase, null));
        }
        if (a.rows() > 0) {
          summedRows += a.rows();
          summedFirst = min(summedFirst, a.firstTs());
          summedLast = max(summedLast, a.lastTs());
          sums.add(() -> {
            part.phaseRows(phase, a.rows(), a.firstTs(), a.lastTs());
            part.phaseTurns(phase, a.turns() >= 0 ? (int) a.turns() : 0,
                a.maxTurns() >= 0 ? (int) a.maxTurns() : LogRow.NO_INT);
            part.phaseCost(phase, a.picos(), a.tokensIn(), a.tokensOut());
          });
        }
      } else if (a.kind() == PushdownSql.MODEL) {
        String phase = phase(a.place());
        models.computeIfAbsent(phase, k -> new HashSet<>()).add(a.name());
        String key = phase + "\n" + a.firstTs();
        if (modelAt.containsKey(key) && !modelAt.get(key).equals(a.name())) {
          throw new Pushdown.Declined("two models first used at one time in phase " + phase);
        }
        modelAt.put(key, a.name());
        events.add(new Event(a.firstTs(), CHECK, null, null));
        sums.add(() -> part.phaseModel(phase, a.name(), a.firstTs()));
      } else if (a.kind() == PushdownSql.CASCADE) {
        if (!cascadeTimes.add(a.firstTs())) {
          throw new Pushdown.Declined("two cascade ids first named at one time");
        }
        events.add(new Event(a.firstTs(), CHECK, null, null));
        sums.add(() -> part.cascadeSeen(a.name(), a.firstTs()));
      }
    }
    for (PushdownQueries.Verified v : verified) {
      if (v.place() == 0 || v.traces() == 0) {
        continue;
      }
      String phase = phase(v.place());
      if (v.costUpdates() > 0) {
        summedRows += v.costUpdates();
        summedFirst = min(summedFirst, v.costUpdateFirst());
        summedLast = max(summedLast, v.costUpdateLast());
      }
      sums.add(() -> {
        part.phaseCost(phase, v.picos(), v.tokensIn(), v.tokensOut());
        if (v.costUpdates() > 0) {
          part.phaseRows(phase, v.costUpdates(), v.costUpdateFirst(), v.costUpdateLast());
        }
      });
    }
    for (PushdownQueries.Anchor a : anchors) {
      events.add(new Event(a.firstTs(), ANCHOR, a.phase().isEmpty() ? null : a.phase(), a.trace()));
    }
    events.sort(Comparator.comparingDouble(Event::ts).thenComparingInt(Event::order));
    for (int i = 1; i < events.size(); i++) {
      Event a = events.get(i - 1);
      Event b = events.get(i);
      if (a.ts() == b.ts() && a.order() == CREATE && b.order() == CREATE) {
        throw new Pushdown.Declined("two phases first named at one time by summed rows");
      }
    }
  }

  /** A streamed row, in canonical order. */
  void stream(LogRow row, String problem) {
    if (problem != null) {
      throw new Pushdown.Declined("a streamed row the decoder reports");
    }
    double ts = row.timestamp();
    if (Double.isNaN(ts)) {
      applyEventsBefore(Double.POSITIVE_INFINITY);
      applySums();
    } else {
      applyEventsBefore(ts);
      if (next < events.size() && events.get(next).ts() == ts) {
        throw new Pushdown.Declined("a summed row's first sight shares its time with a streamed row");
      }
    }
    fold.accept(row);
    streamedRows++;
  }

  private void applyEventsBefore(double ts) {
    while (next < events.size() && events.get(next).ts() < ts) {
      Event e = events.get(next++);
      if (e.order() == CREATE) {
        part.phaseSeen(e.phase());
      } else if (e.order() == ANCHOR) {
        if (e.phase() == null && part.runningPhase() == null) {
          throw new Pushdown.Declined("a summed trace before any phase started");
        }
        part.traceSeen(e.trace(), e.phase());
      }
    }
  }

  private void applySums() {
    if (summed) {
      return;
    }
    summed = true;
    if (summedRows > 0) {
      part.sessionRows(sessionId, summedRows, summedFirst, summedLast);
    }
    for (Map.Entry<String, Set<String>> e : models.entrySet()) {
      if (part.modelCount(e.getKey()) + e.getValue().size() > PartialFold.maxModelsPerPhase()) {
        throw new Pushdown.Declined("phase " + e.getKey() + " used more models than the fold keeps");
      }
    }
    for (Runnable sum : sums) {
      sum.run();
    }
  }

  /** After the last streamed row: what is left, then the fold's bounds checked. */
  void finish() {
    applyEventsBefore(Double.POSITIVE_INFINITY);
    applySums();
    if (part.phaseCount() >= fold.options().maxPhases() || part.visitCount() >= fold.options().maxVisits()) {
      throw new Pushdown.Declined("the session reaches a bound of the fold (phases or visits)");
    }
  }

  private static double min(double a, double b) {
    return Double.isNaN(a) || b < a ? b : a;
  }

  private static double max(double a, double b) {
    return Double.isNaN(a) || b > a ? b : a;
  }
}
