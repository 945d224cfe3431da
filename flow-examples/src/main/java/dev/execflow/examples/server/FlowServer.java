package dev.execflow.examples.server;

import dev.execflow.examples.service.ApiResponse;
import dev.execflow.examples.service.ExecutionFlowService;
import java.io.UncheckedIOException;
import java.net.BindException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.URI;
import java.net.UnknownHostException;
import java.time.Duration;
import java.util.Objects;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ScheduledThreadPoolExecutor;
import java.util.function.Function;
import org.eclipse.jetty.http.UriCompliance;
import org.eclipse.jetty.server.HttpConfiguration;
import org.eclipse.jetty.server.HttpConnectionFactory;
import org.eclipse.jetty.server.NetworkConnectionLimit;
import org.eclipse.jetty.server.Server;
import org.eclipse.jetty.server.ServerConnector;
import org.eclipse.jetty.util.BlockingArrayQueue;
import org.eclipse.jetty.util.thread.QueuedThreadPool;

/**
 * The production server: {@link ExecutionFlowService} under {@code /api/} and the web viewer's
 * static files under {@code /}, on Jetty 12 (its core handlers; no servlet API).
 *
 * <pre>{@code
 * try (FlowServer server = FlowServer.start(new ExecutionFlowService(source, catalog), "127.0.0.1", 8080)) {
 *   System.out.println("open " + server.uri());
 *   server.awaitStop();
 * }
 * }</pre>
 *
 * <p>What it guarantees against slow or hostile clients and load (all bounds in {@link Options}):
 *
 * <ul>
 *   <li>Connections wait in Jetty's selector, not on a thread: a client that sends nothing, half a
 *       request line or a TLS handshake holds no worker. A request line and headers must arrive
 *       within {@link Options#headerTimeout()} (else the connection is closed), a connection with
 *       no traffic is closed after {@link Options#idleTimeout()}, headers over {@link
 *       Options#maxHeaderBytes()} get 431, and at most {@link Options#maxConnections()}
 *       connections are accepted at once.
 *   <li>Session reads ({@code /api/session/...}) run on a bounded pool of their own, listings
 *       ({@code /api/sessions}) on another; when a pool and its queue are full the request is
 *       answered at once with 503 and {@code Retry-After} (load shedding), never queued without
 *       bound. Definitions, {@code /api/health} and static files are answered on Jetty's threads
 *       and are never queued behind a read.
 *   <li>A read has a deadline ({@link Options#requestDeadline()}, queueing included): past it the
 *       client gets 504 and the read is cancelled. A client that closes its connection cancels
 *       its read too, queued or running (a ClickHouse query is stopped on the server).
 *   <li>Every {@code /api/} error is a JSON body {@code {"error": "...", "status": N}}, including
 *       those Jetty answers itself (malformed URL, oversized headers).
 *   <li>Streaming answers ({@code text/event-stream}) are written on a thread of their own,
 *       flushed after every event; at most {@link Options#maxStreams()} run at once.
 * </ul>
 *
 * <p>Cancelling a read means interrupting the thread that runs it: sources stop promptly when
 * interrupted (see {@code LogSource#read}).
 */
public final class FlowServer implements AutoCloseable {
  private final Server jetty;
  private final ServerConnector connector;
  private final FlowHandler handler;
  private final SlowRequestGuard guard;
  private final DisconnectWatch watch;
  private final ScheduledExecutorService scheduler;
  private final CountDownLatch stopped = new CountDownLatch(1);

