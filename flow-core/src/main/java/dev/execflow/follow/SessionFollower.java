package dev.execflow.follow;

import dev.execflow.assemble.AssemblyOptions;
import dev.execflow.assemble.ExecutionAssembler;
import dev.execflow.model.ExecutionData;
import dev.execflow.model.Status;
import dev.execflow.spi.LogRow;
import dev.execflow.spi.LogSource;
import dev.execflow.spi.LogSourceException;
import dev.execflow.spi.MutableLogRow;
import dev.execflow.spi.SessionCursor;
import dev.execflow.spi.SessionTail;
import dev.execflow.spi.TailSink;
import dev.execflow.spi.WarningKind;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;

/**
 * Follows one running session: keeps its fold, folds each batch of new rows a {@link SessionTail}
 * delivers, and derives typed {@link FollowEvent}s from what changed. The first poll gives a
 * {@code snapshot} (the whole {@code executionData}; empty for a session without rows yet), later
 * polls the changes; after the terminal row it follows for a grace period (late {@code
 * cost_update} rows), then gives {@code final} and is done. A poll costs the new rows (and the
 * rows of the look-back window for tails that deliver late rows), never the session.
 *
 * <pre>{@code
 * try (SessionFollower follower = SessionFollower.open(source, "sess-42", FollowOptions.defaults())) {
 *   while (!follower.isFinished()) {
 *     follower.poll().forEach(event -> System.out.println(FollowJson.write(event)));
 *     Thread.sleep(follower.nextPollIn().toMillis());
 *   }
 * }
 * }</pre>
 *
 * <h2>Exactness</h2>
 *
 * <p>The final {@code executionData} equals the batch fold of the same rows. For tails whose rows
 * come in the order a full read gives them ({@link SessionTail#deliversLateRows()} false), rows are
 * folded as they come. For the others, the rows of the last {@code lookBack} seconds (row time)
 * stay <em>open</em>: kept in time order beside the sealed fold of the older rows, so that a row
 * that became visible late is placed where a full read would have placed it (the view is then
 * rebuilt once from a copy of the sealed fold and the open rows; while rows come in order it grows
 * row by row). Rows older than the window are sealed into the fold. A row that arrives older than the sealed time
 * (later than the tail's guarantee) is folded out of order and counted as a {@code late_row}
 * warning, never dropped.
 *
 * <p>Events are numbered from 1 up; {@link #current()} is a {@code snapshot} of the state after
 * the last event, carrying that event's id, for a reader that joins mid-follow. A failing source
 * does not fail the poll: the follower reports it in a {@code heartbeat} event's {@code error}
 * (and {@link #lastFailure()}) and resumes from its cursor on the next poll. Not thread-safe: one
 * poller at a time.
 */
public final class SessionFollower implements AutoCloseable {
  /**
   * Entries a follower's folds start their trace index with: they grow to the capacity {@link
   * FollowOptions#assembly} gives as the session's calls come (the same fold), so that the many
   * followers of a service, mostly of small sessions, hold two ~4 KB indexes each instead of two
   * ~1 MB ones (a followed 20-row session takes 27 KB of heap in all: FollowScaleBenchmark).
   */
  static final int TRACE_INDEX_START = 64;

  private final String sessionId;
  private final SessionTail tail;
  private final FollowOptions options;
  /** The fold's options: {@code options.assembly()} with a small start for the trace index. */
  private final AssemblyOptions fold;
  private final boolean open;
  private final double lookBack;
  private final Sink sink = new Sink();

  private ExecutionAssembler sealed;
  /**
   * Open mode: the sealed fold with the open rows folded on, kept up to date row by row while rows
   * come in order; rebuilt (a copy of the sealed fold and the open rows) only after a late row.
   */
  private ExecutionAssembler live;
  private boolean liveStale;
  /** Rows not yet sealed, in time order (arrival order within a time). */
  private final List<MutableLogRow> openRows = new ArrayList<>();
  private final List<Double> openTimes = new ArrayList<>();
  private double sealedUntil = Double.NEGATIVE_INFINITY;
  private double newest = Double.NEGATIVE_INFINITY;
  private boolean restarted;

