package dev.execflow.examples.server;

import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.execflow.examples.service.ApiResponse;
import java.io.BufferedOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.ByteBuffer;
import java.nio.channels.SocketChannel;
import java.nio.charset.StandardCharsets;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.Function;
import java.util.regex.Pattern;
import org.eclipse.jetty.http.HttpFields;
import org.eclipse.jetty.http.HttpHeader;
import org.eclipse.jetty.io.Content;
import org.eclipse.jetty.io.EndPoint;
import org.eclipse.jetty.io.EofException;
import org.eclipse.jetty.io.SocketChannelEndPoint;
import org.eclipse.jetty.server.Handler;
import org.eclipse.jetty.server.Request;
import org.eclipse.jetty.server.Response;
import org.eclipse.jetty.util.Callback;

/**
 * Routes requests to the service or the viewer's files and decides where each runs: cheap answers
 * at once on Jetty's thread, reads on their bounded {@link Lane}, event streams on a lane of their
 * own. A read is an {@link Exchange}: it is answered exactly once, by whichever comes first of its
 * result, its deadline (504) or its client going away (then nothing is sent and the read is
 * cancelled).
 */
final class FlowHandler extends Handler.Abstract {
  private static final String VIEWER = "dev/execflow/examples/viewer/";
  // plain file names only: no directories, so no way out of the viewer folder
  private static final Pattern FILE_NAME = Pattern.compile("[A-Za-z0-9_-]{1,64}(\\.[A-Za-z0-9]{1,8}){1,2}");
  private static final Map<String, String> TYPES = Map.of(
      "html", "text/html; charset=utf-8",
      "css", "text/css; charset=utf-8",
      "js", "text/javascript; charset=utf-8",
      "svg", "image/svg+xml",
      "png", "image/png",
      "ico", "image/x-icon",
      "txt", "text/plain; charset=utf-8");
  private static final byte[] MISSING = new byte[0];

  private final FlowServer.Api service;
  private final FlowServer.Options options;
  private final ScheduledExecutorService scheduler;
  private final DisconnectWatch watch;
  private final Lane reads;
  private final Lane listings;
  private final Lane streams;
  private final Map<String, byte[]> files = new ConcurrentHashMap<>();
  private final AtomicLong clientsGone = new AtomicLong();
  private final AtomicLong deadlines = new AtomicLong();

  /** Where a request runs. */
  private enum Route { INLINE, READ, LIST }

  FlowHandler(FlowServer.Api service, FlowServer.Options options, ScheduledExecutorService scheduler,
      DisconnectWatch watch) {
    this.service = service;
    this.options = options;
    this.scheduler = scheduler;
    this.watch = watch;
    this.reads = new Lane("read", options.readThreads(), options.readQueue());
    this.listings = new Lane("list", options.listThreads(), options.listQueue());
    this.streams = new Lane("stream", options.maxStreams(), 0);
  }

  FlowServer.Stats stats(long slowHeads) {
    return new FlowServer.Stats(reads.running(), reads.waiting(),
        reads.shed() + listings.shed() + streams.shed(), clientsGone.get(), deadlines.get(), slowHeads);
  }

  void shutdown() {
    reads.shutdownNow();
    listings.shutdownNow();
    streams.shutdownNow();
  }

  @Override
  public boolean handle(Request request, Response response, Callback callback) {
    String method = request.getMethod();
    String path = request.getHttpURI().getPath();
    if (path == null || path.isEmpty()) {
      path = "/";
    }
    if (path.startsWith("/api/")) {
      String query = request.getHttpURI().getQuery();
      Function<String, String> headers = name -> request.getHeaders().get(name);
      String p = path;
      switch (route(method, path)) {
        case READ -> submit(reads, request, response, callback, () -> service.handle(method, p, query, headers));
        case LIST -> submit(listings, request, response, callback, () -> service.handle(method, p, query, headers));
        default -> send(response, callback, service.handle(method, path, query, headers));
      }
      return true;
    }
    serveFile(method, path, response, callback);
    return true;
  }

  /** Reads (of a session, of the listing) get a lane; everything else is answered at once. */
  private static Route route(String method, String path) {
    if (!"GET".equals(method) && !"HEAD".equals(method)) {
      return Route.INLINE; // 405 from the service
    }
    if (path.startsWith("/api/session/")) {
      return Route.READ;
    }
    if (path.equals("/api/sessions")) {
      return Route.LIST;
    }
    return Route.INLINE;
  }

  private void submit(Lane lane, Request request, Response response, Callback callback,
      java.util.function.Supplier<ApiResponse> work) {
    Exchange x = new Exchange(request, response, callback, work);
    x.arm();
    if (!lane.offer(x::run)) {
      x.finish(overloaded(lane));
    }
  }

  private ApiResponse overloaded(Lane lane) {
    long seconds = Math.max(1, options.retryAfter().toSeconds());
    String what = lane == reads ? "session reads" : lane == listings ? "listings" : "event streams";
    ObjectNode body = JsonNodeFactory.instance.objectNode();
    body.put("error", "server busy: " + lane.running() + " " + what + " running and " + lane.waiting()
        + " waiting; retry after " + seconds + " s");
    body.put("status", 503);
    body.put("reason", "overloaded");
    return new ApiResponse(503, body.toString());
  }

