package dev.execflow.examples.server;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.channels.ClosedChannelException;
import java.nio.channels.SelectionKey;
import java.nio.channels.Selector;
import java.nio.channels.SocketChannel;
import java.util.Iterator;
import java.util.Queue;
import java.util.concurrent.ConcurrentLinkedQueue;

/**
 * Notices that a client closed its connection while its request is still being worked on, so that
 * the work (a session read that may run a ClickHouse query for seconds) can be cancelled.
 *
 * <p>Jetty itself only notices a closed connection when it reads or writes, and it does neither
 * while a handler computes a GET's answer. So the connection's socket is registered, for reading,
 * with a selector of our own (a channel may be registered with several selectors; this consumes
 * nothing). When it becomes readable with no bytes available, the peer has closed (or reset) it:
 * the client is gone. When bytes are available, the client sent more (a pipelined request): that is
 * Jetty's to read, so the watch ends without a verdict. A client that half-closes its sending side
 * after the request looks gone too; HTTP clients do not do that.
 */
final class DisconnectWatch implements AutoCloseable {
  private final Selector selector;
  private final Thread thread;
  private final Queue<Watch> pending = new ConcurrentLinkedQueue<>();
  private volatile boolean closed;

  /** One watched connection; {@link #close()} ends the watch. */
  final class Watch implements AutoCloseable {
    private final SocketChannel channel;
    private final Runnable onGone;
    private volatile SelectionKey key;
    private volatile boolean done;

    private Watch(SocketChannel channel, Runnable onGone) {
      this.channel = channel;
      this.onGone = onGone;
    }

    @Override
    public void close() {
      done = true;
      SelectionKey k = key;
      if (k != null) {
        k.cancel();
      }
    }
  }

  DisconnectWatch() {
    try {
      this.selector = Selector.open();
    } catch (IOException e) {
      throw new UncheckedIOException("cannot open a selector", e);
    }
    this.thread = new Thread(this::loop, "execflow-disconnect-watch");
    thread.setDaemon(true);
    thread.start();
  }

  /**
   * Calls {@code onGone} (once, on the watch's thread) if the client of {@code channel} goes away
   * before the returned watch is closed.
   */
  Watch watch(SocketChannel channel, Runnable onGone) {
    Watch w = new Watch(channel, onGone);
    pending.add(w);
    selector.wakeup();
    return w;
  }

  private void loop() {
    while (!closed) {
      try {
        // deregisters the keys of ended watches first: a connection's next request registers the
        // same socket again, which fails while its cancelled key is still registered
        selector.selectNow();
        for (Watch w; (w = pending.poll()) != null; ) {
          if (w.done || !w.channel.isOpen()) {
            continue;
          }
          register(w);
        }
        // a timeout so that cancelled keys are deregistered promptly (a closed socket is only
        // released once every selector it is registered with has let go of it)
        selector.select(200);
        Iterator<SelectionKey> keys = selector.selectedKeys().iterator();
        while (keys.hasNext()) {
          SelectionKey key = keys.next();
          keys.remove();
          Watch w = (Watch) key.attachment();
          key.cancel();
          if (w.done) {
            continue;
          }
          if (available(w.channel) == 0) {
            w.done = true;
            try {
              w.onGone.run();
            } catch (RuntimeException e) {
              // the callback's problem; the watch goes on for the others
            }
          }
        }
      } catch (IOException | RuntimeException e) {
        if (closed) {
          return;
        }
      }
    }
  }

  private void register(Watch w) throws IOException {
    for (int attempt = 0; attempt < 2; attempt++) {
      try {
        w.key = w.channel.register(selector, SelectionKey.OP_READ, w);
        if (w.done) {
          w.key.cancel();
        }
        return;
      } catch (java.nio.channels.CancelledKeyException e) {
        // the previous request's watch on this socket ended after the selectNow above: its key is
        // cancelled but still registered; deregister it and try again (else this request goes unwatched)
        selector.selectNow();
      } catch (ClosedChannelException | IllegalArgumentException | java.nio.channels.IllegalBlockingModeException e) {
        // closed meanwhile (Jetty saw the client go) or not a selectable socket: nothing to watch
        return;
      }
    }
  }

  /** Bytes readable without blocking; 0 at end of stream or when the socket is unusable. */
  private static int available(SocketChannel channel) {
    try {
      return channel.socket().getInputStream().available();
    } catch (IOException e) {
      return 0;
    }
  }

  @Override
  public void close() {
    closed = true;
    selector.wakeup();
    try {
      thread.join(1000);
      selector.close();
    } catch (IOException e) {
      // nothing left to release
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }
}
