package dev.execflow.follow;

import static org.assertj.core.api.Assertions.assertThat;

import dev.execflow.assemble.ExecutionAssembler;
import dev.execflow.model.ExecutionData;
import dev.execflow.model.Status;
import dev.execflow.spi.LogRow;
import dev.execflow.spi.MutableLogRow;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Nested;
import org.junit.jupiter.api.Test;

class SessionFollowerTest {
  private static final double T0 = 1_700_000_000.0;
  private final ManualClock clock = new ManualClock(T0);
  private final FollowOptions options = FollowOptions.defaults().toBuilder().clock(clock)
      .grace(Duration.ofSeconds(5)).stallAfter(Duration.ofSeconds(60)).heartbeat(Duration.ofSeconds(15)).build();

  private static MutableLogRow row(double at, String nodeType, String role) {
    return new MutableLogRow().timestamp(T0 + at).sessionId("s1").nodeType(nodeType).role(role);
  }

  private static MutableLogRow start(double at, String phase) {
    return row(at, "phase", "phase_start").phaseName(phase).traceId("start-" + phase + at);
  }

  private static MutableLogRow complete(double at, String phase) {
    return row(at, "phase", "phase_complete").phaseName(phase);
  }

  private static MutableLogRow call(double at, String phase, String trace, double cost) {
    return row(at, "agent", "assistant").phaseName(phase).traceId(trace).cost(cost);
  }

  private static MutableLogRow cascadeStart(double at) {
    return row(at, "cascade", "system").cascadeId("demo").traceId("root");
  }

  private static MutableLogRow completed(double at) {
    return row(at, "cascade_completed", "system");
  }

  private SessionFollower follower(ListTail tail) {
    return new SessionFollower(tail, "s1", options);
  }

  private static List<EventType> types(List<FollowEvent> events) {
    return events.stream().map(FollowEvent::type).toList();
  }

  private static ExecutionData batchFold(List<? extends LogRow> rows) {
    ExecutionAssembler a = new ExecutionAssembler();
    rows.forEach(a::accept);
    return a.snapshot();
  }

  @Test
  void theFirstEventIsASnapshotOfTheWholeStateEvenWithoutRows() {
    SessionFollower follower = follower(new ListTail(false));

    List<FollowEvent> events = follower.poll();

    assertThat(types(events)).containsExactly(EventType.SNAPSHOT);
    assertThat(events.get(0).executionData().phases()).isEmpty();
    assertThat(events.get(0).sessionId()).isEqualTo("s1");
    assertThat(events.get(0).timestamp()).isNull();
  }

  @Test
  void eventIdsIncreaseByOneFromOneAcrossPolls() {
    ListTail tail = new ListTail(false).batch(cascadeStart(0), start(1, "a")).batch(complete(2, "a"), start(2, "b"));
    SessionFollower follower = follower(tail);

    List<FollowEvent> all = new ArrayList<>(follower.poll());
    all.addAll(follower.poll());

    assertThat(all).extracting(FollowEvent::id).containsExactly(1L, 2L, 3L);
    assertThat(follower.lastEventId()).isEqualTo(3);
  }

  @Test
  void aPhaseStartAndItsCompletionAreEventsOfTheirPolls() {
    ListTail tail = new ListTail(false).batch(cascadeStart(0)).batch(start(1, "a")).batch(complete(3, "a"));
    SessionFollower follower = follower(tail);
    follower.poll();

    FollowEvent started = follower.poll().get(0);
    FollowEvent done = follower.poll().get(0);

    assertThat(started.type()).isEqualTo(EventType.PHASE_START);
    assertThat(started.phase()).isEqualTo("a");
    assertThat(started.visit()).isEqualTo(1);
    assertThat(started.timestamp()).isEqualTo(T0 + 1);
    assertThat(done.type()).isEqualTo(EventType.PHASE_COMPLETE);
    assertThat(done.timestamp()).isEqualTo(T0 + 3);
  }

