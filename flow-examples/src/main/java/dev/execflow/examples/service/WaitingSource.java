package dev.execflow.examples.service;

import dev.execflow.assemble.ExecutionAssembler;
import dev.execflow.spi.LogSource;
import dev.execflow.spi.LogSourceException;
import dev.execflow.spi.LogSourceException.Reason;
import dev.execflow.spi.RowSink;
import dev.execflow.spi.SessionListQuery;
import dev.execflow.spi.SessionPage;
import dev.execflow.spi.SessionQuery;
import java.time.Duration;
import java.util.Objects;
import java.util.function.Supplier;

/**
 * A source that is connected to in the background, so that a server can start before its database
 * ({@code serve --wait-for-source}): until the opener succeeds every read and listing fails with
 * {@code UNAVAILABLE} (the service answers 503 with {@code Retry-After}) and {@code /api/health}
 * says {@code waiting}, with what the last attempt met; then it is the opened source. Attempts are
 * retried with a growing pause (from a quarter second up to {@link #MAX_PAUSE}).
 *
 * <pre>{@code
 * LogSource source = WaitingSource.start(() -> ClickHouseLogSource.open(url, user, password,
 *     null, null, null), url);
 * ExecutionFlowService service = new ExecutionFlowService(source, catalog); // health follows it
 * }</pre>
 */
public final class WaitingSource implements LogSource, SourceHealth.Reporting {
  /** The longest pause between two connection attempts. */
  public static final Duration MAX_PAUSE = Duration.ofSeconds(5);

  private final Supplier<? extends LogSource> opener;
  private final String description;
  private final SourceHealth health = new SourceHealth();
  private final Thread connector;
  private volatile LogSource delegate;
  private volatile String lastProblem = "not tried yet";
  private volatile boolean closed;

  private WaitingSource(Supplier<? extends LogSource> opener, String description) {
    this.opener = Objects.requireNonNull(opener, "opener");
    this.description = Objects.requireNonNull(description, "description");
    health.waiting("connecting to " + description);
    this.connector = new Thread(this::connect, "execflow-connect-source");
    connector.setDaemon(true);
  }

  /**
   * Starts connecting in the background.
   *
   * @param opener opens (and so checks) the real source; it throws while the source cannot be used
   * @param description where the source is, for messages (never a password)
   */
  public static WaitingSource start(Supplier<? extends LogSource> opener, String description) {
    WaitingSource source = new WaitingSource(opener, description);
    source.connector.start();
    return source;
  }

  @Override
  public SourceHealth health() {
    return health;
  }

  /** Whether the source is connected. */
  public boolean connected() {
    return delegate != null;
  }

  private void connect() {
    long pause = 250;
    while (!closed) {
      try {
        LogSource opened = opener.get();
        synchronized (this) {
          if (closed) {
            opened.close();
            return;
          }
          delegate = opened;
        }
        health.up();
        return;
      } catch (RuntimeException e) {
        lastProblem = e.getMessage() == null ? e.getClass().getSimpleName() : e.getMessage();
        health.waiting("cannot use " + description + " yet: " + lastProblem);
      }
      try {
        Thread.sleep(pause);
      } catch (InterruptedException e) {
        return;
      }
      pause = Math.min(pause * 2, MAX_PAUSE.toMillis());
    }
  }

  private LogSource delegate() {
    LogSource d = delegate;
    if (d == null) {
      throw new LogSourceException(Reason.UNAVAILABLE,
          closed ? "the log source is closed"
              : "the log source " + description + " is not reachable yet (" + lastProblem + "); still trying");
    }
    return d;
  }

  @Override
  public long read(SessionQuery query, RowSink sink) {
    return delegate().read(query, sink);
  }

  @Override
  public long assemble(SessionQuery query, ExecutionAssembler target) {
    return delegate().assemble(query, target);
  }

  @Override
  public SessionPage listSessions(SessionListQuery query) {
    return delegate().listSessions(query);
  }

  @Override
  public void close() {
    LogSource d;
    synchronized (this) {
      closed = true;
      d = delegate;
    }
    connector.interrupt();
    if (d != null) {
      d.close();
    }
  }

  @Override
  public String toString() {
    return "WaitingSource[" + description + (delegate == null ? ", waiting" : ", connected") + "]";
  }
}
