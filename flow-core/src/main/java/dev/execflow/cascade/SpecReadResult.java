package dev.execflow.cascade;

import java.util.List;
import java.util.Objects;

/**
 * A definition that was read, with what the reader ignored or found odd (unknown keys, handoffs to
 * phases the cascade does not declare, ...): counted, never fatal.
 *
 * @param spec the definition
 * @param warnings one entry per ignored key or oddity, in file order
 */
public record SpecReadResult(CascadeDefinition spec, List<SpecProblem> warnings) {
  public SpecReadResult {
    Objects.requireNonNull(spec, "spec");
    warnings = List.copyOf(warnings);
  }
}