  /**
   * The server's bounds. {@link #defaults()} suits a small machine; tests shorten the timeouts.
   *
   * <pre>{@code
   * FlowServer.Options options = FlowServer.Options.defaults()
   *     .withRequestDeadline(Duration.ofSeconds(20))
   *     .withReadThreads(8);
   * }</pre>
   *
   * @param idleTimeout a connection without traffic for this long is closed
   * @param headerTimeout a request line and headers must arrive within this time of their first byte
   * @param requestDeadline a read (session or listing) answers 504 when not done after this long
   * @param readThreads session reads running at once
   * @param readQueue session reads waiting for a thread; more get 503
   * @param listThreads listings running at once
   * @param listQueue listings waiting for a thread; more get 503
   * @param maxStreams event streams open at once; more get 503
   * @param maxConnections connections accepted at once; beyond it accepting pauses
   * @param maxHeaderBytes bound on the request line and headers; more get 431 (414 for a long URL)
   * @param retryAfter what a 503 tells the client to wait ({@code Retry-After}, whole seconds)
   */
  public record Options(Duration idleTimeout, Duration headerTimeout, Duration requestDeadline,
      int readThreads, int readQueue, int listThreads, int listQueue, int maxStreams,
      int maxConnections, int maxHeaderBytes, Duration retryAfter) {
    public Options {
      positive(idleTimeout, "idleTimeout");
      positive(headerTimeout, "headerTimeout");
      positive(requestDeadline, "requestDeadline");
      positive(retryAfter, "retryAfter");
      atLeast(readThreads, 1, "readThreads");
      atLeast(readQueue, 0, "readQueue");
      atLeast(listThreads, 1, "listThreads");
      atLeast(listQueue, 0, "listQueue");
      atLeast(maxStreams, 1, "maxStreams");
      atLeast(maxConnections, 1, "maxConnections");
      atLeast(maxHeaderBytes, 1024, "maxHeaderBytes");
    }

    /**
     * 30 s idle timeout, 10 s for a request head, 60 s per read, as many session reads as cores
     * (at least 2) with as many again waiting, 2 listings with 8 waiting, 64 streams, 1,024
     * connections, 8 KiB of headers, {@code Retry-After: 2}.
     */
    public static Options defaults() {
      int reads = Math.max(2, Runtime.getRuntime().availableProcessors());
      return new Options(Duration.ofSeconds(30), Duration.ofSeconds(10), Duration.ofSeconds(60),
          reads, reads, 2, 8, 64, 1024, 8 * 1024, Duration.ofSeconds(2));
    }

    public Options withIdleTimeout(Duration d) {
      return new Options(d, headerTimeout, requestDeadline, readThreads, readQueue, listThreads,
          listQueue, maxStreams, maxConnections, maxHeaderBytes, retryAfter);
    }

    public Options withHeaderTimeout(Duration d) {
      return new Options(idleTimeout, d, requestDeadline, readThreads, readQueue, listThreads,
          listQueue, maxStreams, maxConnections, maxHeaderBytes, retryAfter);
    }

    public Options withRequestDeadline(Duration d) {
      return new Options(idleTimeout, headerTimeout, d, readThreads, readQueue, listThreads,
          listQueue, maxStreams, maxConnections, maxHeaderBytes, retryAfter);
    }

    /** Session reads: {@code threads} at once, {@code queue} more waiting. */
    public Options withReads(int threads, int queue) {
      return new Options(idleTimeout, headerTimeout, requestDeadline, threads, queue, listThreads,
          listQueue, maxStreams, maxConnections, maxHeaderBytes, retryAfter);
    }

    /** Listings: {@code threads} at once, {@code queue} more waiting. */
    public Options withListings(int threads, int queue) {
      return new Options(idleTimeout, headerTimeout, requestDeadline, readThreads, readQueue,
          threads, queue, maxStreams, maxConnections, maxHeaderBytes, retryAfter);
    }

    public Options withMaxStreams(int n) {
      return new Options(idleTimeout, headerTimeout, requestDeadline, readThreads, readQueue,
          listThreads, listQueue, n, maxConnections, maxHeaderBytes, retryAfter);
    }

    public Options withMaxConnections(int n) {
      return new Options(idleTimeout, headerTimeout, requestDeadline, readThreads, readQueue,
          listThreads, listQueue, maxStreams, n, maxHeaderBytes, retryAfter);
    }

    public Options withMaxHeaderBytes(int n) {
      return new Options(idleTimeout, headerTimeout, requestDeadline, readThreads, readQueue,
          listThreads, listQueue, maxStreams, maxConnections, n, retryAfter);
    }

    public Options withRetryAfter(Duration d) {
      return new Options(idleTimeout, headerTimeout, requestDeadline, readThreads, readQueue,
          listThreads, listQueue, maxStreams, maxConnections, maxHeaderBytes, d);
    }

    private static void positive(Duration d, String name) {
      if (d == null || d.isNegative() || d.isZero()) {
        throw new IllegalArgumentException(name + " must be positive, was " + d);
      }
    }

    private static void atLeast(int n, int min, String name) {
      if (n < min) {
        throw new IllegalArgumentException(name + " must be at least " + min + ", was " + n);
      }
    }
  }

