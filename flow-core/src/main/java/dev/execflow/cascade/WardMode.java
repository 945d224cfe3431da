package dev.execflow.cascade;

import java.util.Locale;

/** What a failing ward does to its phase; written lowercase in definitions and JSON. */
public enum WardMode {
  /** A failure stops the phase (the default of the original system). */
  BLOCKING,
  /** A failure is logged, the phase goes on. */
  ADVISORY,
  /** A failure re-runs the phase (up to the ward's attempts). */
  RETRY;

  /** The lowercase name used in definitions ({@code blocking}, {@code advisory}, {@code retry}). */
  public String json() {
    return name().toLowerCase(Locale.ROOT);
  }

  /** The mode named {@code text} (case-insensitive), or null when it is not a mode. */
  static WardMode parse(String text) {
    for (WardMode mode : values()) {
      if (mode.json().equalsIgnoreCase(text.trim())) {
        return mode;
      }
    }
    return null;
  }
}
