package dev.execflow.model;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonPropertyOrder;
import java.util.List;

/**
 * Soundings of one phase.
 *
 * @param winnerIndex the winning sounding's index (an {@link SoundingAttempt#index()} of {@code
 *     attempts}), null while unknown
 * @param attempts one entry per sounding index seen, ascending by index
 */
@JsonPropertyOrder({"winnerIndex", "attempts"})
public record Soundings(@JsonInclude(JsonInclude.Include.ALWAYS) Integer winnerIndex, List<SoundingAttempt> attempts) {
  public Soundings {
    attempts = List.copyOf(attempts);
  }
}
