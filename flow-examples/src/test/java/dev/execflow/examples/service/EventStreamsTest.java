package dev.execflow.examples.service;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.execflow.assemble.AssemblyOptions;
import dev.execflow.assemble.ExecutionAssembler;
import dev.execflow.cascade.CascadeCatalog;
import dev.execflow.follow.FollowHub;
import dev.execflow.follow.FollowOptions;
import dev.execflow.json.ExecutionJson;
import dev.execflow.source.jsonl.JsonlLogSource;
import dev.execflow.spi.LogSource;
import dev.execflow.spi.RowSink;
import dev.execflow.spi.SessionQuery;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.io.OutputStream;
import java.io.PipedInputStream;
import java.io.PipedOutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The SSE endpoints at the service level: the {@link StreamingBody} is written into a pipe, as a
 * server adapter would write it to a socket, while rows are appended to the followed file.
 */
class EventStreamsTest {
  private static final ObjectMapper JSON = new ObjectMapper();
  private static final FollowOptions FAST = FollowOptions.defaults().toBuilder()
      .interval(Duration.ofMillis(20)).idleInterval(Duration.ofMillis(40)).grace(Duration.ofMillis(300)).build();

  @TempDir Path dir;
  private final List<AutoCloseable> closing = new ArrayList<>();

  @AfterEach
  void close() throws Exception {
    for (AutoCloseable c : closing) {
      c.close();
    }
  }

  /** One SSE frame as a client parses it. */
  record Frame(long id, String event, JsonNode data) {}

  /** A client: the streaming body runs on its own thread, writing into a pipe this reads. */
  final class Client implements AutoCloseable {
    private final BlockingQueue<Frame> frames = new ArrayBlockingQueue<>(10_000);
    private final PipedInputStream in = new PipedInputStream(1 << 16);
    private final Thread writer;
    private final Thread reader;
    volatile boolean bodyReturned;

    Client(ApiResponse response) throws IOException {
      assertThat(response.status()).isEqualTo(200);
      assertThat(response.contentType()).isEqualTo(ApiResponse.EVENT_STREAM);
      OutputStream out = new PipedOutputStream(in);
      writer = new Thread(() -> {
        try (out) {
          response.stream().writeTo(out);
          bodyReturned = true;
        } catch (IOException e) {
          // the client went away
        }
      });
      reader = new Thread(this::read);
      writer.start();
      reader.start();
      closing.add(this);
    }

    private void read() {
      try (BufferedReader r = new BufferedReader(new InputStreamReader(in, StandardCharsets.UTF_8))) {
        Long id = null;
        String event = null;
        String data = null;
        String line;
        while ((line = r.readLine()) != null) {
          if (line.isEmpty()) {
            if (data != null) {
              frames.add(new Frame(id, event, JSON.readTree(data)));
            }
            id = null;
            event = null;
            data = null;
          } else if (line.startsWith("id: ")) {
            id = Long.parseLong(line.substring(4));
          } else if (line.startsWith("event: ")) {
            event = line.substring(7);
          } else if (line.startsWith("data: ")) {
            data = line.substring(6);
          }
        }
      } catch (IOException e) {
        // closed
      }
    }

    List<Frame> take(int n) throws InterruptedException {
      List<Frame> got = new ArrayList<>();
      while (got.size() < n) {
        Frame f = frames.poll(5, TimeUnit.SECONDS);
        assertThat(f).as("frame %d of %d", got.size() + 1, n).isNotNull();
        got.add(f);
      }
      return got;
    }

    Frame take() throws InterruptedException {
      return take(1).get(0);
    }

    /** Leaves as a browser does: the connection closes, the body's next write fails. */
    @Override
    public void close() throws Exception {
      in.close();
      reader.join(2000);
      writer.join(5000);
    }
  }

  /** A store read through time ranges (the cursor tail), counting its reads. */
  private static final class CountingSource implements LogSource {
    final LogSource store;
    final AtomicLong reads = new AtomicLong();

    CountingSource(LogSource store) {
      this.store = store;
    }

