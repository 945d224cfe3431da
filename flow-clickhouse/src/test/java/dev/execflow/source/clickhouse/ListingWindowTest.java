package dev.execflow.source.clickhouse;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

/** The window of start times a summarised page looks at first, and how it widens. */
class ListingWindowTest {
  @Test
  void theFirstPageLooksBelowTheLatestStartAsFarAsFourEvenlySpacedPages() {
    // 1,000 starts over 10,000 s: one every 10 s; a page of 9 (+1) is 100 s, four of them 400 s
    SessionListing.Window w = SessionListing.Window.below(new double[] {0, 10_000, 1_000}, Double.NaN, 9);

    assertThat(w.lower()).isEqualTo(9_600);
  }

  @Test
  void aCursorMovesTheTopOfTheWindowToItsTime() {
    SessionListing.Window w = SessionListing.Window.below(new double[] {0, 10_000, 1_000}, 5_000, 9);

    assertThat(w.lower()).isEqualTo(4_600);
  }

  @Test
  void aShortPageWidensTheWindowSixteenfoldUntilItReachesTheEarliestStartAndThenIsUnbounded() {
    SessionListing.Window w = SessionListing.Window.below(new double[] {0, 10_000, 1_000}, Double.NaN, 9);

    assertThat(w.wider().lower()).isEqualTo(10_000 - 6_400);
    assertThat(w.wider().wider().unbounded()).isTrue();
  }

  @Test
  void withoutStartsOrWithTimesThatSayNothingThePageIsUnbounded() {
    assertThat(SessionListing.Window.below(new double[] {Double.NaN, Double.NaN, 0}, Double.NaN, 50).unbounded())
        .isTrue();
    assertThat(SessionListing.Window.below(new double[] {Double.NaN, 5, 3}, Double.NaN, 50).unbounded()).isTrue();
    assertThat(SessionListing.Window.below(new double[] {7, 7, 3}, Double.NaN, 50).unbounded()).isTrue();
  }
}