  private ApiResponse deadlineExceeded() {
    ObjectNode body = JsonNodeFactory.instance.objectNode();
    body.put("error", "the answer took longer than the server's " + options.requestDeadline().toSeconds()
        + " s deadline; the read was cancelled");
    body.put("status", 504);
    body.put("reason", "deadline");
    return new ApiResponse(504, body.toString());
  }

  private static ApiResponse internalError() {
    return new ApiResponse(500, "{\"error\":\"internal error\",\"status\":500}");
  }

  /** Sends a complete (non-streaming) answer. */
  private void send(Response response, Callback callback, ApiResponse r) {
    if (r.isStreaming()) {
      // only reads stream (and go through an Exchange); refuse rather than block Jetty's thread
      send(response, callback, internalError());
      return;
    }
    byte[] body = r.body().getBytes(StandardCharsets.UTF_8);
    response.setStatus(r.status());
    HttpFields.Mutable h = response.getHeaders();
    h.put(HttpHeader.CONTENT_TYPE, r.contentType());
    commonHeaders(h, r.status());
    h.put(HttpHeader.CONTENT_LENGTH, body.length);
    response.write(true, ByteBuffer.wrap(body), callback);
  }

  private void commonHeaders(HttpFields.Mutable h, int status) {
    h.put(HttpHeader.CACHE_CONTROL, "no-store");
    h.put("X-Content-Type-Options", "nosniff");
    if (status == 503) {
      h.put(HttpHeader.RETRY_AFTER, Long.toString(Math.max(1, options.retryAfter().toSeconds())));
    }
  }

  private void serveFile(String method, String path, Response response, Callback callback) {
    if (!"GET".equals(method) && !"HEAD".equals(method)) {
      response.getHeaders().put(HttpHeader.ALLOW, "GET, HEAD");
      plain(response, callback, 405, "only GET is supported\n");
      return;
    }
    String name = path.equals("/") ? "index.html" : path.substring(1);
    byte[] file = FILE_NAME.matcher(name).matches() ? files.computeIfAbsent(name, FlowHandler::resource) : MISSING;
    if (file == MISSING) {
      plain(response, callback, 404, "not found\n");
      return;
    }
    String ext = name.substring(name.lastIndexOf('.') + 1);
    response.setStatus(200);
    HttpFields.Mutable h = response.getHeaders();
    h.put(HttpHeader.CONTENT_TYPE, TYPES.getOrDefault(ext, "application/octet-stream"));
    commonHeaders(h, 200);
    h.put(HttpHeader.CONTENT_LENGTH, file.length);
    response.write(true, ByteBuffer.wrap(file), callback);
  }

  private void plain(Response response, Callback callback, int status, String text) {
    byte[] body = text.getBytes(StandardCharsets.UTF_8);
    response.setStatus(status);
    HttpFields.Mutable h = response.getHeaders();
    h.put(HttpHeader.CONTENT_TYPE, "text/plain; charset=utf-8");
    commonHeaders(h, status);
    h.put(HttpHeader.CONTENT_LENGTH, body.length);
    response.write(true, ByteBuffer.wrap(body), callback);
  }

  /** The file's bytes (kept: the viewer is three small files), or {@link #MISSING}. */
  private static byte[] resource(String name) {
    try (InputStream in = FlowHandler.class.getClassLoader().getResourceAsStream(VIEWER + name)) {
      return in == null ? MISSING : in.readAllBytes();
    } catch (IOException e) {
      return MISSING;
    }
  }

  /**
   * One read from acceptance to its single answer. {@link #finished} decides who answers; the
   * thread running the work is interrupted to cancel it (only while it runs this exchange).
   */
  private final class Exchange {
    private final Request request;
    private final Response response;
    private final Callback callback;
    private final java.util.function.Supplier<ApiResponse> work;
    private final AtomicBoolean finished = new AtomicBoolean();
    private Thread runner; // guarded by this
    private boolean stopped; // guarded by this
    private ScheduledFuture<?> deadline;
    private DisconnectWatch.Watch gone;

    Exchange(Request request, Response response, Callback callback, java.util.function.Supplier<ApiResponse> work) {
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
      deadline = scheduler.schedule(this::onDeadline, options.requestDeadline().toMillis(), TimeUnit.MILLISECONDS);
      SocketChannel channel = channel(request);
      if (channel != null) {
        gone = watch.watch(channel, this::onGone);
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
        r = internalError();
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
        send(response, callback, r);
      }
    }

    private void onDeadline() {
      if (finished.compareAndSet(false, true)) {
        deadlines.incrementAndGet();
        cancel();
        release();
        send(response, callback, deadlineExceeded());
      }
    }

    private void onGone() {
      if (finished.compareAndSet(false, true)) {
        clientsGone.incrementAndGet();
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
      if (finished.get() || !streams.offer(() -> write(r))) {
        finish(overloaded(streams));
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
      h.put(HttpHeader.CONTENT_TYPE, r.contentType());
      commonHeaders(h, r.status());
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
  }

  /** The client's socket, when the connection is a plain TCP one (else it is not watched). */
  private static SocketChannel channel(Request request) {
    EndPoint endPoint = request.getConnectionMetaData().getConnection().getEndPoint();
    return endPoint instanceof SocketChannelEndPoint s ? s.getChannel() : null;
  }
}