    @Override public long read(SessionQuery query, RowSink sink) {
      reads.incrementAndGet();
      return store.read(query, sink);
    }
  }

  private static double now() {
    return System.currentTimeMillis() / 1000.0;
  }

  private static String line(double ts, String nodeType, String role, String phase, String extra) {
    return "{\"timestamp\": " + ts + ", \"session_id\": \"s1\", \"trace_id\": \"t" + ts + "\", \"node_type\": \""
        + nodeType + "\", \"role\": \"" + role + "\"" + (phase == null ? "" : ", \"phase_name\": \"" + phase + "\"")
        + (extra == null ? "" : ", " + extra) + "}\n";
  }

  private Path logs(String text) throws IOException {
    Path file = dir.resolve("logs.jsonl");
    Files.writeString(file, text);
    return file;
  }

  private static void append(Path file, String text) throws IOException {
    Files.writeString(file, text, StandardOpenOption.APPEND);
  }

  private ExecutionFlowService service(LogSource source, int maxSessions) {
    FollowHub hub = new FollowHub(source, FAST, maxSessions, Duration.ofSeconds(30), 256);
    closing.add(hub);
    return new ExecutionFlowService(source, CascadeCatalog.EMPTY, AssemblyOptions.defaults(),
        e -> { throw new AssertionError(e); }, hub);
  }

  private static ApiResponse get(ExecutionFlowService service, String path, String lastEventId) {
    return service.handle("GET", path, null, name -> name.equals("Last-Event-ID") ? lastEventId : null);
  }

  @Test
  void aSessionsStreamStartsWithASnapshotAndEndsAfterFinal() throws Exception {
    double t = now();
    Path file = logs(line(t, "cascade", "system", null, null));
    ExecutionFlowService service = service(JsonlLogSource.open(file), 10);
    Client client = new Client(get(service, "/api/session/s1/events", null));

    Frame first = client.take();
    append(file, line(t + 0.1, "phase", "phase_start", "a", null)
        + line(t + 0.2, "agent", "assistant", "a", "\"cost\": 0.25")
        + line(t + 0.3, "phase", "phase_complete", "a", null)
        + line(t + 0.4, "cascade_completed", "system", null, null));
    List<Frame> rest = client.take(6);

    assertThat(first.event()).isEqualTo("snapshot");
    assertThat(first.data().path("executionData").path("summary").path("status").asText()).isEqualTo("running");
    assertThat(rest).extracting(Frame::event)
        .containsExactly("phase_start", "turn", "cost", "phase_complete", "cascade_complete", "final");
    assertThat(rest.get(2).data().path("totalCost").asDouble()).isEqualTo(0.25);
    Frame last = rest.get(5);
    ExecutionAssembler batch = new ExecutionAssembler();
    JsonlLogSource.open(file).read(SessionQuery.of("s1"), batch);
    assertThat(ExecutionJson.read(JSON.writeValueAsString(last.data().path("executionData"))))
        .isEqualTo(batch.snapshot());
    client.writer.join(5000);
    assertThat(client.bodyReturned).as("the stream ends after final").isTrue();
  }

  @Test
  void everyFramesIdIsItsEventsIdAndItsEventTheType() throws Exception {
    double t = now();
    Path file = logs(line(t, "cascade", "system", null, null));
    ExecutionFlowService service = service(JsonlLogSource.open(file), 10);
    Client client = new Client(get(service, "/api/session/s1/events", null));
    client.take();
    append(file, line(t + 0.1, "phase", "phase_start", "a", null));

    Frame f = client.take();

    assertThat(f.id()).isEqualTo(f.data().path("id").asLong());
    assertThat(f.event()).isEqualTo(f.data().path("type").asText());
    assertThat(f.data().path("sessionId").asText()).isEqualTo("s1");
    assertThat(f.data().path("phase").asText()).isEqualTo("a");
  }

