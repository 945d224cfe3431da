package dev.execflow.assemble;

import static dev.execflow.Theories.theories;
import static org.assertj.core.api.Assertions.assertThat;
import static org.quicktheories.generators.SourceDSL.lists;
import static org.quicktheories.generators.SourceDSL.strings;

import com.fasterxml.jackson.databind.ObjectMapper;
import dev.execflow.spi.LogRow;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import org.quicktheories.core.Gen;
import org.quicktheories.generators.Generate;

/** The metadata scanner agrees with a strict JSON parser on what is JSON, and reads fields right. */
class FlatJsonTest {
  private final FlatJson json = new FlatJson();

  @Test
  void readsTopLevelFieldsOfEveryType() {
    assertThat(json.scan("{\"turn_number\": 2.0, \"valid\": \"false\", \"reason\": \"too \\\"long\\\"\\n\","
        + " \"nested\": {\"turn_number\": 9}, \"list\": [1, {\"a\": null}]}",
        "turn_number", "valid", "reason", "nested", "missing")).isTrue();

    assertThat(json.intValue(0)).isEqualTo(2);
    assertThat(json.boolValue(1)).isFalse();
    assertThat(json.stringValue(2)).isEqualTo("too \"long\"\n");
    assertThat(json.stringValue(3)).isEqualTo("{\"turn_number\": 9}");
    assertThat(json.has(4)).isFalse();
    assertThat(json.intValue(4)).isEqualTo(LogRow.NO_INT);
  }

  @Test
  void numbersWrittenAsStringsAreIntegers() {
    json.scan("{\"winner_index\": \"2\", \"step\": -1, \"big\": 99999999999, \"frac\": 1.5}",
        "winner_index", "step", "big", "frac");
    assertThat(json.intValue(0)).isEqualTo(2);
    assertThat(json.intValue(1)).isEqualTo(-1);
    assertThat(json.intValue(2)).isEqualTo(LogRow.NO_INT);
    assertThat(json.intValue(3)).isEqualTo(LogRow.NO_INT);
  }

  @ParameterizedTest
  @ValueSource(strings = {"{", "{turn_number: 1}", "{\"a\": 1,}", "[1, 2", "{\"a\": tru}", "01", "\"unterminated",
      "{\"a\": 1} trailing", "", "{\"a\": \"bad \\x escape\"}", "{\"a\" 1}"})
  void malformedTextIsRejected(String text) {
    assertThat(json.scan(text, "a")).isFalse();
  }

  @Test
  void agreesWithJacksonOnWhatIsJson() {
    theories(1000).forAll(anyTextOrNearJson()).checkAssert(text -> {
      boolean jackson;
      try {
        new ObjectMapper().enable(com.fasterxml.jackson.databind.DeserializationFeature.FAIL_ON_TRAILING_TOKENS).readTree(text);
        jackson = !text.isBlank();
      } catch (Exception e) {
        jackson = false;
      }
      if (!jackson || text.trim().equals(text)) {
        assertThat(json.scan(text, "a")).as(text).isEqualTo(jackson);
      }
    });
  }

  /** Any text at all, and text built from JSON's own tokens, which is valid JSON far more often. */
  private static Gen<String> anyTextOrNearJson() {
    Gen<String> token = Generate.pick(java.util.List.of("{", "}", "[", "]", ",", ":", "\"a\"", "\"\\n\"",
        "\"\\u00e9\"", "\"\\x\"", "1", "-0.5e3", "01", "true", "fals", "null", " ", "\n"));
    Gen<String> nearJson = lists().of(token).ofSizeBetween(0, 12).map(parts -> String.join("", parts));
    return strings().allPossible().ofLengthBetween(0, 40).mix(nearJson);
  }
}
