package dev.execflow.examples.server;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.execflow.cascade.CascadeCatalog;
import dev.execflow.examples.service.ExecutionFlowService;
import dev.execflow.source.jsonl.JsonlLogSource;
import dev.execflow.testing.Samples;
import dev.execflow.testing.SessionGenerator;
import java.io.BufferedOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.Socket;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/**
 * The server under hostile clients and load, over loopback, every loop bounded: slow and broken
 * connections hold nobody up and are closed; a burst of heavy requests is shed with fast 503s while
 * cheap endpoints answer; clients that leave cancel their reads; a read past its deadline is a 504.
 * The heavy session is a real JSONL file of 500,000 generated rows (a read takes about a second).
 * The numbers measured are printed to the test's output.
 */
@Timeout(value = 120, unit = TimeUnit.SECONDS)
class FlowServerResilienceTest {
  private static final ObjectMapper JSON = new ObjectMapper();
  private static final long BIG_ROWS = 500_000;
  private static final String BIG = "gen-big";

  @TempDir
  static Path dir;

  private static Path logs;

  @BeforeAll
  static void writeSessions() throws IOException {
    logs = Files.createDirectories(dir.resolve("logs"));
    try (OutputStream out = new BufferedOutputStream(Files.newOutputStream(logs.resolve("big.jsonl")), 1 << 16)) {
      new SessionGenerator(13).withSessionId(BIG).writeJsonl(out, BIG_ROWS);
    }
    try (InputStream in = Samples.class.getClassLoader().getResourceAsStream(Samples.FOLDER + "simple.jsonl")) {
      Files.copy(in, logs.resolve("simple.jsonl"));
    }
  }

  private static FlowServer start(FlowServer.Options options) {
    ExecutionFlowService service = new ExecutionFlowService(JsonlLogSource.open(logs), CascadeCatalog.bundledSamples());
    return FlowServer.start(service, "127.0.0.1", 0, options);
  }

  private static final FlowServer.Options SHORT = FlowServer.Options.defaults()
      .withIdleTimeout(Duration.ofSeconds(2))
      .withHeaderTimeout(Duration.ofSeconds(1))
      .withReads(2, 2);

  private static HttpResponse<String> get(HttpClient client, FlowServer s, String path) throws Exception {
    HttpRequest request = HttpRequest.newBuilder(s.uri().resolve(path)).timeout(Duration.ofSeconds(20)).build();
    return client.send(request, HttpResponse.BodyHandlers.ofString());
  }

  private static long millisSince(long startNanos) {
    return (System.nanoTime() - startNanos) / 1_000_000;
  }

