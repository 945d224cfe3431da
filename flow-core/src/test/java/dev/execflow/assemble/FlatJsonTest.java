package dev.execflow.assemble;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.ObjectMapper;
import dev.execflow.spi.LogRow;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

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

  @Property(tries = 500)
  void agreesWithJacksonOnWhatIsJson(@ForAll String text) throws Exception {
    boolean jackson;
    try {
      new ObjectMapper().readTree(text);
      jackson = !text.isBlank();
    } catch (Exception e) {
      jackson = false;
    }
    if (!jackson || text.trim().equals(text)) {
      assertThat(json.scan(text, "a")).isEqualTo(jackson);
    }
  }
}
