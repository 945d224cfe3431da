package dev.execflow.follow;

import dev.execflow.spi.CursorTail;
import dev.execflow.spi.LogSource;
import dev.execflow.spi.LogSourceException;
import dev.execflow.spi.TailSink;
import java.time.Instant;
import java.time.Duration;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Follows sessions for many readers at once: one {@link SessionFollower} per session, shared by
 * every {@link Subscription} to it, polled on one scheduler thread at the follower's own
 * (adaptive) interval; the followers due in a round whose tails re-read time ranges are read with
 * one request for all of them ({@link LogSource#readSessions}: one ClickHouse query). So a session watched by 200 viewers is read once per tick, not 200 times;
 * a session nobody watches any more is dropped after a linger (so that a reconnect can resume);
 * a session that ended is polled no more. At most {@code maxSessions} sessions are followed: one
 * more is refused with {@link Full} (a service answers 503).
 *
 * <pre>{@code
 * FollowHub hub = new FollowHub(source, FollowOptions.defaults());
 * try (FollowHub.Subscription events = hub.follow("sess-42", null)) {
 *   FollowEvent e;
 *   while ((e = events.next(Duration.ofSeconds(20))) != null) {
 *     System.out.println(FollowJson.write(e));
 *     if (e.isFinal()) break;
 *   }
 * }
 * }</pre>
 *
 * <p>Resuming: each session keeps its last {@code replay} events. A subscriber that names the id
 * of the last event it saw gets the events after it, without repeats or gaps; one that names none,
 * or an id the hub no longer has (older than the replay log, or of a follower since dropped), gets
 * a {@code snapshot} of the current state carrying the id of the last event it covers, then the
 * events after it. A subscriber that cannot keep up (its queue of {@value #QUEUE} events is full) is
 * closed, to reconnect and resume.
 */
public final class FollowHub implements AutoCloseable {
  /** Default bound on followed sessions. */
  public static final int DEFAULT_MAX_SESSIONS = 1000;
  /** Default time a session nobody watches is still followed, for reconnects. */
  public static final Duration DEFAULT_LINGER = Duration.ofSeconds(30);
  /** Default number of recent events a session keeps for resuming readers. */
  public static final int DEFAULT_REPLAY = 1024;
  /** Events waiting for one subscriber before it is closed as too slow. */
  public static final int QUEUE = 4096;

  private static final Logger LOG = LoggerFactory.getLogger(FollowHub.class);

  private final LogSource source;
  private final FollowOptions options;
  private final int maxSessions;
  private final long lingerNanos;
  private final int replay;
  private final ScheduledExecutorService scheduler;
  private final Map<String, Followed> sessions = new ConcurrentHashMap<>();
  private final List<Subscription> everything = new CopyOnWriteArrayList<>();
  private final AtomicLong polls = new AtomicLong();
  /** The origin of the due-time grid. */
  private final long epoch = System.nanoTime();
  private volatile boolean closed;

  /** A hub with the default bound, linger and replay log. */
  public FollowHub(LogSource source, FollowOptions options) {
    this(source, options, DEFAULT_MAX_SESSIONS, DEFAULT_LINGER, DEFAULT_REPLAY);
  }

  /**
   * Full control.
   *
   * @param maxSessions sessions followed at once; one more is refused with {@link Full}
   * @param linger how long a session nobody watches is still followed
   * @param replay events kept per session for readers that resume
   */
  public FollowHub(LogSource source, FollowOptions options, int maxSessions, Duration linger, int replay) {
    this.source = Objects.requireNonNull(source, "source");
    this.options = Objects.requireNonNull(options, "options");
    if (maxSessions < 1 || replay < 1 || linger.isNegative()) {
      throw new IllegalArgumentException("need maxSessions >= 1, replay >= 1, linger >= 0");
    }
    this.maxSessions = maxSessions;
    this.lingerNanos = linger.toNanos();
    this.replay = replay;
    this.scheduler = Executors.newSingleThreadScheduledExecutor(r -> {
      Thread t = new Thread(r, "execflow-follow");
      t.setDaemon(true);
      return t;
    });
    // rounds at half the poll interval (at most 100 ms apart): a follower is polled soon after it is due
    long round = Math.max(10_000_000L, Math.min(100_000_000L, options.interval().toNanos() / 2));
    scheduler.scheduleWithFixedDelay(this::round, round, round, TimeUnit.NANOSECONDS);
  }

  /** Refused: the hub follows as many sessions as it may. */
  public static final class Full extends RuntimeException {
    private static final long serialVersionUID = 1L;

    /** The refusal of a hub that follows {@code max} sessions. */
    public Full(int max) {
      super("this service already follows " + max + " sessions, the most it may; try again later");
    }
  }

  /**
   * Subscribes to one session's events, following it if nobody does yet.
   *
   * @param lastEventId the id of the last event the reader saw (an SSE {@code Last-Event-ID}), or
   *     null for a new reader
   * @throws Full when the session is not followed yet and the hub follows {@code maxSessions}
   */
  public Subscription follow(String sessionId, Long lastEventId) {
    Objects.requireNonNull(sessionId, "sessionId");
    if (closed) {
      throw new IllegalStateException("the follow hub is closed");
    }
    while (true) {
      Followed f = sessions.get(sessionId);
      boolean created = false;
      if (f == null) {
        synchronized (sessions) {
          f = sessions.get(sessionId);
          if (f == null) {
            if (sessions.size() >= maxSessions) {
              throw new Full(maxSessions);
            }
            f = new Followed(SessionFollower.open(source, sessionId, options));
            sessions.put(sessionId, f);
            created = true;
          }
        }
      }
      Subscription s = f.join(lastEventId);
      if (s == null) {
        continue; // dropped in between: follow anew
      }
      if (created) {
        roundNow();
      }
      return s;
    }
  }

  /** Subscribes to the events of every session the hub follows (no replay; never final). */
  public Subscription all() {
    Subscription s = new Subscription(null);
    everything.add(s);
    return s;
  }

  /** The most sessions followed at once. */
  public int maxSessions() {
    return maxSessions;
  }

  /** Sessions followed now. */
  public int followedSessions() {
    return sessions.size();
  }

  /**
   * Follower polls so far (all sessions): one per session per tick, whatever the number of
   * readers; followers of a source that reads many sessions at once share one request per round.
   */
  public long polls() {
    return polls.get();
  }

  /** Whether {@code sessionId} is followed now. */
  public boolean follows(String sessionId) {
    return sessions.containsKey(sessionId);
  }

  /** Stops every follow and closes every subscription; does not close the source. */
  @Override
  public void close() {
    closed = true;
    scheduler.shutdownNow();
    for (Followed f : sessions.values()) {
      f.drop();
    }
    sessions.clear();
    everything.forEach(Subscription::end);
    everything.clear();
  }

  /** Runs a round now (a new session's first snapshot should not wait for the next round). */
  private void roundNow() {
    if (closed) {
      return;
    }
    try {
      scheduler.execute(this::round);
    } catch (java.util.concurrent.RejectedExecutionException e) {
      // closed meanwhile
    }
  }

  /**
   * One round of the scheduler thread: drops the sessions nobody watches any more, then polls
   * every follower that is due. Followers whose tails re-read time ranges of the hub's source are
   * polled together, with one {@link LogSource#readSessions} request for all of them (ClickHouse:
   * one query); the others one by one.
   */
  private void round() {
    long now = System.nanoTime();
    List<Followed> together = new ArrayList<>();
    List<Followed> alone = new ArrayList<>();
    for (Followed f : sessions.values()) {
      if (f.shouldDrop(now)) {
        sessions.remove(f.follower.sessionId(), f);
        f.drop();
      } else if (!f.follower.isFinished() && f.dueAt <= now) {
        if (f.follower.tail() instanceof CursorTail t && t.source() == source) {
          together.add(f);
        } else {
          alone.add(f);
        }
      }
    }
    for (int at = 0; at < together.size(); at += BATCH) {
      pollTogether(together.subList(at, Math.min(together.size(), at + BATCH)), now);
    }
    for (Followed f : alone) {
      try {
        publish(f, f.poll(), now);
      } catch (RuntimeException e) {
        failed(f, e);
      }
    }
  }

  /** Most followers read by one request. */
  private static final int BATCH = 1000;

  private void pollTogether(List<Followed> batch, long round) {
    List<CursorTail> tails = new ArrayList<>(batch.size());
    List<TailSink> sinks = new ArrayList<>(batch.size());
    for (Followed f : batch) {
      tails.add((CursorTail) f.follower.tail());
      sinks.add(f.follower.sink());
    }
    Instant at = options.clock().instant();
    LogSourceException failure = null;
    try {
      CursorTail.pollAll(source, tails, sinks);
    } catch (LogSourceException e) {
      failure = e;
    } catch (RuntimeException e) {
      batch.forEach(f -> failed(f, e));
      return;
    }
    for (Followed f : batch) {
      try {
        publish(f, f.afterRead(at, failure), round);
      } catch (RuntimeException e) {
        failed(f, e);
      }
    }
  }

  /** A bug rather than the source (the follower reports source failures as events): stop that follow. */
  private void failed(Followed f, RuntimeException e) {
    LOG.error("following {} failed", f.follower.sessionId(), e);
    sessions.remove(f.follower.sessionId(), f);
    f.drop();
  }

  /** Hands out a poll's events and sets the follower's next due time, from the round's start. */
  private void publish(Followed f, List<FollowEvent> events, long round) {
    polls.incrementAndGet();
    for (FollowEvent e : events) {
      for (Subscription s : everything) {
        if (!s.offer(e)) {
          everything.remove(s);
        }
      }
    }
    // due times on a grid of the follower's pace (the interval, or a power-of-two multiple while
    // idle): followers at one pace fall due in the same round, so one request serves them all, and
    // a slower pace's points are among a faster one's
    long pace = f.follower.nextPollIn().toNanos();
    long due = round - epoch + pace;
    f.dueAt = epoch + Math.round((double) due / pace) * pace;
  }

  /** One followed session: its follower, its recent events, its readers. */
  private final class Followed {
    final SessionFollower follower;
    private final ArrayDeque<FollowEvent> recent = new ArrayDeque<>();
    private final List<Subscription> readers = new ArrayList<>();
    private long unwatchedSince;
    private boolean dropped;
    /** When the follower is due for its next poll (System.nanoTime); 0: now. */
    volatile long dueAt;

    Followed(SessionFollower follower) {
      this.follower = follower;
      this.unwatchedSince = System.nanoTime();
    }

    synchronized Subscription join(Long lastEventId) {
      if (dropped) {
        return null;
      }
      Subscription s = new Subscription(this);
      long last = follower.lastEventId();
      if (last > 0) {
        FollowEvent oldest = recent.peekFirst();
        boolean resumable = lastEventId != null && lastEventId <= last && oldest != null
            && oldest.id() <= lastEventId + 1;
        if (resumable) {
          for (FollowEvent e : recent) {
            if (e.id() > lastEventId) {
              s.offer(e);
            }
          }
        } else if (lastEventId == null || lastEventId != last) {
          s.offer(follower.current());
        }
      }
      if (!follower.isFinished() || !s.isEmpty()) {
        readers.add(s);
      } else {
        s.offer(follower.current());
      }
      return s;
    }

    synchronized List<FollowEvent> poll() {
      return published(follower.poll());
    }

    synchronized List<FollowEvent> afterRead(Instant at, LogSourceException failure) {
      return published(follower.afterRead(at, failure));
    }

    private List<FollowEvent> published(List<FollowEvent> events) {
      for (FollowEvent e : events) {
        recent.addLast(e);
        if (recent.size() > replay) {
          recent.removeFirst();
        }
        readers.removeIf(s -> !s.offer(e));
      }
      if (follower.isFinished()) {
        readers.clear(); // each got the final; their streams end with it
      }
      if (readers.isEmpty() && unwatchedSince == 0) {
        unwatchedSince = System.nanoTime();
      }
      return events;
    }

    synchronized void leave(Subscription s) {
      readers.remove(s);
      if (readers.isEmpty()) {
        unwatchedSince = System.nanoTime();
      }
    }

    synchronized void watched() {
      unwatchedSince = 0;
    }

    synchronized boolean shouldDrop(long now) {
      return readers.isEmpty() && unwatchedSince != 0 && now - unwatchedSince >= lingerNanos;
    }

    synchronized void drop() {
      if (!dropped) {
        dropped = true;
        readers.forEach(Subscription::end);
        readers.clear();
        follower.close();
      }
    }
  }

  /**
   * One reader's events, in order: {@link #next} waits for the next one. Closed by the reader
   * (when it goes away), or by the hub after a {@code final}, when the reader fell too far behind,
   * or when the hub closes.
   */
  public final class Subscription implements AutoCloseable {
    private final Followed session;
    private final ArrayDeque<FollowEvent> queue = new ArrayDeque<>();
    private boolean ended;

    private Subscription(Followed session) {
      this.session = session;
      if (session != null) {
        session.watched();
      }
    }

    /**
     * The next event, waiting up to {@code timeout}; null when none came in that time or when the
     * subscription ended and every event was taken ({@link #isEnded()} tells which).
     */
    public synchronized FollowEvent next(Duration timeout) throws InterruptedException {
      long deadline = System.nanoTime() + timeout.toNanos();
      while (queue.isEmpty() && !ended) {
        long left = deadline - System.nanoTime();
        if (left <= 0) {
          return null;
        }
        TimeUnit.NANOSECONDS.timedWait(this, left);
      }
      FollowEvent e = queue.pollFirst();
      if (e != null && e.isFinal()) {
        ended = true;
      }
      return e;
    }

    /** Whether no more events will come (after the ones still queued). */
    public synchronized boolean isEnded() {
      return ended;
    }

    synchronized boolean isEmpty() {
      return queue.isEmpty();
    }

    /** Queues an event; false (and the subscription ended) when the reader is too slow or gone. */
    synchronized boolean offer(FollowEvent e) {
      if (ended) {
        return false;
      }
      if (queue.size() >= QUEUE) {
        ended = true;
        notifyAll();
        return false;
      }
      queue.addLast(e);
      notifyAll();
      return true;
    }

    synchronized void end() {
      ended = true;
      notifyAll();
    }

    /** Leaves: the hub stops queueing events for this reader. */
    @Override
    public void close() {
      end();
      if (session != null) {
        session.leave(this);
      } else {
        everything.remove(this);
      }
    }
  }
}