  @Test
  void aPhaseThatStartsAndCompletesInOneBatchGivesBothInThatOrder() {
    ListTail tail = new ListTail(false).batch(cascadeStart(0)).batch(start(1, "a"), complete(2, "a"));
    SessionFollower follower = follower(tail);
    follower.poll();

    assertThat(types(follower.poll())).containsExactly(EventType.PHASE_START, EventType.PHASE_COMPLETE);
  }

  @Test
  void aPhaseThatRunsAgainStartsAgainWithItsVisit() {
    ListTail tail = new ListTail(false).batch(cascadeStart(0), start(1, "a"), complete(2, "a"), start(3, "b"),
        complete(4, "b")).batch(start(5, "a"));
    SessionFollower follower = follower(tail);
    follower.poll();

    FollowEvent again = follower.poll().get(0);

    assertThat(again.type()).isEqualTo(EventType.PHASE_START);
    assertThat(again.visit()).isEqualTo(2);
    assertThat(again.timestamp()).isEqualTo(T0 + 5);
  }

  @Test
  void aPhaseThatFailsGivesPhaseErrorWithTheMessage() {
    ListTail tail = new ListTail(false).batch(cascadeStart(0), start(1, "a"))
        .batch(row(2, "phase", "cell_error").phaseName("a").contentJson("\"model refused\""));
    SessionFollower follower = follower(tail);
    follower.poll();

    List<FollowEvent> events = follower.poll();

    assertThat(events).filteredOn(e -> e.type() == EventType.PHASE_ERROR).singleElement()
        .satisfies(e -> assertThat(e.error()).contains("model refused"));
  }

  @Test
  void aCostEventCarriesThePhasesCostAndTheSessionsTotals() {
    ListTail tail = new ListTail(false).batch(cascadeStart(0), start(1, "a"), call(2, "a", "c1", 0.25))
        .batch(call(3, "a", "c2", 0.5).tokensIn(100).tokensOut(10));
    SessionFollower follower = follower(tail);
    follower.poll();

    List<FollowEvent> events = follower.poll();

    assertThat(events).filteredOn(e -> e.type() == EventType.COST).singleElement().satisfies(e -> {
      assertThat(e.phase()).isEqualTo("a");
      assertThat(e.cost()).isEqualTo(0.75);
      assertThat(e.totalCost()).isEqualTo(0.75);
      assertThat(e.tokensIn()).isEqualTo(100);
    });
  }

  @Test
  void aRowThatChangesNothingVisibleGivesNoEvent() {
    ListTail tail = new ListTail(false).batch(cascadeStart(0), start(1, "a"))
        .batch(row(2, "tool_call", "tool").phaseName("a").traceId("tool-1"));
    SessionFollower follower = follower(tail);
    follower.poll();

    assertThat(follower.poll()).isEmpty();
  }

  @Test
  void soundingsGiveACompletionPerAttemptAndTheWinner() {
    ListTail tail = new ListTail(false).batch(cascadeStart(0), start(1, "a"));
    List<LogRow> attempts = new ArrayList<>();
    for (int i = 0; i < 2; i++) {
      attempts.add(call(2 + i, "a", "c" + i, 0.125).soundingIndex(i));
      attempts.add(row(4 + i, "sounding_attempt", "sounding_attempt").phaseName("a").soundingIndex(i)
          .contentJson("\"answer " + i + "\""));
    }
    tail.batch(attempts).batch(row(8, "evaluator", "assistant").phaseName("a").metadataJson("{\"winner_index\": 1}"));
    SessionFollower follower = follower(tail);
    follower.poll();

    List<FollowEvent> sounded = follower.poll();
    List<FollowEvent> won = follower.poll();

    assertThat(sounded).filteredOn(e -> e.type() == EventType.SOUNDING_COMPLETE)
        .extracting(FollowEvent::soundingIndex).containsExactly(0, 1);
    assertThat(won).filteredOn(e -> e.type() == EventType.SOUNDING_WINNER).singleElement()
        .satisfies(e -> assertThat(e.winnerIndex()).isEqualTo(1));
  }