  private ExecutionData state;
  /** The newest row time {@link #state} covers (null: none). */
  private Double stateLatest;
  private long lastId;
  private final Instant startedAt;
  private Instant lastRowsAt;
  private Instant lastEventAt;
  private Instant terminalSeenAt;
  private boolean stalled;
  private boolean finished;
  private boolean snapshotSent;
  private int idlePolls;
  private long rowsRead;
  private long takenBefore;
  private LogSourceException lastFailure;

  /**
   * A follower of {@code sessionId} over {@code tail}.
   *
   * @param tail where the rows come from; closed with the follower
   */
  public SessionFollower(SessionTail tail, String sessionId, FollowOptions options) {
    this.tail = Objects.requireNonNull(tail, "tail");
    this.sessionId = Objects.requireNonNull(sessionId, "sessionId");
    this.options = Objects.requireNonNull(options, "options");
    this.open = tail.deliversLateRows() && !options.lookBack().isZero();
    this.lookBack = options.lookBack().toNanos() / 1e9;
    this.fold = options.assembly().toBuilder()
        .traceIndexInitialCapacity(Math.min(TRACE_INDEX_START, options.assembly().traceIndexInitialCapacity())).build();
    this.sealed = new ExecutionAssembler(fold);
    this.live = open ? new ExecutionAssembler(fold) : null;
    this.state = sealed.snapshot();
    this.startedAt = options.clock().instant();
    this.lastRowsAt = startedAt;
    this.lastEventAt = startedAt;
  }

  /** Follows {@code sessionId} of {@code source} from its first row. */
  public static SessionFollower open(LogSource source, String sessionId, FollowOptions options) {
    return new SessionFollower(source.tail(sessionId, SessionCursor.START, options.lookBack()), sessionId, options);
  }

  public String sessionId() {
    return sessionId;
  }

  /**
   * Reads what is new and returns the events it caused (possibly none); after {@code final},
   * nothing. Never throws for a failing source (see the class comment).
   */
  public List<FollowEvent> poll() {
    if (finished) {
      return List.of();
    }
    Instant now = options.clock().instant();
    LogSourceException failure = null;
    try {
      tail.poll(sink);
    } catch (LogSourceException e) {
      failure = e;
    }
    return afterRead(now, failure);
  }

  // For FollowHub, which reads the tails of many followers in one request (CursorTail.pollAll).
  SessionTail tail() {
    return tail;
  }

  TailSink sink() {
    return sink;
  }

