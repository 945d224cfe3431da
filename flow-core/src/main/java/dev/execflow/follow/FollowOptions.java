package dev.execflow.follow;

import dev.execflow.assemble.AssemblyOptions;
import dev.execflow.spi.SessionTail;
import java.time.Clock;
import java.time.Duration;
import java.util.Objects;

/**
 * How a {@link SessionFollower} follows: its fold's options, the tail's look-back window, the poll
 * interval (adaptive: from {@code interval} while rows arrive up to {@code idleInterval} while
 * none do), the grace period after the terminal row, when a running session counts as stalled,
 * how often a quiet follow says it is alive, and the clock all of that is measured with.
 *
 * <pre>{@code
 * FollowOptions options = FollowOptions.defaults().toBuilder()
 *     .grace(Duration.ofSeconds(10)).stallAfter(Duration.ofMinutes(2)).build();
 * }</pre>
 *
 * @param assembly the fold's options; keep its clock null so the result equals the batch fold (a
 *     follower starts its trace index small whatever they say: see {@code SessionFollower})
 * @param lookBack how far (row time) behind its cursor a poll re-reads for late rows, and how long
 *     a follower keeps recent rows open to place late ones exactly
 * @param interval the poll interval while rows arrive
 * @param idleInterval the longest poll interval, reached by doubling while no rows arrive
 * @param grace how long to keep following after the terminal row (late {@code cost_update} rows)
 * @param stallAfter no new rows for this long while running: a {@code stalled} event
 * @param heartbeat no event for this long: a {@code heartbeat} event
 * @param maxOpenRows the most recent rows kept open for late rows (beyond it the oldest are sealed)
 * @param clock the wall clock (tests inject a controllable one)
 */
public record FollowOptions(
    AssemblyOptions assembly,
    Duration lookBack,
    Duration interval,
    Duration idleInterval,
    Duration grace,
    Duration stallAfter,
    Duration heartbeat,
    int maxOpenRows,
    Clock clock) {

  public FollowOptions {
    Objects.requireNonNull(assembly, "assembly");
    Objects.requireNonNull(clock, "clock");
    for (Duration d : new Duration[] {lookBack, interval, idleInterval, grace, stallAfter, heartbeat}) {
      if (d == null || d.isNegative()) {
        throw new IllegalArgumentException("durations must be given and not negative");
      }
    }
    if (interval.isZero() || idleInterval.compareTo(interval) < 0) {
      throw new IllegalArgumentException("need 0 < interval <= idleInterval, got " + interval + ", " + idleInterval);
    }
    if (maxOpenRows < 1) {
      throw new IllegalArgumentException("maxOpenRows must be positive, was " + maxOpenRows);
    }
  }

  /**
   * Look-back {@link SessionTail#DEFAULT_LOOK_BACK 5 s}, polls every 500 ms (up to 2 s while idle),
   * grace 5 s, stalled after 60 s without rows, heartbeat every 15 s, 100,000 open rows, UTC.
   */
  public static FollowOptions defaults() {
    return new FollowOptions(AssemblyOptions.defaults(), SessionTail.DEFAULT_LOOK_BACK, Duration.ofMillis(500),
        Duration.ofSeconds(2), Duration.ofSeconds(5), Duration.ofSeconds(60), Duration.ofSeconds(15), 100_000,
        Clock.systemUTC());
  }

  public Builder toBuilder() {
    return new Builder(this);
  }

  /** Builds {@link FollowOptions} from another value. */
  public static final class Builder {
    private AssemblyOptions assembly;
    private Duration lookBack;
    private Duration interval;
    private Duration idleInterval;
    private Duration grace;
    private Duration stallAfter;
    private Duration heartbeat;
    private int maxOpenRows;
    private Clock clock;

    private Builder(FollowOptions o) {
      assembly = o.assembly;
      lookBack = o.lookBack;
      interval = o.interval;
      idleInterval = o.idleInterval;
      grace = o.grace;
      stallAfter = o.stallAfter;
      heartbeat = o.heartbeat;
      maxOpenRows = o.maxOpenRows;
      clock = o.clock;
    }

    public Builder assembly(AssemblyOptions v) { assembly = v; return this; }
    public Builder lookBack(Duration v) { lookBack = v; return this; }
    /** The poll interval; the idle interval grows with it to keep at least 4 times it. */
    public Builder interval(Duration v) {
      interval = v;
      if (idleInterval.compareTo(v.multipliedBy(4)) < 0) {
        idleInterval = v.multipliedBy(4);
      }
      return this;
    }
    public Builder idleInterval(Duration v) { idleInterval = v; return this; }
    public Builder grace(Duration v) { grace = v; return this; }
    public Builder stallAfter(Duration v) { stallAfter = v; return this; }
    public Builder heartbeat(Duration v) { heartbeat = v; return this; }
    public Builder maxOpenRows(int v) { maxOpenRows = v; return this; }
    public Builder clock(Clock v) { clock = v; return this; }

    public FollowOptions build() {
      return new FollowOptions(assembly, lookBack, interval, idleInterval, grace, stallAfter, heartbeat,
          maxOpenRows, clock);
    }
  }
}
