package dev.execflow.examples.server;

import static org.assertj.core.api.Assertions.assertThat;

import dev.execflow.examples.service.ApiResponse;
import dev.execflow.examples.service.ExecutionFlowService;
import dev.execflow.testing.Samples;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * Streaming answers ({@code text/event-stream}, as the live-follow endpoints send) through the
 * server: each event reaches the client when the body flushes it, not when the body ends, and a
 * client that leaves stops the body. The events come from a stand-in route ({@code
 * /api/session/s/events}) in front of the real service.
 */
@Timeout(value = 60, unit = TimeUnit.SECONDS)
class FlowServerStreamingTest {
  private static final ExecutionFlowService SERVICE = new ExecutionFlowService(Samples.source());

  /** The service, plus an event stream that writes one event, waits for {@code next}, writes another. */
  private static FlowServer.Api withEvents(CountDownLatch next, AtomicReference<Throwable> bodyEnded) {
    return (method, path, query, headers) -> {
      if (!path.equals("/api/session/s/events")) {
        return SERVICE.handle(method, path, query, headers);
      }
      return ApiResponse.streaming(200, ApiResponse.EVENT_STREAM, out -> {
        try {
          out.write("event: first\ndata: {}\n\n".getBytes(StandardCharsets.UTF_8));
          out.flush();
          if (!next.await(20, TimeUnit.SECONDS)) {
            throw new IOException("nobody asked for the next event");
          }
          out.write("event: second\ndata: {}\n\n".getBytes(StandardCharsets.UTF_8));
          out.flush();
          bodyEnded.set(new Throwable("completed"));
        } catch (InterruptedException e) {
          bodyEnded.set(e);
        } catch (IOException | RuntimeException e) {
          // a write cut short by the interrupt, however the server reports it
          bodyEnded.set(e);
          throw e;
        }
      });
    };
  }

  private static void request(Socket socket) throws IOException {
    socket.getOutputStream().write("GET /api/session/s/events HTTP/1.1\r\nHost: x\r\n\r\n"
        .getBytes(StandardCharsets.US_ASCII));
  }

  /** Reads until {@code text} has arrived; returns everything read. */
  private static String readUntil(InputStream in, String text) throws IOException {
    ByteArrayOutputStream seen = new ByteArrayOutputStream();
    byte[] buf = new byte[512];
    while (!seen.toString(StandardCharsets.UTF_8).contains(text)) {
      int n = in.read(buf);
      if (n < 0) {
        break;
      }
      seen.write(buf, 0, n);
    }
    return seen.toString(StandardCharsets.UTF_8);
  }

  @Test
  void eachEventReachesTheClientWhenTheBodyFlushesIt() throws Exception {
    CountDownLatch next = new CountDownLatch(1);
    AtomicReference<Throwable> ended = new AtomicReference<>();
    try (FlowServer s = FlowServer.start(withEvents(next, ended), "127.0.0.1", 0, FlowServer.Options.defaults());
        Socket client = RawHttp.connect(s)) {
      client.setSoTimeout(10_000);
      request(client);

      String first = readUntil(client.getInputStream(), "event: first");
      assertThat(first).startsWith("HTTP/1.1 200").containsIgnoringCase("content-type: text/event-stream")
          .doesNotContainIgnoringCase("content-length").contains("event: first");
      assertThat(first).as("the second event is not written yet").doesNotContain("event: second");

      next.countDown();
      String rest = readUntil(client.getInputStream(), "\r\n0\r\n\r\n");
      assertThat(rest).contains("event: second").endsWith("\r\n0\r\n\r\n");
      assertThat(ended.get()).hasMessage("completed");
    }
  }

  @Test
  void aClientThatLeavesStopsTheStream() throws Exception {
    CountDownLatch never = new CountDownLatch(1);
    AtomicReference<Throwable> ended = new AtomicReference<>();
    try (FlowServer s = FlowServer.start(withEvents(never, ended), "127.0.0.1", 0, FlowServer.Options.defaults())) {
      Socket client = RawHttp.connect(s);
      client.setSoTimeout(10_000);
      request(client);
      readUntil(client.getInputStream(), "event: first");

      long left = System.nanoTime();
      client.close();
      while (ended.get() == null && System.nanoTime() - left < TimeUnit.SECONDS.toNanos(5)) {
        Thread.sleep(10);
      }

      // interrupted while waiting for its next event, or while its last write was completing
      assertThat(ended.get()).as("the body was stopped").isNotNull().hasMessageNotContaining("completed");
      assertThat(s.stats().cancelled()).isEqualTo(1);
    }
  }
}
