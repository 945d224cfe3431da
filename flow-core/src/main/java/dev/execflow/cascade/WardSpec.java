package dev.execflow.cascade;

import java.util.Objects;

/**
 * One declared ward (validator) of a phase.
 *
 * <p>A validator is usually named ({@code validator: length_check}); an inline validator
 * ({@code validator: {python: "..."}}) has no name in the definition, so it is called
 * {@code inline:<language>} (e.g. {@code inline:python}) here.
 *
 * @param validator the validator's name, never null
 * @param mode what a failure does; {@link WardMode#BLOCKING} when the definition does not say
 */
public record WardSpec(String validator, WardMode mode) {
  public WardSpec {
    Objects.requireNonNull(validator, "validator");
    mode = mode == null ? WardMode.BLOCKING : mode;
  }
}
