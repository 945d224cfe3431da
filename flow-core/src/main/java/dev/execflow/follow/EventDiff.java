package dev.execflow.follow;

import dev.execflow.model.ExecutionData;
import dev.execflow.model.PhaseExecution;
import dev.execflow.model.ReforgeStep;
import dev.execflow.model.SoundingAttempt;
import dev.execflow.model.Status;
import dev.execflow.model.Summary;
import dev.execflow.model.Transition;
import dev.execflow.model.WardResult;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;

/**
 * The typed events between two states of a session: derived from what changed in the {@code
 * executionData}, not from single rows, so a batch of any size gives the same story and a row
 * that changes nothing visible gives no event. Costs O(phases + attempts + wards).
 */
final class EventDiff {
  private EventDiff() {}

  /**
   * The events from {@code before} to {@code after}, in the order a reader wants them: per phase
   * (in the order phases appear) its start, turns, soundings, reforge, wards, cost, end; then the
   * session's cost when only unattributed cost changed, then the session's end.
   *
   * @param latest epoch seconds of the newest row folded (the time of events without their own)
   */
  static List<FollowEvent> between(ExecutionData before, ExecutionData after, Double latest) {
    String sid = after.sessionId() != null ? after.sessionId() : before.sessionId();
    List<FollowEvent> out = new ArrayList<>();
    Summary total = after.summary();
    boolean phaseCostChanged = false;
    for (Map.Entry<String, PhaseExecution> e : after.phases().entrySet()) {
      String name = e.getKey();
      PhaseExecution now = e.getValue();
      PhaseExecution was = before.phases().get(name);
      if (now.status() == Status.PENDING) {
        continue; // declared by an overlay, not a change of the run
      }
      int wasVisits = was == null ? 0 : was.visits();
      for (int visit = wasVisits + 1; visit <= now.visits(); visit++) {
        out.add(FollowEvent.of(EventType.PHASE_START, sid, startOf(name, visit, now, after, latest))
            .phase(name).visit(visit).status(Status.RUNNING).duration(now.duration()).build());
      }
      if (now.turnCount() > (was == null ? 0 : was.turnCount())) {
        out.add(FollowEvent.of(EventType.TURN, sid, latest).phase(name).turnCount(now.turnCount())
            .maxTurns(now.maxTurns()).build());
      }
      soundings(sid, name, was, now, latest, out);
      reforge(sid, name, was, now, latest, out);
      wards(sid, name, was, now, latest, out);
      if (was == null ? now.cost() != 0 || now.tokensIn() != 0 || now.tokensOut() != 0
          : now.cost() != was.cost() || now.tokensIn() != was.tokensIn() || now.tokensOut() != was.tokensOut()) {
        phaseCostChanged = true;
        out.add(cost(sid, latest, total).phase(name).cost(now.cost()).build());
      }
      Status wasStatus = was == null ? null : was.status();
      boolean ended = now.status() != wasStatus || (was != null && now.visits() > was.visits());
      if (ended && now.status() == Status.COMPLETED) {
        out.add(FollowEvent.of(EventType.PHASE_COMPLETE, sid, orLatest(now.endedAt(), latest)).phase(name)
            .status(Status.COMPLETED).duration(now.duration()).build());
      } else if (ended && now.status() == Status.ERROR) {
        out.add(FollowEvent.of(EventType.PHASE_ERROR, sid, orLatest(now.endedAt(), latest)).phase(name)
            .status(Status.ERROR).duration(now.duration()).error(now.error()).build());
      }
    }
    Summary was = before.summary();
    if (!phaseCostChanged && (total.totalCost() != was.totalCost() || total.unattributedCost() != was.unattributedCost()
        || total.tokensIn() != was.tokensIn() || total.tokensOut() != was.tokensOut())) {
      out.add(cost(sid, latest, total).build());
    }
    if (total.status() != was.status()) {
      if (total.status() == Status.COMPLETED) {
        out.add(FollowEvent.of(EventType.CASCADE_COMPLETE, sid, orLatest(total.endedAt(), latest))
            .status(Status.COMPLETED).totalCost(total.totalCost()).build());
      } else if (total.status() == Status.ERROR) {
        out.add(FollowEvent.of(EventType.CASCADE_ERROR, sid, orLatest(total.endedAt(), latest))
            .status(Status.ERROR).totalCost(total.totalCost()).error(sessionError(after)).build());
      }
    }
    return out;
  }

