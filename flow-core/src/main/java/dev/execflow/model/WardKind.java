package dev.execflow.model;

import java.util.Locale;

/**
 * When a ward runs: before the phase, after it, or after each turn. Ward results are keyed by kind
 * and number in order of first run: {@code pre_0}, {@code pre_1}, {@code post_0}, {@code turn_0}.
 *
 * <pre>{@code
 * WardResult first = phase.details().wards().get(WardKind.POST.key(0));   // "post_0"
 * }</pre>
 */
public enum WardKind {
  PRE,
  POST,
  TURN;

  private final String prefix = name().toLowerCase(Locale.ROOT);

  /** {@code pre}, {@code post} or {@code turn}. */
  public String prefix() {
    return prefix;
  }

  /** The key of this kind's {@code n}-th ward, e.g. {@code post_1}. */
  public String key(int n) {
    return prefix + "_" + n;
  }

  /** The kind whose {@link #prefix()} is {@code prefix}, or null. */
  public static WardKind ofPrefix(String prefix) {
    for (WardKind kind : values()) {
      if (kind.prefix.equals(prefix)) {
        return kind;
      }
    }
    return null;
  }
}