  @Test
  void slowAndBrokenConnectionsHoldNobodyUpAndAreClosed() throws Exception {
    // the bundled samples: every answer is quick, so a slow one could only be the slow clients' doing
    try (FlowServer s = FlowServer.start(new ExecutionFlowService(Samples.source(), CascadeCatalog.bundledSamples()),
        "127.0.0.1", 0, SHORT)) {
      // warm up, so that what is measured below is the slow clients' effect, not class loading
      HttpClient warm = HttpClient.newHttpClient();
      get(warm, s, "/api/cascade-definitions");
      get(warm, s, "/api/session/sample-simple/execution-flow");
      List<Socket> oneByte = new ArrayList<>();
      List<Socket> idle = new ArrayList<>();
      List<Socket> tls = new ArrayList<>();
      List<Socket> trickle = new ArrayList<>();
      for (int i = 0; i < 8; i++) {
        Socket c = RawHttp.connect(s);
        c.getOutputStream().write('G');
        oneByte.add(c);
        idle.add(RawHttp.connect(s));
        trickle.add(RawHttp.connect(s));
      }
      for (int i = 0; i < 2; i++) {
        Socket c = RawHttp.connect(s);
        c.getOutputStream().write(RawHttp.TLS_CLIENT_HELLO);
        tls.add(c);
      }
      // slowloris: one byte of a request line every 150 ms on each trickling connection
      AtomicBoolean stopTrickling = new AtomicBoolean();
      byte[] line = "GET /api/cascade-definitions HTTP/1.1\r\nHost: x\r\nX-Pad: ".getBytes(StandardCharsets.US_ASCII);
      Thread trickler = new Thread(() -> {
        for (int i = 0; i < 200 && !stopTrickling.get(); i++) {
          for (Socket c : trickle) {
            try {
              c.getOutputStream().write(line[Math.min(i, line.length - 1)]);
            } catch (IOException closed) {
              // the server closed it: what the test wants
            }
          }
          sleep(150);
        }
      });
      trickler.start();
      long started = System.nanoTime();

      HttpClient client = HttpClient.newHttpClient();
      long worst = 0;
      for (int i = 0; i < 20; i++) {
        long t = System.nanoTime();
        HttpResponse<String> r = get(client, s, i % 2 == 0 ? "/api/cascade-definitions"
            : "/api/session/sample-simple/execution-flow");
        worst = Math.max(worst, millisSince(t));
        assertThat(r.statusCode()).isEqualTo(200);
      }
      System.out.println("slow clients: worst answer to another client " + worst + " ms (20 requests)");
      assertThat(worst).as("another client's worst answer time, ms").isLessThan(3000);

      for (Socket c : tls) {
        assertThat(RawHttp.closedWithin(c, 2000)).as("a TLS hello is answered 400 and closed").isTrue();
      }
      for (Socket c : oneByte) {
        assertThat(RawHttp.closedWithin(c, 4000)).as("half a request line is closed at the head deadline").isTrue();
      }
      for (Socket c : trickle) {
        assertThat(RawHttp.closedWithin(c, 4000)).as("a trickled request head is closed at its deadline").isTrue();
      }
      for (Socket c : idle) {
        assertThat(RawHttp.closedWithin(c, 5000)).as("an idle connection is closed at the idle timeout").isTrue();
      }
      stopTrickling.set(true);
      trickler.join(5000);
      System.out.println("slow clients: all 26 closed " + millisSince(started) + " ms after the start; "
          + s.stats().slowHeads() + " closed for a slow head");
      assertThat(s.stats().slowHeads()).isGreaterThanOrEqualTo(8);
      for (List<Socket> group : List.of(oneByte, idle, tls, trickle)) {
        for (Socket c : group) {
          c.close();
        }
      }
    }
  }