  private static FollowEvent.Builder cost(String sid, Double latest, Summary total) {
    return FollowEvent.of(EventType.COST, sid, latest).totalCost(total.totalCost()).tokensIn(total.tokensIn())
        .tokensOut(total.tokensOut());
  }

  private static Double orLatest(Double at, Double latest) {
    return at != null ? at : latest;
  }

  /** When visit {@code visit} of a phase began: its first row, or the handoff into it. */
  private static Double startOf(String name, int visit, PhaseExecution phase, ExecutionData data, Double latest) {
    if (visit == 1 && phase.startedAt() != null) {
      return phase.startedAt();
    }
    int seen = data.executedPath().isEmpty() || !data.executedPath().get(0).equals(name) ? 0 : 1;
    for (Transition t : data.transitions()) {
      if (name.equals(t.to()) && ++seen == visit && t.at() != null) {
        return t.at();
      }
    }
    return latest;
  }

  /** The session's error: the message of the last phase that ended in one, if any. */
  private static String sessionError(ExecutionData data) {
    String error = null;
    for (PhaseExecution p : data.phases().values()) {
      if (p.status() == Status.ERROR && p.error() != null) {
        error = p.error();
      }
    }
    return error;
  }

  private static void soundings(String sid, String phase, PhaseExecution was, PhaseExecution now, Double latest,
      List<FollowEvent> out) {
    if (now.details().soundings() == null) {
      return;
    }
    Map<Integer, SoundingAttempt> before = new HashMap<>();
    if (was != null && was.details().soundings() != null) {
      was.details().soundings().attempts().forEach(a -> before.put(a.index(), a));
    }
    for (SoundingAttempt a : now.details().soundings().attempts()) {
      SoundingAttempt old = before.get(a.index());
      boolean finished = a.status() != Status.RUNNING && a.status() != Status.PENDING;
      if (finished && (old == null || old.status() != a.status())) {
        out.add(FollowEvent.of(EventType.SOUNDING_COMPLETE, sid, latest).phase(phase).soundingIndex(a.index())
            .status(a.status()).cost(a.cost()).preview(a.preview()).build());
      }
    }
    Integer winner = now.details().soundings().winnerIndex();
    Integer oldWinner = was == null || was.details().soundings() == null ? null
        : was.details().soundings().winnerIndex();
    if (winner != null && !winner.equals(oldWinner)) {
      out.add(FollowEvent.of(EventType.SOUNDING_WINNER, sid, latest).phase(phase).winnerIndex(winner).build());
    }
  }

  private static void reforge(String sid, String phase, PhaseExecution was, PhaseExecution now, Double latest,
      List<FollowEvent> out) {
    if (now.details().reforge() == null) {
      return;
    }
    Map<Integer, Integer> before = new HashMap<>();
    if (was != null && was.details().reforge() != null) {
      for (ReforgeStep s : was.details().reforge().reforgeSteps()) {
        before.put(s.step(), s.winnerIndex());
      }
    }
    for (ReforgeStep s : now.details().reforge().reforgeSteps()) {
      if (s.winnerIndex() != null && !s.winnerIndex().equals(before.get(s.step()))) {
        out.add(FollowEvent.of(EventType.REFORGE_WINNER, sid, latest).phase(phase).step(s.step())
            .winnerIndex(s.winnerIndex()).build());
      }
    }
  }

  private static void wards(String sid, String phase, PhaseExecution was, PhaseExecution now, Double latest,
      List<FollowEvent> out) {
    Map<String, WardResult> before = was == null ? Map.of() : was.details().wards();
    for (Map.Entry<String, WardResult> w : now.details().wards().entrySet()) {
      WardResult r = w.getValue();
      if (!Objects.equals(before.get(w.getKey()), r)) {
        out.add(FollowEvent.of(EventType.WARD, sid, latest).phase(phase).ward(w.getKey()).valid(r.valid())
            .reason(r.reason()).build());
      }
    }
  }
}