  @Test
  void aReforgeStepsWinnerIsAnEvent() {
    ListTail tail = new ListTail(false).batch(cascadeStart(0), start(1, "a"),
        row(2, "reforge_attempt", "assistant").phaseName("a").reforgeStep(0).soundingIndex(3).traceId("rf").cost(1.0))
        .batch(row(3, "reforge_winner", "system").phaseName("a").reforgeStep(0).metadataJson("{\"winner_index\": 3}"));
    SessionFollower follower = follower(tail);
    follower.poll();

    assertThat(follower.poll()).filteredOn(e -> e.type() == EventType.REFORGE_WINNER).singleElement()
        .satisfies(e -> {
          assertThat(e.step()).isZero();
          assertThat(e.winnerIndex()).isEqualTo(3);
        });
  }

  @Test
  void aWardResultIsAnEventWithItsKeyValidityAndReason() {
    ListTail tail = new ListTail(false).batch(cascadeStart(0), start(1, "a")).batch(row(2, "post_ward", "ward")
        .phaseName("a").metadataJson("{\"validator\":\"length\",\"valid\":false,\"reason\":\"too long\"}"));
    SessionFollower follower = follower(tail);
    follower.poll();

    assertThat(follower.poll()).filteredOn(e -> e.type() == EventType.WARD).singleElement().satisfies(e -> {
      assertThat(e.ward()).isEqualTo("post_0");
      assertThat(e.valid()).isFalse();
      assertThat(e.reason()).isEqualTo("too long");
    });
  }

  @Test
  void aNewTurnIsAnEventWithTheTurnCountAndLimit() {
    ListTail tail = new ListTail(false).batch(cascadeStart(0), start(1, "a"))
        .batch(row(2, "turn", "structure").phaseName("a").metadataJson("{\"turn_number\": 2, \"max_turns\": 5}"));
    SessionFollower follower = follower(tail);
    follower.poll();

    assertThat(follower.poll()).filteredOn(e -> e.type() == EventType.TURN).singleElement().satisfies(e -> {
      assertThat(e.turnCount()).isEqualTo(2);
      assertThat(e.maxTurns()).isEqualTo(5);
    });
  }

  @Nested
  class TheEnd {
    @Test
    void theTerminalRowGivesCascadeCompleteAndFinalComesAfterTheGracePeriod() {
      ListTail tail = new ListTail(false).batch(cascadeStart(0), start(1, "a"), complete(2, "a"))
          .batch(completed(3));
      clock.advanceSeconds(3);
      SessionFollower follower = follower(tail);
      follower.poll();

      List<FollowEvent> atEnd = follower.poll();
      clock.advanceSeconds(4.9);
      List<FollowEvent> inGrace = follower.poll();
      clock.advanceSeconds(0.2);
      List<FollowEvent> after = follower.poll();

      assertThat(types(atEnd)).containsExactly(EventType.CASCADE_COMPLETE);
      assertThat(inGrace).isEmpty();
      assertThat(types(after)).containsExactly(EventType.FINAL);
      assertThat(after.get(0).executionData().summary().status()).isEqualTo(Status.COMPLETED);
      assertThat(follower.isFinished()).isTrue();
      assertThat(follower.poll()).isEmpty();
    }

    @Test
    void aLateCostUpdateWithinTheGracePeriodChangesTheFinalTotalsWithACostEvent() {
      List<LogRow> rows = List.of(cascadeStart(0), start(1, "a"), call(2, "a", "c1", Double.NaN), complete(3, "a"),
          completed(4));
      MutableLogRow lateCost = row(6, "cost_update", "system").traceId("c1").cost(0.5);
      ListTail tail = new ListTail(false).batch(rows).batch(lateCost);
      clock.advanceSeconds(4);
      SessionFollower follower = follower(tail);
      follower.poll();
      clock.advanceSeconds(2);

      List<FollowEvent> late = follower.poll();
      clock.advanceSeconds(5);
      FollowEvent last = follower.poll().get(0);

      assertThat(late).filteredOn(e -> e.type() == EventType.COST).singleElement().satisfies(e -> {
        assertThat(e.phase()).isEqualTo("a");
        assertThat(e.totalCost()).isEqualTo(0.5);
      });
      assertThat(last.type()).isEqualTo(EventType.FINAL);
      assertThat(last.executionData().summary().totalCost()).isEqualTo(0.5);
      List<LogRow> all = new ArrayList<>(rows);
      all.add(lateCost);
      assertThat(last.executionData()).isEqualTo(batchFold(all));
    }

