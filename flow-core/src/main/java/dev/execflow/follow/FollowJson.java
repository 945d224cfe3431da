package dev.execflow.follow;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.execflow.json.ExecutionJson;

/**
 * The JSON of {@link FollowEvent}s: one compact object per event (documented in the README), its
 * numbers written as {@link ExecutionJson} writes them.
 *
 * <pre>{@code
 * String line = FollowJson.write(event);   // {"type":"cost","id":8,"sessionId":"s1",...}
 * FollowEvent back = FollowJson.read(line);
 * }</pre>
 */
public final class FollowJson {
  private static final ObjectMapper MAPPER = ExecutionJson.mapper();

  private FollowJson() {}

  public static String write(FollowEvent event) {
    try {
      return MAPPER.writeValueAsString(event);
    } catch (JsonProcessingException e) {
      throw new IllegalStateException("a follow event could not be written as JSON", e);
    }
  }

  /**
   * Reads an event {@link #write} wrote; unknown fields are ignored.
   *
   * @throws IllegalArgumentException when the text is not an event
   */
  public static FollowEvent read(String json) {
    try {
      return MAPPER.readValue(json, FollowEvent.class);
    } catch (JsonProcessingException e) {
      throw new IllegalArgumentException("not a follow event: " + e.getOriginalMessage(), e);
    }
  }
}
