package dev.execflow.examples.server;

import java.time.Duration;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import org.eclipse.jetty.io.Connection;

/**
 * Closes connections whose request line and headers take longer than a deadline to arrive.
 *
 * <p>Jetty's idle timeout closes a connection on which nothing arrives for a while, but a client
 * that sends one byte of its request every few seconds ("slowloris") never goes idle. Jetty does
 * not hold a thread for such a connection (it waits in its selector), so nobody else is slowed
 * down, but the connection would stay open for ever. The guard looks at every open connection a
 * few times a second: bytes have arrived since its last complete request head and no new head has
 * been completed for longer than the deadline: it is closed.
 */
final class SlowRequestGuard implements Connection.Listener, AutoCloseable {
  private final long deadlineNanos;
  private final Map<Connection, Progress> open = new ConcurrentHashMap<>();
  private final ScheduledFuture<?> sweep;
  private final AtomicLong closedSlow = new AtomicLong();

  /** What the sweep last saw of one connection. */
  private static final class Progress {
    long messages;
    long bytesAtMessage;
    long partialSince = -1;
  }

  SlowRequestGuard(Duration deadline, ScheduledExecutorService scheduler) {
    this.deadlineNanos = deadline.toNanos();
    long period = Math.max(20, Math.min(250, deadline.toMillis() / 5));
    this.sweep = scheduler.scheduleWithFixedDelay(this::sweep, period, period, TimeUnit.MILLISECONDS);
  }

  @Override
  public void onOpened(Connection connection) {
    open.put(connection, new Progress());
  }

  @Override
  public void onClosed(Connection connection) {
    open.remove(connection);
  }

  /** Connections closed because their request head was too slow. */
  long closedSlow() {
    return closedSlow.get();
  }

  private void sweep() {
    long now = System.nanoTime();
    open.forEach((connection, p) -> {
      long messages = connection.getMessagesIn();
      long bytes = connection.getBytesIn();
      if (messages != p.messages) {
        p.messages = messages;
        p.bytesAtMessage = bytes;
        p.partialSince = -1;
      } else if (bytes > p.bytesAtMessage) {
        if (p.partialSince < 0) {
          p.partialSince = now;
        } else if (now - p.partialSince > deadlineNanos) {
          closedSlow.incrementAndGet();
          open.remove(connection);
          connection.getEndPoint().close();
        }
      }
    });
  }

  @Override
  public void close() {
    sweep.cancel(false);
  }
}