    @Test
    void aSessionThatEndedLongBeforeTheFollowIsFinalAtTheFirstPoll() {
      ListTail tail = new ListTail(false).batch(cascadeStart(0), start(1, "a"), complete(2, "a"), completed(3));
      clock.advanceSeconds(3600);
      SessionFollower follower = follower(tail);

      List<FollowEvent> events = follower.poll();

      assertThat(types(events)).containsExactly(EventType.SNAPSHOT, EventType.CASCADE_COMPLETE, EventType.FINAL);
    }

    @Test
    void aFailedSessionGivesCascadeError() {
      ListTail tail = new ListTail(false).batch(cascadeStart(0), start(1, "a"))
          .batch(row(2, "cascade_failed", "system").contentJson("\"out of budget\""));
      clock.advanceSeconds(2);
      SessionFollower follower = follower(tail);
      follower.poll();

      assertThat(follower.poll()).filteredOn(e -> e.type() == EventType.CASCADE_ERROR).singleElement()
          .satisfies(e -> assertThat(e.status()).isEqualTo(Status.ERROR));
    }
  }

  @Nested
  class Quiet {
    @Test
    void aRunningSessionWithoutNewRowsForTheStallTimeIsStalledOnce() {
      ListTail tail = new ListTail(false).batch(cascadeStart(0), start(1, "a"));
      SessionFollower follower = follower(tail);
      follower.poll();
      clock.advanceSeconds(59);
      follower.poll();
      clock.advanceSeconds(1);

      List<FollowEvent> stalled = follower.poll();
      clock.advanceSeconds(1);
      List<FollowEvent> still = follower.poll();

      assertThat(types(stalled)).containsExactly(EventType.STALLED);
      assertThat(stalled.get(0).idleSeconds()).isEqualTo(60.0);
      assertThat(still).isEmpty();
      assertThat(follower.isStalled()).isTrue();
    }

    @Test
    void rowsAfterAStallEndItWithAHeartbeat() {
      ListTail tail = new ListTail(false).batch(cascadeStart(0), start(1, "a")).batch().batch(
          row(70, "tool_call", "tool").phaseName("a").traceId("x"));
      SessionFollower follower = follower(tail);
      follower.poll();
      clock.advanceSeconds(61);
      follower.poll();

      List<FollowEvent> resumed = follower.poll();

      assertThat(types(resumed)).containsExactly(EventType.HEARTBEAT);
      assertThat(follower.isStalled()).isFalse();
    }

    @Test
    void aQuietFollowSaysItIsAliveEveryHeartbeatInterval() {
      FollowOptions noStall = options.toBuilder().stallAfter(Duration.ofHours(1)).build();
      SessionFollower follower = new SessionFollower(new ListTail(false), "s1", noStall);
      follower.poll();
      clock.advanceSeconds(14);
      List<FollowEvent> early = follower.poll();
      clock.advanceSeconds(1);

      List<FollowEvent> beat = follower.poll();

      assertThat(early).isEmpty();
      assertThat(types(beat)).containsExactly(EventType.HEARTBEAT);
    }

    @Test
    void thePollIntervalDoublesWhileIdleUpToTheIdleInterval() {
      ListTail tail = new ListTail(false).batch(cascadeStart(0));
      SessionFollower follower = follower(tail);
      follower.poll();
      assertThat(follower.nextPollIn()).isEqualTo(Duration.ofMillis(500));

      follower.poll();
      Duration once = follower.nextPollIn();
      follower.poll();
      follower.poll();
      follower.poll();

      assertThat(once).isEqualTo(Duration.ofSeconds(1));
      assertThat(follower.nextPollIn()).isEqualTo(Duration.ofSeconds(2));
    }
  }

