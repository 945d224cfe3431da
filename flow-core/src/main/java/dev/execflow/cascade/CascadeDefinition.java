package dev.execflow.cascade;

import java.util.HashSet;
import java.util.List;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;

/**
 * A cascade definition: the graph the flow viewer draws and the execution is overlaid on.
 * Read one with {@link CascadeDefinitionReader}, a directory of them with {@link CascadeCatalog}:
 *
 * <pre>{@code
 * CascadeDefinition spec = CascadeDefinitionReader.read(Path.of("cascades/blog_flow.yaml")).spec();
 * ExecutionData overlaid = ExecutionOverlay.apply(executionData, spec);
 * }</pre>
 *
 * @param cascadeId the cascade's id (the {@code cascade_id} of its sessions' rows)
 * @param description what it does, may be null
 * @param phases the declared phases (later generation: cells) in definition order; names must be
 *     unique ({@link IllegalArgumentException} otherwise)
 * @param source where the definition was read from (file name or classpath resource), may be null
 */
public record CascadeDefinition(String cascadeId, String description, List<PhaseSpec> phases, String source) {

  public CascadeDefinition {
    Objects.requireNonNull(cascadeId, "cascadeId");
    phases = List.copyOf(phases);
    Set<String> names = new HashSet<>();
    for (PhaseSpec phase : phases) {
      if (!names.add(phase.name())) {
        throw new IllegalArgumentException("duplicate phase name '" + phase.name() + "'");
      }
    }
  }

  /** The declared phase called {@code name}, if any. */
  public Optional<PhaseSpec> phase(String name) {
    for (PhaseSpec phase : phases) {
      if (phase.name().equals(name)) {
        return Optional.of(phase);
      }
    }
    return Optional.empty();
  }

  /** The phase names in definition order. */
  public List<String> phaseNames() {
    return phases.stream().map(PhaseSpec::name).toList();
  }
}