  @Test
  void aReconnectWithLastEventIdGetsNoDuplicatesAndNoGaps() throws Exception {
    double t = now();
    Path file = logs(line(t, "cascade", "system", null, null));
    ExecutionFlowService service = service(JsonlLogSource.open(file), 10);
    Client witness = new Client(get(service, "/api/session/s1/events", null));
    Client first = new Client(get(service, "/api/session/s1/events", null));
    witness.take();
    long lastSeen = first.take().id();
    first.close();
    append(file, line(t + 0.1, "phase", "phase_start", "a", null) + line(t + 0.2, "phase", "phase_complete", "a", null)
        + line(t + 0.3, "phase", "phase_start", "b", null));
    List<Frame> missed = witness.take(3);

    Client again = new Client(get(service, "/api/session/s1/events", String.valueOf(lastSeen)));
    List<Frame> resumed = again.take(3);
    append(file, line(t + 0.4, "phase", "phase_complete", "b", null));

    assertThat(resumed).extracting(Frame::id).containsExactlyElementsOf(missed.stream().map(Frame::id).toList());
    assertThat(resumed.get(0).id()).isEqualTo(lastSeen + 1);
    assertThat(again.take().id()).isEqualTo(witness.take().id()).isEqualTo(lastSeen + 4);
  }

  @Test
  void twoHundredClientsOfOneSessionCauseOneReadPerTick() throws Exception {
    Path file = logs(line(now(), "cascade", "system", null, null));
    CountingSource source = new CountingSource(JsonlLogSource.open(file));
    ExecutionFlowService service = service(source, 10);
    List<Client> clients = new ArrayList<>();
    for (int i = 0; i < 200; i++) {
      clients.add(new Client(get(service, "/api/session/s1/events", null)));
    }
    for (Client c : clients) {
      assertThat(c.take().event()).isEqualTo("snapshot");
    }
    long before = source.reads.get();
    Thread.sleep(500);
    long during = source.reads.get() - before;

    // 500 ms at 20 to 40 ms per tick: one read a tick, for 200 clients
    assertThat(during).isBetween(5L, 30L);
  }

  @Test
  void oneSessionPastTheBoundIs503WithAClearMessage() throws Exception {
    Path file = logs("");
    ExecutionFlowService service = service(JsonlLogSource.open(file), 1);
    new Client(get(service, "/api/session/s1/events", null)).take();

    ApiResponse refused = get(service, "/api/session/s2/events", null);

    assertThat(refused.status()).isEqualTo(503);
    assertThat(JSON.readTree(refused.body()).path("error").asText()).contains("already follows 1 sessions");
  }

  @Test
  void anInvalidSessionIdIs400() throws Exception {
    ExecutionFlowService service = service(JsonlLogSource.open(logs("")), 10);

    assertThat(get(service, "/api/session/a%20b/events", null).status()).isEqualTo(400);
  }

  @Test
  void theStreamOfAllFollowedSessionsCarriesSessionIdAndPhaseName() throws Exception {
    double t = now();
    Path file = logs(line(t, "cascade", "system", null, null));
    ExecutionFlowService service = service(JsonlLogSource.open(file), 10);
    Client all = new Client(get(service, "/api/events/stream", null));
    Client one = new Client(get(service, "/api/session/s1/events", null));
    one.take();
    append(file, line(t + 0.1, "phase", "phase_start", "a", null));

    List<Frame> got = all.take(2);

    assertThat(got).extracting(Frame::event).containsExactly("snapshot", "phase_start");
    assertThat(got.get(1).data().path("session_id").asText()).isEqualTo("s1");
    assertThat(got.get(1).data().path("phase_name").asText()).isEqualTo("a");
    assertThat(got.get(1).data().path("type").asText()).isEqualTo("phase_start");
  }

  @Test
  void aLastEventIdThatIsNotANumberIsIgnored() {
    assertThat(EventStreams.parseId("abc")).isNull();
    assertThat(EventStreams.parseId("-3")).isNull();
    assertThat(EventStreams.parseId(" 17 ")).isEqualTo(17L);
    assertThat(EventStreams.parseId(null)).isNull();
  }
}
