package dev.execflow.source.clickhouse;

import java.util.Locale;

/**
 * How {@link ClickHouseLogSource} folds a whole session into an {@code ExecutionAssembler}. The
 * result is the same {@code ExecutionData} either way; only where the work happens differs.
 *
 * <pre>{@code
 * ClickHouseLogSource source = ClickHouseLogSource.builder().endpoint(url)
 *     .strategy(Strategy.parse("pushdown"))   // the CLI's --strategy
 *     .build();
 * }</pre>
 */
public enum Strategy {
  /** Every row crosses the wire and is folded here (what a plain {@code RowSink} always gets). */
  STREAM,
  /**
   * The server sums up what most rows add to their phase and streams only the rows the fold must
   * read itself; when the server cannot prove its sums exact for a session, that session streams.
   */
  PUSHDOWN,
  /**
   * Pushdown for sessions from {@link ClickHouseLogSourceBuilder#pushdownThreshold} rows on (counted
   * first, on tables where counting is cheap), else stream.
   */
  AUTO;

  /**
   * The session size from which {@link #AUTO} pushes down: above the sizes measured here (a
   * two-core machine shared by server and client, where the server's extra work cost more than the
   * rows it kept off the wire; see BENCHMARKS.md), for a server with cores of its own.
   */
  public static final long DEFAULT_PUSHDOWN_ROWS = 5_000_000;

  /** {@code stream}, {@code pushdown} or {@code auto} (any case). */
  public static Strategy parse(String name) {
    for (Strategy s : values()) {
      if (s.name().equalsIgnoreCase(name.strip())) {
        return s;
      }
    }
    throw new IllegalArgumentException("unknown strategy '" + name + "': use stream, pushdown or auto");
  }

  /** The name scripts use ({@code stream}, {@code pushdown}, {@code auto}). */
  public String label() {
    return name().toLowerCase(Locale.ROOT);
  }
}
