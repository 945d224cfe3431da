package dev.execflow.source.clickhouse.internal;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import org.junit.jupiter.api.Test;

/** The string-literal escaper: the only defence against hostile session ids on 18.16. */
class SqlTest {
  @Test
  void plainTextIsQuotedUnchanged() {
    assertThat(Sql.literal("sess-42_a.b")).isEqualTo("'sess-42_a.b'");
  }

  @Test
  void quoteAndBackslashAreEscaped() {
    assertThat(Sql.literal("it's a \\ test")).isEqualTo("'it\\'s a \\\\ test'");
  }

  @Test
  void controlCharactersAndNulBecomeHexEscapes() {
    assertThat(Sql.literal("a\0b\nc\rd\te\u007f")).isEqualTo("'a\\x00b\\x0Ac\\x0Dd\\x09e\\x7F'");
  }

  @Test
  void nonAsciiIsWrittenAsItsUtf8BytesSoTheLiteralIsPureAscii() {
    assertThat(Sql.literal("é€😀")).isEqualTo("'\\xC3\\xA9\\xE2\\x82\\xAC\\xF0\\x9F\\x98\\x80'");
  }

  @Test
  void sqlCommentsAndStatementBreaksStayInsideTheLiteral() {
    String literal = Sql.literal("x' OR 1=1 -- ; DROP TABLE t");
    assertThat(literal).isEqualTo("'x\\' OR 1=1 -- ; DROP TABLE t'");
  }

  @Test
  void unpairedSurrogateIsRejectedRatherThanTurnedIntoAQuestionMark() {
    assertThatThrownBy(() -> Sql.literal("a\uD800b")).isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("unpaired surrogate");
  }

  @Test
  void identifiersAreBackQuotedWithTheirQuotesEscaped() {
    assertThat(Sql.identifier("my`table")).isEqualTo("`my\\`table`");
    assertThat(Sql.table("db", "unified_logs")).isEqualTo("`db`.`unified_logs`");
  }

  @Test
  void float64LiteralsKeepEveryBit() {
    assertThat(Sql.float64(1.7000000001234567E9)).isEqualTo("toFloat64(1.7000000001234567E9)");
    assertThat(Sql.float64(Double.NaN)).isEqualTo("nan");
  }
}
