package dev.execflow.source.clickhouse.internal;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.ObjectMapper;
import org.junit.jupiter.api.Test;

/** Closing a JSON string the server cut at the content bound, so that it still reads as text. */
class RowDecoderTest {
  private static final ObjectMapper JSON = new ObjectMapper();

  private static String text(String json) throws Exception {
    return JSON.readTree(json).textValue();
  }

  @Test
  void aStringCutAtTheBoundIsClosedAfterItsLastCharacter() throws Exception {
    String closed = RowDecoder.closeCutString("\"abcdefghi", 10);
    assertThat(closed).isEqualTo("\"abcdefghi\"");
    assertThat(text(closed)).isEqualTo("abcdefghi");
  }

  @Test
  void anEscapeCutInTheMiddleIsDropped() throws Exception {
    assertThat(text(RowDecoder.closeCutString("\"ab\\u00e", 8))).isEqualTo("ab");
    assertThat(text(RowDecoder.closeCutString("\"abcdef\\", 8))).isEqualTo("abcdef");
  }

  @Test
  void completeEscapesAreKept() throws Exception {
    assertThat(text(RowDecoder.closeCutString("\"a\\nb\\u00e9\\\\", 13))).isEqualTo("a\nbé\\");
  }

  @Test
  void aHighSurrogateWithoutItsLowHalfIsDropped() throws Exception {
    assertThat(text(RowDecoder.closeCutString("\"ab\\ud83d\\ude0", 14))).isEqualTo("ab");
  }

  @Test
  void contentShorterThanTheBoundOrNotAStringIsLeftAsItCame() {
    assertThat(RowDecoder.closeCutString("\"short\"", 100)).isEqualTo("\"short\"");
    assertThat(RowDecoder.closeCutString("{\"content\": \"abcdefg", 20)).isEqualTo("{\"content\": \"abcdefg");
    assertThat(RowDecoder.closeCutString("\"done\" ", 7)).isEqualTo("\"done\" ");
    assertThat(RowDecoder.closeCutString(null, 7)).isNull();
  }
}
