package dev.execflow.cascade;

import java.util.Objects;

/**
 * A declared handoff: the phase may hand off to {@code target}. Definitions write it either as the
 * target's name or as {@code {target, description}}.
 *
 * @param target the phase handed off to
 * @param description why/when, null when not given
 */
public record HandoffSpec(String target, String description) {
  public HandoffSpec {
    Objects.requireNonNull(target, "target");
  }

  /** A handoff without a description. */
  public static HandoffSpec to(String target) {
    return new HandoffSpec(target, null);
  }
}
