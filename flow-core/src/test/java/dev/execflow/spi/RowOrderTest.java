package dev.execflow.spi;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

/** The canonical row order, as a database sorts the same keys. */
class RowOrderTest {
  private static MutableLogRow at(double ts) {
    return new MutableLogRow().timestamp(ts);
  }

  @Test
  void timestampsFirstWithNullLastAndSignedZerosEqual() {
    assertThat(RowOrder.compare(at(1), at(2))).isNegative();
    assertThat(RowOrder.compare(at(Double.NaN), at(1e12))).isPositive();
    assertThat(RowOrder.compare(at(-0.0), at(0.0))).isZero();
  }

  @Test
  void equalTimestampsAreOrderedByMessageIdThenTraceIdAndTheRestWithNullsLast() {
    List<MutableLogRow> rows = new ArrayList<>(List.of(
        at(5).traceId("b"),
        at(5).traceId(null).nodeType("agent"),
        at(5).traceId("a").role("user"),
        at(5).traceId("a").role("assistant"),
        at(5).messageId("m1").traceId("z")));
    rows.sort(RowOrder.CANONICAL);

    assertThat(rows).extracting(r -> r.messageId() + "/" + r.traceId() + "/" + r.role())
        .containsExactly("m1/z/null", "null/a/assistant", "null/a/user", "null/b/null", "null/null/null");
  }

  @Test
  void stringsCompareByCodePointAsUtf8BytesDo() {
    // U+FFFD sorts before U+1F600 by code point (and UTF-8 bytes), after it in UTF-16 units
    assertThat(RowOrder.compare(at(1).traceId("\uFFFD"), at(1).traceId("\uD83D\uDE00"))).isNegative();
    assertThat(RowOrder.compare(at(1).traceId("ab"), at(1).traceId("abc"))).isNegative();
  }

  @Test
  void numbersCompareNumericallyWithNullLast() {
    assertThat(RowOrder.compare(at(1).soundingIndex(-3), at(1).soundingIndex(2))).isNegative();
    assertThat(RowOrder.compare(at(1).soundingIndex(LogRow.NO_INT), at(1).soundingIndex(Integer.MAX_VALUE))).isPositive();
    assertThat(RowOrder.compare(at(1).turnNumber(1), at(1).turnNumber(1))).isZero();
  }
}
