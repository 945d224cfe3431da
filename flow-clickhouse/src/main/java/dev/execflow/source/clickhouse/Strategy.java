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
   * The session size from which {@link #AUTO} pushes down by default: never ({@code
   * Long.MAX_VALUE}, and then nothing is counted). On the servers measured (18.16 on a two-core
   * machine shared with the client; BENCHMARKS.md) pushdown's queries cost the server more than the
   * rows they keep off the wire at every size: 9.7x slower than streaming at 1M rows, and a 10M-row
   * session it declined cost the count and the attempt on top. Set {@link
   * ClickHouseLogSourceBuilder#pushdownThreshold} for a server where it pays.
   */
  public static final long DEFAULT_PUSHDOWN_ROWS = Long.MAX_VALUE;

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
