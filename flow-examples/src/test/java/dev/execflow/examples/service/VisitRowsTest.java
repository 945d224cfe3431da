package dev.execflow.examples.service;

import static dev.execflow.examples.service.VisitRows.Place.AFTER;
import static dev.execflow.examples.service.VisitRows.Place.BEFORE;
import static dev.execflow.examples.service.VisitRows.Place.OTHER;
import static dev.execflow.examples.service.VisitRows.Place.OWN;
import static org.assertj.core.api.Assertions.assertThat;

import dev.execflow.assemble.Vocabulary;
import dev.execflow.spi.MutableLogRow;
import org.junit.jupiter.api.Test;

/**
 * Which rows of a visit's window are the visit's own. The window below is visit 1 of {@code draft},
 * started at t=10, followed on the path by {@code review} at t=20; rows are given in the order a
 * source delivers them.
 */
class VisitRowsTest {
  private final VisitRows draft = new VisitRows(new VisitIndex.Window("draft", 1, 10, 20, "review"),
      Vocabulary.defaults());

  private static MutableLogRow row(double ts, String trace, String parent, String nodeType, String role, String phase) {
    return new MutableLogRow().timestamp(ts).sessionId("s").traceId(trace).parentId(parent).nodeType(nodeType)
        .role(role).phaseName(phase);
  }

  private static MutableLogRow start(double ts, String trace, String phase) {
    return row(ts, trace, "root", "phase", "phase_start", phase).contentJson("\"" + phase + "\"");
  }

  private void opened() {
    assertThat(draft.place(start(10, "d", "draft"))).isEqualTo(OWN);
  }

  @Test
  void rowsOfTheStartInstantBeforeTheStartRowBelongToTheVisitBefore() {
    assertThat(draft.place(row(10, "p-tail", "p", "tool_result", "tool", null))).isEqualTo(BEFORE);
    assertThat(draft.place(start(10, "d", "draft"))).isEqualTo(OWN);
    assertThat(draft.place(row(10, "d-in", "d", "turn_input", "user", null))).isEqualTo(OWN);
  }

  @Test
  void aRowThatNamesNoPhaseFollowsItsParent() {
    opened();
    draft.place(row(11, "d-a1", "d", "agent", "assistant", "draft"));

    assertThat(draft.place(row(12, "d-tc1", "d-a1", "tool_call", "tool", null))).isEqualTo(OWN);
    assertThat(draft.place(row(13, "d-tr1", "d-tc1", "tool_result", "tool", null))).isEqualTo(OWN);
  }

  @Test
  void aRowUnderAnotherPhasesRowIsThatPhasesRow() {
    opened();
    assertThat(draft.place(row(11, "x-a1", "x", "agent", "assistant", "extract"))).isEqualTo(OTHER);

    assertThat(draft.place(row(12, "x-tc1", "x-a1", "tool_call", "tool", null))).isEqualTo(OTHER);
  }

  @Test
  void aRowWhoseParentTheWindowHasNotSeenStaysInTheRunningPhase() {
    opened();

    assertThat(draft.place(row(11, "w-block", "somewhere-else", "ward_block", "post_ward_blocked", null)))
        .isEqualTo(OWN);
    assertThat(draft.place(row(12, "no-parent", null, "follow_up", "assistant", null))).isEqualTo(OWN);
  }

  @Test
  void aCostUpdateForACallOfTheVisitIsItsOwn() {
    opened();
    draft.place(row(11, "d-a1", "d", "agent", "assistant", "draft"));

    assertThat(draft.place(row(15, "d-a1", null, "cost_update", "system", null))).isEqualTo(OWN);
  }

  @Test
  void aCostUpdateForACallMadeBeforeTheVisitIsNotItsOwn() {
    opened();

    // the call's row came in an earlier phase: the fold prices it there
    assertThat(draft.place(row(15, "t-s2-a1", null, "cost_update", "system", null))).isEqualTo(OTHER);
  }

  @Test
  void sessionRowsBelongToNoPhase() {
    opened();

    assertThat(draft.place(row(19, "end", "root", "cascade_completed", "system", null))).isEqualTo(OTHER);
  }

  @Test
  void aStartRowWithoutAPhaseNameNamesItsPhaseByContent() {
    assertThat(draft.place(row(10, "d", "root", "phase", "phase_start", null).contentJson("\"draft\"")))
        .isEqualTo(OWN);
  }

  @Test
  void theNextPhasesStartRowClosesTheWindowThisPhasesRowsOfThatInstantStayItsOwn() {
    opened();

    assertThat(draft.place(row(20, "r", "root", "phase", "structure", "review"))).isEqualTo(OTHER);
    assertThat(draft.place(row(20, "d-done", "d", "phase", "phase_complete", "draft"))).isEqualTo(OWN);
    assertThat(draft.place(row(20, "r-start", "r", "phase", "phase_start", "review"))).isEqualTo(OTHER);
    assertThat(draft.place(row(21, "r-a1", "r", "agent", "assistant", "review"))).isEqualTo(AFTER);
  }

  @Test
  void rowsAtTheClosingInstantBeforeTheNextStartRowAreStillTheVisits() {
    opened();

    assertThat(draft.place(row(20, "late", null, "follow_up", "assistant", null))).isEqualTo(OWN);
    assertThat(draft.place(row(20, "r", "root", "phase", "structure", "review"))).isEqualTo(OTHER);
    assertThat(draft.place(row(20, "late-2", null, "follow_up", "assistant", null))).isEqualTo(OTHER);
  }

  @Test
  void aLoopBackToThePhaseStartsItsNextVisitNotThisOne() {
    VisitRows first = new VisitRows(new VisitIndex.Window("draft", 1, 10, 20, "draft"), Vocabulary.defaults());
    first.place(start(10, "d", "draft"));

    assertThat(first.place(start(20, "d2", "draft"))).isEqualTo(OTHER);
    assertThat(first.place(row(20, "d2-done", "d2", "phase", "phase_complete", "draft"))).isEqualTo(OTHER);
  }

  @Test
  void withoutAStartRowTheRowsNamingThePhaseAreStillItsOwn() {
    // a phase seen only through its rows: its visit starts at its first row
    assertThat(draft.place(row(10, "x", null, "agent", "assistant", "draft"))).isEqualTo(OWN);
    assertThat(draft.place(row(10, "x-tc", "x", "tool_call", "tool", null))).isEqualTo(OWN);
    assertThat(draft.place(row(10, "other", null, "follow_up", "assistant", null))).isEqualTo(BEFORE);
    assertThat(draft.place(row(11, "y", null, "follow_up", "assistant", null))).isEqualTo(OWN);
  }
}
