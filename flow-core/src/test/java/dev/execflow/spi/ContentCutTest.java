package dev.execflow.spi;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

/** Cutting content to a bound of code points, as every source cuts it. */
class ContentCutTest {
  @Test
  void contentWithinTheBoundIsKeptAsItIs() {
    String content = "\"short\"";

    assertThat(ContentCut.cut(content, 7)).isSameAs(content);
    assertThat(ContentCut.cut(null, 7)).isNull();
  }

  @Test
  void aCutJsonStringIsClosedAgain() {
    assertThat(ContentCut.cut("\"abcdefgh\"", 5)).isEqualTo("\"abcd\"");
  }

  @Test
  void aCutObjectStaysItsRawText() {
    assertThat(ContentCut.cut("{\"a\": [1, 2, 3]}", 6)).isEqualTo("{\"a\": ");
  }

  @Test
  void theBoundCountsCodePointsNotChars() {
    // each emoji is two chars and one code point
    assertThat(ContentCut.cut("\"😀😀😀😀\"", 3)).isEqualTo("\"😀😀\"");
  }

  @Test
  void aCuttingSinkPassesShortRowsOnAndCopiesCutOnes() {
    List<LogRow> seen = new ArrayList<>();
    List<String> contents = new ArrayList<>();
    RowSink sink = ContentCut.cutting(row -> {
      seen.add(row);
      contents.add(row.contentJson());
    }, 4);
    MutableLogRow shortRow = new MutableLogRow().traceId("a").contentJson("\"ok\"");
    MutableLogRow longRow = new MutableLogRow().traceId("b").contentJson("\"a long answer\"");

    sink.accept(shortRow);
    sink.accept(longRow);

    assertThat(seen.get(0)).isSameAs(shortRow);
    assertThat(seen.get(1)).isNotSameAs(longRow);
    assertThat(seen.get(1).traceId()).isEqualTo("b");
    assertThat(contents).containsExactly("\"ok\"", "\"a l\"");
    assertThat(longRow.contentJson()).isEqualTo("\"a long answer\"");
  }

  @Test
  void aQueryKeepsItsContentBoundThroughItsTimeRange() {
    SessionQuery q = SessionQuery.of("s").withContent(100).from(1).until(2);

    assertThat(q.contentLimit()).isEqualTo(100);
    assertThat(q.wantsContent()).isTrue();
    assertThat(SessionQuery.of("s").wantsContent()).isFalse();
    assertThatThrownBy(() -> SessionQuery.of("s").withContent(0)).isInstanceOf(IllegalArgumentException.class);
  }
}
