package dev.execflow.examples.server;

import dev.execflow.examples.service.ApiResponse;
import java.io.BufferedOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.channels.SocketChannel;
import java.time.Duration;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.Supplier;
import org.eclipse.jetty.http.HttpFields;
import org.eclipse.jetty.io.Content;
import org.eclipse.jetty.io.EndPoint;
import org.eclipse.jetty.io.EofException;
import org.eclipse.jetty.io.SocketChannelEndPoint;
import org.eclipse.jetty.server.Request;
import org.eclipse.jetty.server.Response;
import org.eclipse.jetty.util.Callback;

/**
 * One read from acceptance to its single answer: whichever comes first of its result, its
 * deadline (504) or its client going away (then nothing is sent and the read is cancelled, by
 * interrupting the thread running it, only while it runs this exchange). {@link #finished}
 * decides who answers. A streaming result goes on to a stream thread, without a deadline.
 */
final class ReadExchange {
  /** What every exchange of a server shares. */
  record Setting(ScheduledExecutorService scheduler, Duration deadline, DisconnectWatch watch, Replies replies,
      Lane streams, AtomicLong clientsGone, AtomicLong deadlines) {}

  private final Setting setting;
  private final Request request;
  private final Response response;
  private final Callback callback;
  private final Supplier<ApiResponse> work;
  private final AtomicBoolean finished = new AtomicBoolean();
  private Thread runner; // guarded by this
  private boolean stopped; // guarded by this
  private ScheduledFuture<?> deadline;
  private DisconnectWatch.Watch gone;

  ReadExchange(Setting setting, Request request, Response response, Callback callback, Supplier<ApiResponse> work) {
    this.setting = setting;
    this.request = request;
    this.response = response;
    this.callback = callback;
    this.work = work;
  }

  /** Starts the deadline and the watch on the client; idle timeouts are the deadline's job now. */
  void arm() {
    request.addIdleTimeoutListener(timeout -> false);
    // Jetty notices a closed connection itself when it reads or writes on it (a streaming
    // answer, say): whichever of it and the watch sees the client go first cancels the work
    request.addFailureListener(failure -> onGone());
    deadline = setting.scheduler().schedule(this::onDeadline, setting.deadline().toMillis(), TimeUnit.MILLISECONDS);
    SocketChannel channel = channel(request);
    if (channel != null) {
      gone = setting.watch().watch(channel, this::onGone);
    }
  }

  void run() {
    synchronized (this) {
      if (stopped || finished.get()) {
        return;
      }
      runner = Thread.currentThread();
    }
    ApiResponse r;
    try {
      r = work.get();
    } catch (RuntimeException e) {
      r = Replies.internalError();
    } finally {
      synchronized (this) {
        runner = null;
      }
      // an interrupt meant for this exchange must not reach the pool's next task
      Thread.interrupted();
    }
    if (r.isStreaming()) {
      stream(r);
    } else {
      finish(r);
    }
  }

  /** Answers with {@code r} unless the deadline or the client's leaving came first. */
  void finish(ApiResponse r) {
    if (finished.compareAndSet(false, true)) {
      release();
      setting.replies().send(response, callback, r);
    }
  }

  private void onDeadline() {
    if (finished.compareAndSet(false, true)) {
      setting.deadlines().incrementAndGet();
      cancel();
      release();
      setting.replies().send(response, callback, setting.replies().deadlineExceeded());
    }
  }

  private void onGone() {
    if (finished.compareAndSet(false, true)) {
      setting.clientsGone().incrementAndGet();
      cancel();
      release();
      callback.failed(new EofException("the client closed the connection"));
    }
  }

  private void cancel() {
    synchronized (this) {
      stopped = true;
      if (runner != null) {
        runner.interrupt();
      }
    }
  }

  private void release() {
    if (deadline != null) {
      deadline.cancel(false);
    }
    if (gone != null) {
      gone.close();
    }
  }

  /**
   * Hands a streaming answer to a stream thread: no deadline (a stream lasts as long as its
   * client wants), still watched for the client leaving, which interrupts the writer.
   */
  private void stream(ApiResponse r) {
    if (deadline != null) {
      deadline.cancel(false);
    }
    if (finished.get() || !setting.streams().offer(() -> write(r))) {
      finish(setting.replies().overloaded(setting.streams(), "event streams"));
    }
  }

  private void write(ApiResponse r) {
    synchronized (this) {
      if (stopped || finished.get()) {
        return;
      }
      runner = Thread.currentThread();
    }
    response.setStatus(r.status());
    HttpFields.Mutable h = response.getHeaders();
    h.put(org.eclipse.jetty.http.HttpHeader.CONTENT_TYPE, r.contentType());
    setting.replies().common(h, r.status());
    // proxies must pass events on as they come
    h.put("X-Accel-Buffering", "no");
    Throwable failure = null;
    try (OutputStream out = new BufferedOutputStream(Content.Sink.asOutputStream(response), 8192)) {
      r.stream().writeTo(out);
    } catch (IOException | RuntimeException e) {
      failure = e;
    } finally {
      synchronized (this) {
        runner = null;
      }
      Thread.interrupted();
    }
    if (finished.compareAndSet(false, true)) {
      release();
      if (failure == null) {
        callback.succeeded();
      } else {
        callback.failed(failure);
      }
    }
  }

  /** The client's socket, when the connection is a plain TCP one (else it is not watched). */
  private static SocketChannel channel(Request request) {
    EndPoint endPoint = request.getConnectionMetaData().getConnection().getEndPoint();
    return endPoint instanceof SocketChannelEndPoint s ? s.getChannel() : null;
  }
}