  @Test
  void aBurstOfHeavyRequestsIsShedWithFast503sWhileCheapEndpointsAnswer() throws Exception {
    try (FlowServer s = start(SHORT)) {
      HttpClient client = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(10)).build();
      int burst = 200;
      List<CompletableFuture<long[]>> answers = new ArrayList<>();
      long burstStart = System.nanoTime();
      for (int i = 0; i < burst; i++) {
        long t = System.nanoTime();
        HttpRequest request = HttpRequest.newBuilder(s.uri().resolve("/api/session/" + BIG + "/execution-flow"))
            .timeout(Duration.ofSeconds(60)).build();
        answers.add(client.sendAsync(request, HttpResponse.BodyHandlers.ofString()).thenApply(r -> {
          boolean overloaded = r.statusCode() == 503 && r.headers().firstValue("Retry-After").isPresent()
              && r.body().contains("\"reason\":\"overloaded\"");
          return new long[] {r.statusCode(), millisSince(t), overloaded ? 1 : 0};
        }));
      }
      // while the burst is on: the constant endpoints answer at once
      HttpClient cheap = HttpClient.newHttpClient();
      long worstCheap = 0;
      for (int i = 0; i < 10; i++) {
        long t = System.nanoTime();
        assertThat(get(cheap, s, i % 2 == 0 ? "/api/cascade-definitions" : "/api/health").statusCode()).isEqualTo(200);
        worstCheap = Math.max(worstCheap, millisSince(t));
      }

      int ok = 0;
      int shed = 0;
      long worstShed = 0;
      long worstOk = 0;
      for (CompletableFuture<long[]> answer : answers) {
        long[] a = answer.get(90, TimeUnit.SECONDS);
        if (a[0] == 200) {
          ok++;
          worstOk = Math.max(worstOk, a[1]);
        } else {
          assertThat(a[0]).as("every heavy request is answered 200 or 503").isEqualTo(503);
          assertThat(a[2]).as("a 503 carries Retry-After and reason overloaded").isEqualTo(1);
          shed++;
          worstShed = Math.max(worstShed, a[1]);
        }
      }
      long burstMillis = millisSince(burstStart);

      // right after: the read pool is idle at once (nothing reads for clients that got their 503)
      long t = System.nanoTime();
      await(() -> s.stats().readsRunning() == 0 && s.stats().readsWaiting() == 0, 2000);
      assertThat(get(cheap, s, "/api/health").statusCode()).isEqualTo(200);
      long after = millisSince(t);
      System.out.printf("burst of %d heavy requests: %d answered 200 (slowest %d ms), %d shed with 503 (slowest %d ms);"
          + " cheap endpoints during the burst: slowest %d ms; whole burst %d ms; idle and healthy %d ms after the last answer; stats %s%n",
          burst, ok, worstOk, shed, worstShed, worstCheap, burstMillis, after, s.stats());
      assertThat(ok + shed).isEqualTo(burst);
      assertThat(shed).as("most of the burst is shed").isGreaterThanOrEqualTo(150);
      assertThat(worstShed).as("a 503 comes fast, ms").isLessThan(3000);
      assertThat(worstCheap).as("cheap endpoints during the burst, ms").isLessThan(2000);
      assertThat(after).as("idle and answering right after the burst, ms").isLessThan(2000);
    }
  }

  @Test
  void clientsThatLeaveCancelTheirReads() throws Exception {
    try (FlowServer s = start(SHORT)) {
      List<Socket> leaving = new ArrayList<>();
      for (int i = 0; i < 4; i++) {
        Socket c = RawHttp.connect(s);
        c.getOutputStream().write(("GET /api/session/" + BIG + "/execution-flow HTTP/1.1\r\nHost: x\r\n\r\n")
            .getBytes(StandardCharsets.US_ASCII));
        leaving.add(c);
      }
      await(() -> s.stats().readsRunning() == 2, 5000);
      long t = System.nanoTime();
      for (Socket c : leaving) {
        c.close();
      }
      await(() -> s.stats().readsRunning() == 0 && s.stats().readsWaiting() == 0, 5000);
      long stopped = millisSince(t);
      System.out.println("4 clients left: their reads stopped " + stopped + " ms later; " + s.stats());
      assertThat(s.stats().cancelled()).isEqualTo(4);
      assertThat(s.stats().readsRunning()).isZero();

      // the lane is free again at once
      HttpResponse<String> r = get(HttpClient.newHttpClient(), s, "/api/session/sample-simple/execution-flow");
      assertThat(r.statusCode()).isEqualTo(200);
    }
  }

  @Test
  void aKeepAliveClientThatLeavesDuringItsSecondRequestCancelsIt() throws Exception {
    try (FlowServer s = start(SHORT)) {
      Socket c = RawHttp.connect(s);
      c.setSoTimeout(10_000);
      c.getOutputStream().write("GET /api/session/sample-simple/execution-flow HTTP/1.1\r\nHost: x\r\n\r\n"
          .getBytes(StandardCharsets.US_ASCII));
      assertThat(RawHttp.read(c.getInputStream()).status()).isEqualTo(200);
      c.getOutputStream().write(("GET /api/session/" + BIG + "/execution-flow HTTP/1.1\r\nHost: x\r\n\r\n")
          .getBytes(StandardCharsets.US_ASCII));
      await(() -> s.stats().readsRunning() == 1, 5000);

      c.close();
      await(() -> s.stats().readsRunning() == 0, 5000);

      assertThat(s.stats().cancelled()).isEqualTo(1);
    }
  }

  @Test
  void aReadPastItsDeadlineIs504AndIsCancelled() throws Exception {
    try (FlowServer s = start(SHORT.withRequestDeadline(Duration.ofMillis(200)))) {
      long t = System.nanoTime();
      HttpResponse<String> r = get(HttpClient.newHttpClient(), s, "/api/session/" + BIG + "/execution-flow");
      long took = millisSince(t);

      assertThat(r.statusCode()).isEqualTo(504);
      JsonNode body = JSON.readTree(r.body());
      assertThat(body.path("status").asInt()).isEqualTo(504);
      assertThat(body.path("reason").asText()).isEqualTo("deadline");
      assertThat(took).isLessThan(2000);
      await(() -> s.stats().readsRunning() == 0, 3000);
      assertThat(s.stats().deadlines()).isEqualTo(1);
    }
  }

  private interface Condition {
    boolean holds();
  }

  private static void await(Condition condition, long millis) {
    long deadline = System.nanoTime() + millis * 1_000_000;
    while (!condition.holds()) {
      assertThat(System.nanoTime()).as("condition within " + millis + " ms").isLessThan(deadline);
      sleep(10);
    }
  }

  private static void sleep(long millis) {
    try {
      Thread.sleep(millis);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }
}