  /**
   * The second half of a poll: the tail's rows went into {@link #sink()} (all of them, or those
   * before {@code failure}); derive the events.
   */
  List<FollowEvent> afterRead(Instant now, LogSourceException failure) {
    if (finished) {
      return List.of();
    }
    List<FollowEvent> out = new ArrayList<>();
    // counted as the sink took them: a read that failed part-way still delivered its rows
    long fresh = sink.taken - takenBefore;
    takenBefore = sink.taken;
    if (failure == null && lastFailure != null) {
      lastFailure = null;
      out.add(FollowEvent.of(EventType.HEARTBEAT, sessionId, seconds(now)).build());
    } else if (failure != null) {
      boolean first = lastFailure == null;
      lastFailure = failure;
      rowsRead += fresh;
      if (first || Duration.between(lastEventAt, now).compareTo(options.heartbeat()) >= 0) {
        out.add(FollowEvent.of(EventType.HEARTBEAT, sessionId, seconds(now)).error(failure.getMessage()).build());
      }
      if (fresh > 0) {
        lastRowsAt = now;
      }
      return number(out, now);
    }
    rowsRead += fresh;
    if (fresh > 0) {
      lastRowsAt = now;
      idlePolls = 0;
      if (stalled) {
        stalled = false;
        out.add(FollowEvent.of(EventType.HEARTBEAT, sessionId, seconds(now)).build());
      }
    } else {
      idlePolls++;
    }
    seal(newest - lookBack);
    ExecutionData before = state;
    ExecutionData after = view();
    state = after;
    Double latest = newest == Double.NEGATIVE_INFINITY ? null : newest;
    stateLatest = latest;
    if (!snapshotSent || restarted) {
      out.add(FollowEvent.of(EventType.SNAPSHOT, sessionId, latest).executionData(after).build());
      if (after.summary().status() != Status.RUNNING && !restarted) {
        out.addAll(EventDiff.between(after.withOverlay(after.phases(),
            after.summary().toBuilder().status(Status.RUNNING).build(), after.edges(), after.warnings()),
            after, latest));
      }
      snapshotSent = true;
      restarted = false;
    } else {
      out.addAll(EventDiff.between(before, after, latest));
    }
    boolean terminal = after.summary().status() != Status.RUNNING;
    if (terminal) {
      if (terminalSeenAt == null) {
        terminalSeenAt = now;
      }
      if (!now.isBefore(finalAt(after))) {
        seal(Double.POSITIVE_INFINITY);
        ExecutionData last = sealed.snapshot();
        out.addAll(EventDiff.between(state, last, latest));
        state = last;
        out.add(FollowEvent.of(EventType.FINAL, sessionId, last.summary().endedAt() != null
                ? last.summary().endedAt() : latest)
            .status(last.summary().status()).totalCost(last.summary().totalCost()).executionData(last).build());
        finished = true;
        return number(out, now);
      }
    } else {
      terminalSeenAt = null;
      Duration idle = Duration.between(lastRowsAt, now);
      if (!stalled && fresh == 0 && idle.compareTo(options.stallAfter()) >= 0) {
        stalled = true;
        out.add(FollowEvent.of(EventType.STALLED, sessionId, seconds(now))
            .idleSeconds(idle.toNanos() / 1e9).build());
      }
    }
    if (out.isEmpty() && Duration.between(lastEventAt, now).compareTo(options.heartbeat()) >= 0) {
      out.add(FollowEvent.of(EventType.HEARTBEAT, sessionId, seconds(now)).build());
    }
    return number(out, now);
  }

  /**
   * When {@code final} is due: the grace period after the terminal row was first seen, or at once
   * when the terminal row was already older than the grace period then (a session that ended
   * long ago has no late rows left to wait for).
   */
  private Instant finalAt(ExecutionData data) {
    Double ended = data.summary().endedAt();
    if (ended != null && ended + options.grace().toNanos() / 1e9 <= seconds(terminalSeenAt)) {
      return terminalSeenAt;
    }
    return terminalSeenAt.plus(options.grace());
  }

  private List<FollowEvent> number(List<FollowEvent> events, Instant now) {
    if (events.isEmpty()) {
      return events;
    }
    List<FollowEvent> numbered = new ArrayList<>(events.size());
    for (FollowEvent e : events) {
      numbered.add(e.withId(++lastId));
    }
    lastEventAt = now;
    return numbered;
  }

  private static double seconds(Instant t) {
    return t.getEpochSecond() + t.getNano() / 1e9;
  }

  /** The state after the last event, as a {@code snapshot} carrying that event's id. */
  public FollowEvent current() {
    FollowEvent.Builder b = FollowEvent.of(finished ? EventType.FINAL : EventType.SNAPSHOT, sessionId,
        stateLatest).executionData(state).id(lastId);
    if (finished) {
      b.status(state.summary().status()).totalCost(state.summary().totalCost());
    }
    return b.build();
  }

  /** The {@code executionData} after the last poll. */
  public ExecutionData executionData() {
    return state;
  }

  /** Whether {@code final} was given: nothing more will come. */
  public boolean isFinished() {
    return finished;
  }

  /** The id of the last event given (0 before the first). */
  public long lastEventId() {
    return lastId;
  }

  /** Rows the tail delivered so far. */
  public long rowsRead() {
    return rowsRead;
  }

  /** The tail's cursor: where a resumed follow would start. */
  public SessionCursor cursor() {
    return tail.cursor();
  }

  /** The failure of the last poll, null when it succeeded. */
  public LogSourceException lastFailure() {
    return lastFailure;
  }

  /** Whether the follower reported the session stalled and no row came since. */
  public boolean isStalled() {
    return stalled;
  }