  @Test
  void aFailingSourceIsReportedInAHeartbeatAndTheFollowResumes() {
    ListTail tail = new ListTail(false).batch(cascadeStart(0)).failNext().batch(start(1, "a"));
    SessionFollower follower = follower(tail);
    follower.poll();

    List<FollowEvent> down = follower.poll();
    List<FollowEvent> back = follower.poll();

    assertThat(types(down)).containsExactly(EventType.HEARTBEAT);
    assertThat(down.get(0).error()).contains("the store is down");
    assertThat(types(back)).containsExactly(EventType.HEARTBEAT, EventType.PHASE_START);
    assertThat(follower.lastFailure()).isNull();
  }

  @Test
  void aRestartedSourceGivesANewSnapshotOfTheFoldStartedOver() {
    ListTail tail = new ListTail(false).batch(cascadeStart(0), start(1, "a"), call(2, "a", "c", 1.0))
        .restartWith(List.of(cascadeStart(0), start(1, "b")));
    SessionFollower follower = follower(tail);
    follower.poll();

    List<FollowEvent> events = follower.poll();

    assertThat(types(events)).containsExactly(EventType.SNAPSHOT);
    ExecutionData data = events.get(0).executionData();
    assertThat(data.phases()).containsOnlyKeys("b");
    assertThat(data.warnings().byKind()).containsEntry("follow_restarted", 1L);
  }

  @Test
  void currentIsASnapshotOfTheLastStateWithTheLastEventsId() {
    ListTail tail = new ListTail(false).batch(cascadeStart(0), start(1, "a")).batch(complete(2, "a"));
    SessionFollower follower = follower(tail);
    follower.poll();
    follower.poll();

    FollowEvent current = follower.current();

    assertThat(current.type()).isEqualTo(EventType.SNAPSHOT);
    assertThat(current.id()).isEqualTo(follower.lastEventId());
    assertThat(current.executionData()).isEqualTo(follower.executionData());
  }

  @Nested
  class LateRows {
    @Test
    void aRowVisibleLateWithinTheWindowIsFoldedWhereAFullReadPutsIt() {
      List<MutableLogRow> rows = List.of(cascadeStart(0), start(1, "a"), call(2, "a", "c1", 0.25), complete(3, "a"),
          start(3.5, "b"), call(4, "b", "c2", 0.5));
      // the phase_complete of "a" becomes visible after rows of "b"
      ListTail tail = new ListTail(true).batch(rows.get(0), rows.get(1), rows.get(2), rows.get(4), rows.get(5))
          .batch(rows.get(3));
      SessionFollower follower = follower(tail);

      follower.poll();
      follower.poll();

      assertThat(follower.executionData()).isEqualTo(batchFold(rows));
    }

    @Test
    void aRowLaterThanTheWindowIsFoldedOutOfOrderAndCounted() {
      FollowOptions shortWindow = options.toBuilder().lookBack(Duration.ofSeconds(1)).build();
      ListTail tail = new ListTail(true).batch(cascadeStart(0), start(1, "a"), call(2, "a", "c1", 0.25),
          call(10, "a", "c2", 0.5)).batch(call(1.5, "a", "c0", 0.25));
      SessionFollower follower = new SessionFollower(tail, "s1", shortWindow);

      follower.poll();
      follower.poll();

      ExecutionData data = follower.executionData();
      assertThat(data.summary().totalCost()).isEqualTo(1.0);
      assertThat(data.warnings().byKind()).containsEntry("late_row", 1L);
    }
  }

  @Test
  void eventsHaveOneJsonShape() {
    FollowEvent event = FollowEvent.of(EventType.PHASE_COMPLETE, "s1", T0 + 3).id(7).phase("brief")
        .status(Status.COMPLETED).build();

    String json = FollowJson.write(event);

    assertThat(json).isEqualTo("{\"type\":\"phase_complete\",\"id\":7,\"sessionId\":\"s1\","
        + "\"timestamp\":1700000003,\"phase\":\"brief\",\"status\":\"completed\"}");
    assertThat(FollowJson.read(json)).isEqualTo(event);
  }
}