  /**
   * What the server serves under {@code /api/}: the service's {@code handle} (any function of the
   * same shape can stand in, e.g. a service with more routes).
   *
   * <pre>{@code
   * FlowServer.Api api = service::handle;
   * }</pre>
   */
  @FunctionalInterface
  public interface Api {
    /** See {@link ExecutionFlowService#handle(String, String, String, java.util.function.Function)}. */
    ApiResponse handle(String method, String rawPath, String rawQuery, Function<String, String> headers);
  }

  /**
   * What the server has done so far, for monitoring and tests.
   *
   * @param readsRunning session reads running now
   * @param readsWaiting session reads queued now
   * @param shed requests answered 503 because their pool was full
   * @param cancelled reads cancelled because their client went away
   * @param deadlines reads answered 504 at their deadline
   * @param slowHeads connections closed because their request head was too slow
   */
  public record Stats(int readsRunning, int readsWaiting, long shed, long cancelled, long deadlines,
      long slowHeads) {}

  private FlowServer(Server jetty, ServerConnector connector, FlowHandler handler, SlowRequestGuard guard,
      DisconnectWatch watch, ScheduledExecutorService scheduler) {
    this.jetty = jetty;
    this.connector = connector;
    this.handler = handler;
    this.guard = guard;
    this.watch = watch;
    this.scheduler = scheduler;
  }

  /** {@link #start(ExecutionFlowService, String, int, Options)} with {@link Options#defaults()}. */
  public static FlowServer start(ExecutionFlowService service, String host, int port) {
    return start(service, host, port, Options.defaults());
  }

  /**
   * Binds {@code host:port} (port 0 picks a free one) and starts serving.
   *
   * @throws UncheckedIOException when the address cannot be bound (e.g. the port is in use)
   */
  public static FlowServer start(ExecutionFlowService service, String host, int port, Options options) {
    Objects.requireNonNull(service, "service");
    return start((Api) service::handle, host, port, options);
  }