  /**
   * When to poll next: the interval while rows arrive, doubling per idle poll up to the idle
   * interval; the interval again while the grace period runs, so {@code final} is not late.
   */
  public Duration nextPollIn() {
    if (terminalSeenAt != null || idlePolls == 0) {
      return options.interval();
    }
    Duration d = options.interval();
    for (int i = 0; i < idlePolls && d.compareTo(options.idleInterval()) < 0; i++) {
      d = d.multipliedBy(2);
    }
    return d.compareTo(options.idleInterval()) > 0 ? options.idleInterval() : d;
  }

  @Override
  public void close() {
    tail.close();
  }

  // ---------------------------------------------------------------- the open window

  /**
   * The current view: the sealed fold with the open rows on top. While rows come in order that is
   * {@link #live}, grown row by row (a poll costs its new rows); a late row makes it stale, and it
   * is rebuilt from a copy of the sealed fold.
   */
  private ExecutionData view() {
    if (!open) {
      return sealed.snapshot();
    }
    if (liveStale) {
      live = ExecutionAssembler.merge(sealed, new ExecutionAssembler(fold));
      for (MutableLogRow row : openRows) {
        live.accept(row);
      }
      liveStale = false;
    }
    return live.snapshot();
  }

  /** Folds the open rows older than {@code before} into the sealed fold, in order. */
  private void seal(double before) {
    int n = 0;
    int overflow = openRows.size() - options.maxOpenRows();
    while (n < openRows.size() && (openTimes.get(n) < before || n < overflow)) {
      sealed.accept(openRows.get(n));
      sealedUntil = Math.max(sealedUntil, openTimes.get(n));
      n++;
    }
    if (n > 0) {
      openRows.subList(0, n).clear();
      openTimes.subList(0, n).clear();
    }
  }

  private void take(LogRow row) {
    double ts = row.timestamp();
    boolean timed = !Double.isNaN(ts) && !Double.isInfinite(ts);
    if (timed && ts > newest) {
      newest = ts;
    }
    if (!open) {
      sealed.accept(row);
      return;
    }
    // an untimed row is folded at the previous row's time: keep it where it came
    double at = timed ? ts : openTimes.isEmpty() ? sealedUntil : openTimes.get(openTimes.size() - 1);
    if (at < sealedUntil) {
      sealed.warning(WarningKind.LATE_ROW.wireName(), "a row at " + ts + " became visible after rows up to "
          + sealedUntil + " were sealed; folded out of order");
      sealed.accept(row);
      liveStale = true;
      return;
    }
    if (at == sealedUntil && (openTimes.isEmpty() || openTimes.get(0) > at)) {
      sealed.accept(row); // in order: the sealed fold is at this very time
      if (openRows.isEmpty()) {
        live.accept(row);
      } else {
        liveStale = true; // it belongs before the open rows the live fold already has
      }
      return;
    }
    int i = openTimes.size();
    while (i > 0 && openTimes.get(i - 1) > at) {
      i--;
    }
    MutableLogRow copy = new MutableLogRow().copyFrom(row);
    openRows.add(i, copy);
    openTimes.add(i, at);
    if (i == openRows.size() - 1 && !liveStale) {
      live.accept(copy); // in order: after every row the live fold has
    } else {
      liveStale = true;
    }
  }

  /** What the tail delivers goes into the fold. */
  private final class Sink implements TailSink {
    long taken;

    @Override
    public void accept(LogRow row) {
      taken++;
      take(row);
    }

    @Override
    public void warning(String kind, String detail) {
      sealed.warning(kind, detail);
      if (live != null) {
        live.warning(kind, detail);
      }
    }

    @Override
    public void restart(String reason) {
      sealed = new ExecutionAssembler(fold);
      live = open ? new ExecutionAssembler(fold) : null;
      liveStale = false;
      openRows.clear();
      openTimes.clear();
      sealedUntil = Double.NEGATIVE_INFINITY;
      newest = Double.NEGATIVE_INFINITY;
      terminalSeenAt = null;
      restarted = true;
    }
  }
}
