package dev.execflow.cascade;

import java.util.List;

/**
 * The wards of a phase by kind, each list in the definition's order: the overlay keys them
 * {@code pre_0, pre_1, ...}, {@code post_0, ...}, {@code turn_0, ...} in that order.
 *
 * @param pre validators run before the phase
 * @param post validators run on the phase's output
 * @param turn validators run after each turn
 */
public record WardsSpec(List<WardSpec> pre, List<WardSpec> post, List<WardSpec> turn) {
  /** A phase without wards. */
  public static final WardsSpec NONE = new WardsSpec(List.of(), List.of(), List.of());

  public WardsSpec {
    pre = pre == null ? List.of() : List.copyOf(pre);
    post = post == null ? List.of() : List.copyOf(post);
    turn = turn == null ? List.of() : List.copyOf(turn);
  }

  /** The wards of one kind: {@code "pre"}, {@code "post"} or {@code "turn"}; empty for others. */
  public List<WardSpec> ofKind(String kind) {
    switch (kind) {
      case "pre":
        return pre;
      case "post":
        return post;
      case "turn":
        return turn;
      default:
        return List.of();
    }
  }

  /** Whether no ward is declared. */
  public boolean isEmpty() {
    return pre.isEmpty() && post.isEmpty() && turn.isEmpty();
  }
}
