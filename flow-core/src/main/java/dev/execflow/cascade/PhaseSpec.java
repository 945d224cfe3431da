package dev.execflow.cascade;

import java.util.ArrayList;
import java.util.List;
import java.util.Objects;

/**
 * One declared phase (later generation: cell) of a cascade.
 *
 * @param name the phase's name, unique within the cascade
 * @param instructions the prompt, null for a tool-only phase
 * @param rules turn and retry limits, {@link Rules#NONE} when none
 * @param soundings the phase's soundings, null when it has none
 * @param reforge refinement of the soundings' winner (definitions nest it in {@code soundings};
 *     a phase-level {@code reforge} is accepted too), null when none
 * @param wards declared validators, {@link WardsSpec#NONE} when none
 * @param handoffs the phases it may hand off to, in the definition's order
 */
public record PhaseSpec(
    String name,
    String instructions,
    Rules rules,
    SoundingsSpec soundings,
    ReforgeSpec reforge,
    WardsSpec wards,
    List<HandoffSpec> handoffs) {

  public PhaseSpec {
    Objects.requireNonNull(name, "name");
    rules = rules == null ? Rules.NONE : rules;
    wards = wards == null ? WardsSpec.NONE : wards;
    handoffs = handoffs == null ? List.of() : List.copyOf(handoffs);
  }

  /** A phase with only a name and handoff targets (handy in tests and programmatic specs). */
  public static PhaseSpec named(String name, String... handoffTargets) {
    List<HandoffSpec> handoffs = new ArrayList<>();
    for (String target : handoffTargets) {
      handoffs.add(HandoffSpec.to(target));
    }
    return new PhaseSpec(name, null, Rules.NONE, null, null, WardsSpec.NONE, handoffs);
  }

  /** The handoff targets in declared order, duplicates removed. */
  public List<String> handoffTargets() {
    List<String> targets = new ArrayList<>();
    for (HandoffSpec handoff : handoffs) {
      if (!targets.contains(handoff.target())) {
        targets.add(handoff.target());
      }
    }
    return List.copyOf(targets);
  }
}
