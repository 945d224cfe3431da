package dev.execflow.examples.viewer;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import dev.execflow.examples.service.ApiResponse;
import dev.execflow.examples.service.ExecutionFlowService;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * A minimal adapter for the browser tests of the event streams: the service's answers, streaming
 * ones written as they come (chunked), and the viewer's files; it also counts the execution-flow
 * requests, so a test can see that the viewer does not poll while SSE works. (The example server
 * adapter is being replaced; this one stays a test's.)
 */
final class StreamingTestServer implements AutoCloseable {
  private static final String VIEWER = "dev/execflow/examples/viewer/";

  private final HttpServer http;
  private final ExecutorService threads = Executors.newCachedThreadPool(r -> {
    Thread t = new Thread(r, "sse-test-server");
    t.setDaemon(true);
    return t;
  });
  private final ExecutionFlowService service;
  final AtomicInteger executionFlowRequests = new AtomicInteger();
  final AtomicInteger eventStreams = new AtomicInteger();

  StreamingTestServer(ExecutionFlowService service) throws IOException {
    this.service = service;
    http = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 50);
    http.createContext("/", this::handle);
    http.setExecutor(threads);
    http.start();
  }

  URI uri() {
    return URI.create("http://127.0.0.1:" + http.getAddress().getPort() + "/");
  }

  private void handle(HttpExchange exchange) throws IOException {
    try (exchange) {
      String path = exchange.getRequestURI().getRawPath();
      if (path.startsWith("/api/")) {
        if (path.endsWith("/execution-flow")) {
          executionFlowRequests.incrementAndGet();
        }
        ApiResponse r = service.handle(exchange.getRequestMethod(), path, exchange.getRequestURI().getRawQuery(),
            name -> exchange.getRequestHeaders().getFirst(name));
        exchange.getResponseHeaders().set("Content-Type", r.contentType());
        exchange.getResponseHeaders().set("Cache-Control", "no-store");
        if (r.isStreaming()) {
          eventStreams.incrementAndGet();
          exchange.sendResponseHeaders(r.status(), 0);
          try (OutputStream out = exchange.getResponseBody()) {
            r.stream().writeTo(out);
          }
        } else {
          byte[] body = r.body().getBytes(StandardCharsets.UTF_8);
          exchange.sendResponseHeaders(r.status(), body.length);
          exchange.getResponseBody().write(body);
        }
        return;
      }
      String name = path.equals("/") ? "index.html" : path.substring(1);
      byte[] file = null;
      if (name.matches("[a-z0-9-]+\\.(html|css|js)")) {
        try (InputStream in = getClass().getClassLoader().getResourceAsStream(VIEWER + name)) {
          file = in == null ? null : in.readAllBytes();
        }
      }
      if (file == null) {
        exchange.sendResponseHeaders(404, -1);
        return;
      }
      String type = name.endsWith(".html") ? "text/html" : name.endsWith(".css") ? "text/css" : "text/javascript";
      exchange.getResponseHeaders().set("Content-Type", type + "; charset=utf-8");
      exchange.sendResponseHeaders(200, file.length);
      exchange.getResponseBody().write(file);
    } catch (IOException e) {
      // the browser went away
    }
  }

  @Override
  public void close() {
    http.stop(0);
    threads.shutdownNow();
  }
}
