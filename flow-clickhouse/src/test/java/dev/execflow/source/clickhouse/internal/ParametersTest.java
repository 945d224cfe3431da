package dev.execflow.source.clickhouse.internal;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

/**
 * A bound value is sent in the server's escaped text form; an inlined one as a literal. The
 * conformance suite's hostile ids check both against real engines; these pin the forms.
 */
class ParametersTest {
  @Test
  void aBoundValueIsAPlaceholderAndItsValueIsSentEscaped() {
    Parameters p = new Parameters(true);
    assertThat(p.string("sid", "a\\x41\tb\nc")).isEqualTo("{sid:String}");
    assertThat(p.values()).containsEntry("sid", "a\\\\x41\\tb\\nc");
  }

  @Test
  void aValueWithoutBackslashTabOrNewlineIsSentAsItIs() {
    assertThat(Parameters.escaped("it's ünï 😀 \r \0 %")).isEqualTo("it's ünï 😀 \r \0 %");
  }

  @Test
  void aTrailingBackslashIsEscapedSoTheServerDoesNotSeeAnUnfinishedEscape() {
    assertThat(Parameters.escaped("ends\\")).isEqualTo("ends\\\\");
  }

  @Test
  void anInlinedValueIsALiteralAndSendsNothing() {
    Parameters p = new Parameters(false);
    assertThat(p.string("sid", "it's")).startsWith("'");
    assertThat(p.values()).isEmpty();
  }
}
