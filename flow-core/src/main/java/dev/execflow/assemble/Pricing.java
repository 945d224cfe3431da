package dev.execflow.assemble;

/**
 * Costs as whole pico-dollars: sums of doubles drift ({@code 0.1 + 0.2 != 0.3}) and depend on the
 * order of the terms, so the fold, its merges and the listings add integers and convert once.
 *
 * <pre>{@code
 * long picos = Pricing.add(Pricing.picos(0.1), Pricing.picos(0.2));
 * double dollars = Pricing.dollars(picos);   // 0.3 exactly as a double can say it
 * }</pre>
 */
public final class Pricing {
  /** A row's cost that is absent or unusable. */
  public static final long NONE = Long.MIN_VALUE;
  /** Costs beyond a million dollars a row are taken for garbage (and warned about by the fold). */
  public static final double MAX_ROW_COST = 1e6;
  private static final double PICOS = 1e12;

  private Pricing() {}

  /** The cost in pico-dollars, or {@link #NONE} for NaN, infinite, negative or absurd values. */
  public static long picos(double dollars) {
    if (!(dollars >= 0 && dollars <= MAX_ROW_COST)) { // NaN fails both
      return NONE;
    }
    return Math.round(dollars * PICOS);
  }

  /** {@code a + b}, saturating instead of wrapping around. */
  public static long add(long a, long b) {
    long r = a + b;
    return ((a ^ r) & (b ^ r)) < 0 ? (a < 0 ? Long.MIN_VALUE + 1 : Long.MAX_VALUE) : r;
  }

  public static double dollars(long picos) {
    return picos / PICOS;
  }
}
