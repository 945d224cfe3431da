package dev.execflow.assemble;

/** Minimum and maximum of timestamps where NaN means "none yet": one place for the rule. */
final class Extremes {
  private Extremes() {}

  /** The smaller of two times; NaN only when both are. */
  static double min(double current, double candidate) {
    return Double.isNaN(current) || candidate < current ? candidate : current;
  }

  static double max(double current, double candidate) {
    return Double.isNaN(current) || candidate > current ? candidate : current;
  }
}