  /**
   * Serves {@code api} under {@code /api/} (and the viewer under {@code /}).
   *
   * @throws UncheckedIOException when the address cannot be bound (e.g. the port is in use)
   */
  public static FlowServer start(Api api, String host, int port, Options options) {
    Objects.requireNonNull(api, "api");
    Objects.requireNonNull(options, "options");
    InetAddress address;
    try {
      address = InetAddress.getByName(host);
    } catch (UnknownHostException e) {
      throw new UncheckedIOException("cannot listen on " + host + ":" + port + ": unknown host", e);
    }
    // Jetty's own threads only parse requests and answer the cheap endpoints; reads have their lanes
    QueuedThreadPool threads = new QueuedThreadPool(16, 4, 60_000, -1,
        new BlockingArrayQueue<>(64, 64, 1024), null);
    threads.setName("execflow-http");
    threads.setDaemon(true);
    Server jetty = new Server(threads);
    jetty.setStopTimeout(0);

    HttpConfiguration http = new HttpConfiguration();
    http.setSendServerVersion(false);
    http.setSendXPoweredBy(false);
    http.setRequestHeaderSize(options.maxHeaderBytes());
    http.setIdleTimeout(options.idleTimeout().toMillis());
    // the service parses the raw path strictly itself (and never uses a decoded one), so let the
    // encodings it answers with a precise 400 through; the rest Jetty answers (as JSON) itself
    http.setUriCompliance(UriCompliance.DEFAULT.with("execflow",
        UriCompliance.Violation.AMBIGUOUS_PATH_SEPARATOR, UriCompliance.Violation.AMBIGUOUS_PATH_SEGMENT,
        UriCompliance.Violation.AMBIGUOUS_PATH_ENCODING, UriCompliance.Violation.AMBIGUOUS_EMPTY_SEGMENT,
        UriCompliance.Violation.BAD_UTF8_ENCODING, UriCompliance.Violation.TRUNCATED_UTF8_ENCODING,
        UriCompliance.Violation.BAD_PERCENT_ENCODING, UriCompliance.Violation.UTF16_ENCODINGS));

    ServerConnector connector = new ServerConnector(jetty, 1, 1, new HttpConnectionFactory(http));
    connector.setHost(address.getHostAddress());
    connector.setPort(port);
    connector.setIdleTimeout(options.idleTimeout().toMillis());
    connector.setAcceptQueueSize(128);
    jetty.addConnector(connector);
    jetty.addBean(new NetworkConnectionLimit(options.maxConnections(), connector));

    ScheduledThreadPoolExecutor scheduler = new ScheduledThreadPoolExecutor(1, r -> {
      Thread t = Executors.defaultThreadFactory().newThread(r);
      t.setName("execflow-deadlines");
      t.setDaemon(true);
      return t;
    });
    scheduler.setRemoveOnCancelPolicy(true);
    SlowRequestGuard guard = new SlowRequestGuard(options.headerTimeout(), scheduler);
    connector.addBean(guard);
    DisconnectWatch watch = new DisconnectWatch();
    FlowHandler handler = new FlowHandler(api, options, scheduler, watch);
    jetty.setHandler(handler);
    jetty.setErrorHandler(new JsonErrorHandler());

    FlowServer server = new FlowServer(jetty, connector, handler, guard, watch, scheduler);
    try {
      jetty.start();
    } catch (Exception e) {
      server.close();
      Throwable cause = e;
      while (cause.getCause() != null && !(cause instanceof BindException)) {
        cause = cause.getCause();
      }
      String why = cause instanceof BindException ? "address already in use" : String.valueOf(cause.getMessage());
      throw new UncheckedIOException("cannot listen on " + host + ":" + port + ": " + why,
          cause instanceof java.io.IOException io ? io : new java.io.IOException(why, e));
    }
    return server;
  }

  /** The viewer's address, e.g. {@code http://127.0.0.1:8080/}. */
  public URI uri() {
    String host = connector.getHost();
    try {
      InetAddress a = InetAddress.getByName(host);
      host = a.isAnyLocalAddress() ? "localhost" : a.getHostAddress();
    } catch (UnknownHostException e) {
      // keep the configured name
    }
    if (host.contains(":")) {
      host = "[" + host + "]";
    }
    return URI.create("http://" + host + ":" + port() + "/");
  }

  /** The bound port. */
  public int port() {
    return connector.getLocalPort();
  }

  /** The socket address the server listens on. */
  public InetSocketAddress address() {
    return new InetSocketAddress(connector.getHost(), port());
  }

  /** Counters and gauges of what the server is doing. */
  public Stats stats() {
    return handler.stats(guard.closedSlow());
  }

  /** Blocks until {@link #close()} is called (e.g. from a shutdown hook). */
  public void awaitStop() throws InterruptedException {
    stopped.await();
  }

  /**
   * Stops at once and releases the port. Requests still running are cut off and their reads
   * cancelled: waiting would also wait out idle keep-alive connections.
   */
  @Override
  public void close() {
    try {
      jetty.stop();
    } catch (Exception e) {
      // stopping is best effort: the port is released when the connector closes
    } finally {
      handler.shutdown();
      watch.close();
      guard.close();
      scheduler.shutdownNow();
      stopped.countDown();
    }
  }
}
