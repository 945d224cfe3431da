package dev.execflow.spi;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import org.junit.jupiter.api.Test;

class SessionCursorTest {
  private static MutableLogRow row(double ts, String trace) {
    return new MutableLogRow().timestamp(ts).sessionId("s1").traceId(trace).nodeType("agent").role("assistant");
  }

  @Test
  void theMessageIdIsTheKeyWhereTheTableHasOne() {
    assertThat(SessionCursor.rowKey(row(1, "t").messageId("0b1c"))).isEqualTo("m:0b1c");
  }

  @Test
  void withoutAMessageIdTheKeyNamesTraceNodeTypeAndRole() {
    assertThat(SessionCursor.rowKey(row(1, "t1"))).startsWith("r:t1\u001fagent\u001fassistant\u001f");
  }

  @Test
  void aCopyOfARowHasItsKeyAndAnyOtherColumnChangesIt() {
    MutableLogRow row = row(1, "t1").cost(0.5).contentJson("\"hi\"");

    assertThat(SessionCursor.rowKey(row.copy())).isEqualTo(SessionCursor.rowKey(row));
    assertThat(SessionCursor.rowKey(row.copy().cost(0.25))).isNotEqualTo(SessionCursor.rowKey(row));
    assertThat(SessionCursor.rowKey(row.copy().contentJson("\"ho\""))).isNotEqualTo(SessionCursor.rowKey(row));
    assertThat(SessionCursor.rowKey(row.copy().tokensIn(3))).isNotEqualTo(SessionCursor.rowKey(row));
  }

  @Test
  void rowsAreOrderedByTimeThenKey() {
    SessionCursor at = SessionCursor.at(row(10, "b"));

    assertThat(at.precedes(row(11, "a"))).isTrue();
    assertThat(at.precedes(row(10, "c"))).isTrue();
    assertThat(at.precedes(row(10, "b"))).isFalse();
    assertThat(at.precedes(row(10, "a"))).isFalse();
    assertThat(at.precedes(row(9, "z"))).isFalse();
    assertThat(SessionCursor.START.precedes(row(Double.NaN, "a"))).isTrue();
    assertThat(SessionCursor.START.precedes(row(-1e300, "a"))).isTrue();
  }

  @Test
  void theTextFormReadsBackExactly() {
    SessionCursor cursor = SessionCursor.at(row(1736071200.123456, "t\n1"));

    assertThat(SessionCursor.decode(cursor.encode())).isEqualTo(cursor);
    assertThat(SessionCursor.decode(SessionCursor.START.encode())).isEqualTo(SessionCursor.START);
    assertThat(cursor.encode()).matches("[A-Za-z0-9_-]+");
  }

  @Test
  void textThatIsNotACursorIsBadInput() {
    assertThatThrownBy(() -> SessionCursor.decode("not a cursor"))
        .isInstanceOfSatisfying(LogSourceException.class,
            e -> assertThat(e.reason()).isEqualTo(LogSourceException.Reason.BAD_INPUT));
  }
}
