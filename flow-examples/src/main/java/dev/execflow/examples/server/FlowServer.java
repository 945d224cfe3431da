package dev.execflow.examples.server;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import dev.execflow.examples.service.ApiResponse;
import dev.execflow.examples.service.ExecutionFlowService;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.util.Map;
import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.ThreadPoolExecutor;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.regex.Pattern;

/**
 * The example server: {@link ExecutionFlowService} under {@code /api/} and the web viewer's static
 * files under {@code /}, on the JDK's own {@link HttpServer} (no framework to download or learn;
 * an example should show the service, not a web stack).
 *
 * <pre>{@code
 * try (FlowServer server = FlowServer.start(new ExecutionFlowService(source, catalog), "127.0.0.1", 8080)) {
 *   System.out.println("open " + server.uri());
 *   server.awaitStop();
 * }
 * }</pre>
 *
 * <p>Requests are handled by a fixed pool of {@value #THREADS} threads with a bounded queue; when
 * the queue is full the accepting thread runs the request itself, which slows down accepting new
 * connections instead of growing memory.
 */
public final class FlowServer implements AutoCloseable {
  /** Request-handling threads. */
  public static final int THREADS = 4;

  private static final int QUEUE = 64;
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

  private final HttpServer server;
  private final ThreadPoolExecutor executor;
  private final ExecutionFlowService service;
  private final java.util.concurrent.CountDownLatch stopped = new java.util.concurrent.CountDownLatch(1);

  private FlowServer(HttpServer server, ThreadPoolExecutor executor, ExecutionFlowService service) {
    this.server = server;
    this.executor = executor;
    this.service = service;
  }

  /**
   * Binds {@code host:port} (port 0 picks a free one) and starts serving.
   *
   * @throws UncheckedIOException when the address cannot be bound (e.g. the port is in use)
   */
  public static FlowServer start(ExecutionFlowService service, String host, int port) {
    HttpServer http;
    try {
      http = HttpServer.create(new InetSocketAddress(InetAddress.getByName(host), port), 50);
    } catch (IOException e) {
      throw new UncheckedIOException("cannot listen on " + host + ":" + port + ": " + e.getMessage(), e);
    }
    AtomicInteger n = new AtomicInteger();
    ThreadPoolExecutor executor = new ThreadPoolExecutor(THREADS, THREADS, 30, TimeUnit.SECONDS,
        new ArrayBlockingQueue<>(QUEUE), r -> {
          Thread t = new Thread(r, "execflow-http-" + n.incrementAndGet());
          t.setDaemon(true);
          return t;
        }, new ThreadPoolExecutor.CallerRunsPolicy());
    executor.allowCoreThreadTimeOut(true);
    FlowServer flow = new FlowServer(http, executor, service);
    http.createContext("/", flow::handle);
    http.setExecutor(executor);
    http.start();
    return flow;
  }

  /** The viewer's address, e.g. {@code http://127.0.0.1:8080/}. */
  public URI uri() {
    InetSocketAddress a = server.getAddress();
    String host = a.getAddress().isAnyLocalAddress() ? "localhost" : a.getAddress().getHostAddress();
    if (host.contains(":")) {
      host = "[" + host + "]";
    }
    return URI.create("http://" + host + ":" + a.getPort() + "/");
  }

  /** The bound port. */
  public int port() {
    return server.getAddress().getPort();
  }

  /** Blocks until {@link #close()} is called (e.g. from a shutdown hook). */
  public void awaitStop() throws InterruptedException {
    stopped.await();
  }

  /**
   * Stops at once and releases the port. Requests still running are cut off: they are short
   * reads, and waiting would also wait out idle keep-alive connections.
   */
  @Override
  public void close() {
    server.stop(0);
    executor.shutdownNow();
    stopped.countDown();
  }

  private void handle(HttpExchange exchange) throws IOException {
    try (exchange) {
      String method = exchange.getRequestMethod();
      URI uri = exchange.getRequestURI();
      String path = uri.getRawPath();
      if (path.startsWith("/api/")) {
        ApiResponse r = service.handle(method, path, uri.getRawQuery());
        send(exchange, r.status(), ApiResponse.CONTENT_TYPE, r.body().getBytes(StandardCharsets.UTF_8));
        return;
      }
      if (!"GET".equals(method) && !"HEAD".equals(method)) {
        exchange.getResponseHeaders().set("Allow", "GET, HEAD");
        send(exchange, 405, "text/plain; charset=utf-8", bytes("only GET is supported\n"));
        return;
      }
      String name = path.equals("/") ? "index.html" : path.substring(1);
      byte[] file = FILE_NAME.matcher(name).matches() ? resource(name) : null;
      if (file == null) {
        send(exchange, 404, "text/plain; charset=utf-8", bytes("not found\n"));
        return;
      }
      String ext = name.substring(name.lastIndexOf('.') + 1);
      send(exchange, 200, TYPES.getOrDefault(ext, "application/octet-stream"), file);
    } catch (IOException e) {
      // the client went away mid-response; nothing to tell it
    } catch (RuntimeException e) {
      System.err.println("execflow: unexpected " + e);
    }
  }

  private static byte[] resource(String name) throws IOException {
    try (InputStream in = FlowServer.class.getClassLoader().getResourceAsStream(VIEWER + name)) {
      return in == null ? null : in.readAllBytes();
    }
  }

  private static byte[] bytes(String s) {
    return s.getBytes(StandardCharsets.UTF_8);
  }

  private static void send(HttpExchange exchange, int status, String type, byte[] body) throws IOException {
    exchange.getResponseHeaders().set("Content-Type", type);
    exchange.getResponseHeaders().set("Cache-Control", "no-store");
    exchange.getResponseHeaders().set("X-Content-Type-Options", "nosniff");
    boolean head = "HEAD".equals(exchange.getRequestMethod());
    exchange.sendResponseHeaders(status, head ? -1 : (body.length == 0 ? -1 : body.length));
    if (!head && body.length > 0) {
      try (OutputStream out = exchange.getResponseBody()) {
        out.write(body);
      }
    }
  }
}
