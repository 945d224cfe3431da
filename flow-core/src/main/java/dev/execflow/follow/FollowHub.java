package dev.execflow.follow;

import dev.execflow.spi.LogSource;
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
 * (adaptive) interval. So a session watched by 200 viewers is read once per tick, not 200 times;
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
        schedule(f, 0);
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

  /** Polls of sources so far (all sessions): one per session per tick, whatever the readers. */
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

  private void schedule(Followed f, long delayNanos) {
    if (closed) {
      return;
    }
    try {
      scheduler.schedule(() -> tick(f), delayNanos, TimeUnit.NANOSECONDS);
    } catch (java.util.concurrent.RejectedExecutionException e) {
      // closed meanwhile
    }
  }

  private void tick(Followed f) {
    if (f.shouldDrop(System.nanoTime())) {
      sessions.remove(f.follower.sessionId(), f);
      f.drop();
      return;
    }
    List<FollowEvent> events;
    try {
      events = f.poll();
    } catch (RuntimeException e) {
      // a bug rather than the source (the follower reports source failures as events)
      LOG.error("following {} failed", f.follower.sessionId(), e);
      sessions.remove(f.follower.sessionId(), f);
      f.drop();
      return;
    }
    polls.incrementAndGet();
    for (FollowEvent e : events) {
      for (Subscription s : everything) {
        if (!s.offer(e)) {
          everything.remove(s);
        }
      }
    }
    // a finished follow is not polled again, only dropped after the linger
    schedule(f, f.follower.isFinished() ? lingerNanos : f.follower.nextPollIn().toNanos());
  }

  /** One followed session: its follower, its recent events, its readers. */
  private final class Followed {
    final SessionFollower follower;
    private final ArrayDeque<FollowEvent> recent = new ArrayDeque<>();
    private final List<Subscription> readers = new ArrayList<>();
    private long unwatchedSince;
    private boolean dropped;

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
      List<FollowEvent> events = follower.poll();
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
