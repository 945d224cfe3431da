package dev.execflow.examples.server;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.execflow.source.clickhouse.ClickHouseLogSource;
import dev.execflow.examples.service.ExecutionFlowService;
import dev.execflow.testing.Samples;
import dev.execflow.cascade.CascadeCatalog;
import dev.execflow.spi.LogSource;
import dev.execflow.spi.LogSourceException;
import dev.execflow.spi.RowSink;
import dev.execflow.spi.SessionListQuery;
import dev.execflow.spi.SessionPage;
import dev.execflow.spi.SessionQuery;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Nested;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;

/**
 * The example server over HTTP, as a client sees it: status codes, JSON bodies, error bodies.
 * Sessions are the bundled samples; "source down" is a {@link LogSource} whose store is
 * unreachable (it throws what a real source throws then).
 */
class FlowServerHttpTest {
  private static final ObjectMapper JSON = new ObjectMapper();
  private static final HttpClient HTTP = HttpClient.newHttpClient();

  private static FlowServer samples;

  @BeforeAll
  static void startServer() {
    samples = FlowServer.start(
        new ExecutionFlowService(Samples.source(), CascadeCatalog.bundledSamples()), "127.0.0.1", 0);
  }

  @AfterAll
  static void stopServer() {
    samples.close();
  }

  static HttpResponse<String> get(FlowServer server, String pathAndQuery) throws IOException, InterruptedException {
    return send(server, "GET", pathAndQuery);
  }

  static HttpResponse<String> send(FlowServer server, String method, String pathAndQuery)
      throws IOException, InterruptedException {
    HttpRequest request = HttpRequest.newBuilder(server.uri().resolve(pathAndQuery))
        .method(method, HttpRequest.BodyPublishers.noBody()).build();
    return HTTP.send(request, HttpResponse.BodyHandlers.ofString());
  }

  static JsonNode json(HttpResponse<String> response) throws IOException {
    assertThat(response.headers().firstValue("Content-Type")).hasValue("application/json; charset=utf-8");
    return JSON.readTree(response.body());
  }

  /** An error answer: the status, a JSON body naming the problem, and no Java internals. */
  static void assertError(HttpResponse<String> response, int status, String messagePart) throws IOException {
    assertThat(response.statusCode()).isEqualTo(status);
    JsonNode body = json(response);
    assertThat(body.path("status").asInt()).isEqualTo(status);
    assertThat(body.path("error").asText()).contains(messagePart);
    assertThat(response.body()).doesNotContain("Exception").doesNotContain("\tat ").doesNotContain("dev.execflow");
  }

  @Nested
  class ExecutionFlow {
    @Test
    void returnsTheSeedShapeOfAKnownSession() throws Exception {
      HttpResponse<String> r = get(samples, "/api/session/sample-soundings/execution-flow");

      assertThat(r.statusCode()).isEqualTo(200);
      JsonNode data = json(r);
      assertThat(data.path("executedPath").toString()).isEqualTo("[\"brief\",\"tagline\",\"finalize\"]");
      assertThat(data.path("executedHandoffs").path("brief").asText()).isEqualTo("tagline");
      assertThat(data.path("phases").path("tagline").path("soundingWinner").asInt()).isEqualTo(2);
      assertThat(data.path("phases").path("tagline").path("details").path("soundings").path("attempts")).hasSize(3);
      assertThat(data.path("summary").path("status").asText()).isEqualTo("completed");
      assertThat(data.path("summary").path("totalCost").asDouble()).isCloseTo(0.0025, org.assertj.core.data.Offset.offset(1e-9));
    }

    @Test
    void overlaysTheCascadeDefinitionSoPhasesNotYetRunArePending() throws Exception {
      JsonNode data = json(get(samples, "/api/session/sample-running/execution-flow"));

      assertThat(data.path("phases").path("analyze").path("status").asText()).isEqualTo("running");
      assertThat(data.path("phases").path("write_report").path("status").asText()).isEqualTo("pending");
      assertThat(data.path("phases").path("review").path("status").asText()).isEqualTo("pending");
      assertThat(data.path("edges").isArray()).as("declared edges with taken flags").isTrue();
    }

    @Test
    void unknownSessionIs404WithAJsonError() throws Exception {
      assertError(get(samples, "/api/session/no-such-session/execution-flow"), 404, "unknown session: no-such-session");
    }

    @Test
    void idWithForbiddenCharactersIs400() throws Exception {
      assertError(get(samples, "/api/session/%3Cscript%3E/execution-flow"), 400, "invalid session id");
      assertError(get(samples, "/api/session/a%20b/execution-flow"), 400, "invalid session id");
      assertError(get(samples, "/api/session/x'%20OR%201=1/execution-flow"), 400, "invalid session id");
    }

    @Test
    void overlongIdIs400() throws Exception {
      assertError(get(samples, "/api/session/" + "a".repeat(257) + "/execution-flow"), 400, "invalid session id");
    }

    @Test
    void percentEncodedIdIsDecodedOnce() throws Exception {
      // %2D is '-': the id is sample-simple
      assertThat(get(samples, "/api/session/sample%2Dsimple/execution-flow").statusCode()).isEqualTo(200);
    }

    @Test
    void invalidUtf8InIdIs400() throws Exception {
      assertError(get(samples, "/api/session/%C3%28/execution-flow"), 400, "invalid session id");
    }
  }

  @Nested
  class Sessions {
    @Test
    void listsEverySampleNewestFirstWithTheGridColumns() throws Exception {
      JsonNode body = json(get(samples, "/api/sessions"));

      List<String> ids = ids(body);
      assertThat(ids).containsExactlyInAnyOrderElementsOf(Samples.all().stream().map(Samples.Sample::sessionId).toList());
      assertThat(ids.get(0)).as("the reforge sample starts an hour after the others").isEqualTo("sample-reforge");
      JsonNode row = body.path("sessions").get(0);
      assertThat(row.path("cascade_id").asText()).isEqualTo("logo_brief_reforge");
      assertThat(row.path("status").asText()).isEqualTo("completed");
      assertThat(row.path("cost").asDouble()).isPositive();
      assertThat(row.path("duration").asDouble()).isPositive();
      assertThat(row.path("started").asText()).isEqualTo("2025-01-05T11:00:00Z");
      assertThat(body.path("next_cursor").isNull()).isTrue();
    }

    @Test
    void pagesWithAKeyedCursorWithoutGapsOrRepeats() throws Exception {
      List<String> all = ids(json(get(samples, "/api/sessions")));
      List<String> paged = new ArrayList<>();
      String cursor = null;
      int pages = 0;
      do {
        String q = "/api/sessions?limit=3" + (cursor == null ? "" : "&after=" + java.net.URLEncoder.encode(cursor, "UTF-8"));
        JsonNode page = json(get(samples, q));
        assertThat(page.path("sessions").size()).isLessThanOrEqualTo(3);
        paged.addAll(ids(page));
        cursor = page.path("next_cursor").isNull() ? null : page.path("next_cursor").asText();
        pages++;
      } while (cursor != null && pages < 10);

      assertThat(pages).isEqualTo(3);
      assertThat(paged).isEqualTo(all);
    }

    @Test
    void filtersByStatus() throws Exception {
      JsonNode body = json(get(samples, "/api/sessions?status=error"));

      assertThat(ids(body)).containsExactlyInAnyOrder("sample-failed", "sample-wards");
    }

    @Test
    void filtersByCascade() throws Exception {
      JsonNode body = json(get(samples, "/api/sessions?cascade=draft_review_loop"));

      assertThat(ids(body)).containsExactly("sample-loop");
    }

    @Test
    void aCompleteListingHasAnEmptyWarningsArray() throws Exception {
      JsonNode body = json(get(samples, "/api/sessions"));

      assertThat(body.path("warnings").isArray()).isTrue();
      assertThat(body.path("warnings")).isEmpty();
    }

    @Test
    void whatTheListingLeftOutIsInItsWarnings() throws Exception {
      try (FlowServer bounded = FlowServer.start(new ExecutionFlowService(Samples.source().withMaxListedSessions(2)),
          "127.0.0.1", 0)) {
        JsonNode body = json(get(bounded, "/api/sessions"));

        assertThat(ids(body)).hasSize(2).first().isEqualTo("sample-reforge");
        assertThat(body.path("warnings").get(0).asText()).contains("newest 2 are listed").contains("left out");
      }
    }

    @Test
    void badStatusIs400() throws Exception {
      assertError(get(samples, "/api/sessions?status=done"), 400, "invalid status");
    }

    @Test
    void badLimitIs400() throws Exception {
      assertError(get(samples, "/api/sessions?limit=0"), 400, "invalid limit");
      assertError(get(samples, "/api/sessions?limit=501"), 400, "invalid limit");
      assertError(get(samples, "/api/sessions?limit=ten"), 400, "invalid limit");
    }

    @Test
    void badPercentEncodingInTheQueryIs400() throws Exception {
      assertError(get(samples, "/api/sessions?cascade=%E2%28"), 400, "percent-encoding");
    }

    private List<String> ids(JsonNode body) {
      List<String> ids = new ArrayList<>();
      body.path("sessions").forEach(s -> ids.add(s.path("session_id").asText()));
      return ids;
    }
  }

  @Nested
  class CascadeDefinitions {
    @Test
    void listsTheDefinitionsTheSeedsFetchHelperSearchesByCascadeId() throws Exception {
      HttpResponse<String> r = get(samples, "/api/cascade-definitions");

      assertThat(r.statusCode()).isEqualTo(200);
      JsonNode defs = json(r);
      List<String> ids = new ArrayList<>();
      defs.forEach(d -> ids.add(d.path("cascade_id").asText()));
      assertThat(ids).contains("blog_post", "tagline_soundings", "research_report");
      JsonNode blog = defs.get(ids.indexOf("blog_post"));
      assertThat(blog.path("phases").get(0).path("name").asText()).isEqualTo("research");
    }

    @Test
    void withoutACatalogIsAnEmptyArray() throws Exception {
      try (FlowServer bare = FlowServer.start(new ExecutionFlowService(Samples.source()), "127.0.0.1", 0)) {
        HttpResponse<String> r = get(bare, "/api/cascade-definitions");
        assertThat(r.statusCode()).isEqualTo(200);
        assertThat(r.body()).isEqualTo("[]");
      }
    }
  }

  @Nested
  @TestInstance(TestInstance.Lifecycle.PER_CLASS)
  class SourceDown {
    private FlowServer down;

    @BeforeAll
    void start() {
      down = FlowServer.start(new ExecutionFlowService(new UnreachableStore()), "127.0.0.1", 0);
    }

    @AfterAll
    void stop() {
      down.close();
    }

    @Test
    void executionFlowIs503WithTheSourcesMessage() throws Exception {
      HttpResponse<String> r = get(down, "/api/session/sample-simple/execution-flow");

      assertError(r, 503, "connection refused");
      assertThat(json(r).path("reason").asText()).isEqualTo("unavailable");
    }

    @Test
    void sessionsIs503() throws Exception {
      assertError(get(down, "/api/sessions"), 503, "log source unavailable");
    }

    @Test
    void aClickHouseSourceOnAClosedPortIs503() throws Exception {
      try (ClickHouseLogSource closedPort = ClickHouseLogSource.builder().endpoint("http://127.0.0.1:1").build();
          FlowServer server = FlowServer.start(new ExecutionFlowService(closedPort), "127.0.0.1", 0)) {
        HttpResponse<String> flow = get(server, "/api/session/sample-simple/execution-flow");
        assertError(flow, 503, "127.0.0.1:1");
        assertThat(json(flow).path("reason").asText()).isEqualTo("unavailable");
        assertError(get(server, "/api/sessions"), 503, "log source unavailable");
      }
    }

    @Test
    void definitionsStillAnswer() throws Exception {
      assertThat(get(down, "/api/cascade-definitions").statusCode()).isEqualTo(200);
    }
  }

  @Nested
  class Routing {
    @Test
    void onlyGetIsAllowed() throws Exception {
      assertError(send(samples, "POST", "/api/sessions"), 405, "only GET");
      assertError(send(samples, "DELETE", "/api/session/sample-simple/execution-flow"), 405, "only GET");
    }

    @Test
    void unknownApiPathIs404Json() throws Exception {
      assertError(get(samples, "/api/nothing-here"), 404, "no such endpoint");
      assertError(get(samples, "/api/session/sample-simple"), 404, "no such endpoint");
    }

    @Test
    void sourceThatCannotListIs501() throws Exception {
      LogSource readOnly = new LogSource() {
        @Override
        public long read(SessionQuery query, RowSink sink) {
          return 0;
        }
      };
      try (FlowServer server = FlowServer.start(new ExecutionFlowService(readOnly), "127.0.0.1", 0)) {
        assertError(get(server, "/api/sessions"), 501, "cannot list sessions");
      }
    }

    @Test
    void aBugInTheSourceIs500WithoutDetails() throws Exception {
      LogSource buggy = new LogSource() {
        @Override
        public long read(SessionQuery query, RowSink sink) {
          throw new IllegalStateException("secret internal detail");
        }
      };
      List<Throwable> reported = new ArrayList<>();
      ExecutionFlowService service = new ExecutionFlowService(buggy, CascadeCatalog.EMPTY,
          dev.execflow.assemble.AssemblyOptions.defaults(), reported::add);
      try (FlowServer server = FlowServer.start(service, "127.0.0.1", 0)) {
        HttpResponse<String> r = get(server, "/api/session/s1/execution-flow");
        assertError(r, 500, "internal error");
        assertThat(r.body()).doesNotContain("secret");
      }
      assertThat(reported).hasSize(1);
    }
  }

  @Nested
  class Health {
    @Test
    void isOkBeforeAnyReadWithTheSourceStateUnknown() throws Exception {
      try (FlowServer fresh = FlowServer.start(new ExecutionFlowService(Samples.source()), "127.0.0.1", 0)) {
        HttpResponse<String> r = get(fresh, "/api/health");

        assertThat(r.statusCode()).isEqualTo(200);
        assertThat(json(r).path("status").asText()).isEqualTo("ok");
        assertThat(json(r).path("source").path("state").asText()).isEqualTo("unknown");
      }
    }

    @Test
    void saysUpAfterTheSourceAnswered() throws Exception {
      get(samples, "/api/sessions");

      JsonNode body = json(get(samples, "/api/health"));
      assertThat(body.path("source").path("state").asText()).isEqualTo("up");
    }

    @Test
    void is503WithTheReasonAfterTheSourceFailed() throws Exception {
      try (FlowServer down = FlowServer.start(new ExecutionFlowService(new UnreachableStore()), "127.0.0.1", 0)) {
        get(down, "/api/sessions");

        HttpResponse<String> r = get(down, "/api/health");
        assertThat(r.statusCode()).isEqualTo(503);
        assertThat(json(r).path("status").asText()).isEqualTo("unavailable");
        assertThat(json(r).path("source").path("state").asText()).isEqualTo("down");
        assertThat(json(r).path("source").path("detail").asText()).contains("connection refused");
        assertThat(r.headers().firstValue("Retry-After")).isPresent();
      }
    }
  }

  @Nested
  class ProtocolErrors {
    @Test
    void aMalformedRequestLineGetsAJsonError() throws Exception {
      RawHttp.Answer a = RawHttp.exchange(samples, "GET /api/session/a b/execution-flow HTTP/1.1\r\nHost: x\r\n\r\n");

      assertThat(a.status()).isEqualTo(400);
      assertThat(a.header("content-type")).startsWith("application/json");
      assertThat(JSON.readTree(a.body()).path("status").asInt()).isEqualTo(400);
      assertThat(a.body()).doesNotContain("Exception").doesNotContain("<html");
    }

    @Test
    void aUrlWithIllegalCharactersGetsAJsonError() throws Exception {
      RawHttp.Answer a = RawHttp.exchange(samples, "GET /api/sessions\u0001 HTTP/1.1\r\nHost: x\r\n\r\n");

      assertThat(a.status()).isEqualTo(400);
      assertThat(JSON.readTree(a.body()).path("error").asText()).isNotEmpty();
    }

    @Test
    void badPercentEncodingInThePathIsAJson400() throws Exception {
      RawHttp.Answer a = RawHttp.exchange(samples, "GET /api/session/%zz/execution-flow HTTP/1.1\r\nHost: x\r\n\r\n");

      assertThat(a.status()).isEqualTo(400);
      assertThat(a.header("content-type")).startsWith("application/json");
      assertThat(JSON.readTree(a.body()).path("status").asInt()).isEqualTo(400);
    }

    @Test
    void oversizedHeadersAre431WithAJsonBody() throws Exception {
      String big = "x".repeat(20_000);
      RawHttp.Answer a = RawHttp.exchange(samples, "GET /api/sessions HTTP/1.1\r\nHost: x\r\nX-Big: " + big + "\r\n\r\n");

      assertThat(a.status()).isEqualTo(431);
      assertThat(a.header("content-type")).startsWith("application/json");
      assertThat(JSON.readTree(a.body()).path("status").asInt()).isEqualTo(431);
    }

    @Test
    void anOverlongUrlIs414WithAJsonBody() throws Exception {
      RawHttp.Answer a = RawHttp.exchange(samples, "GET /api/sessions?cascade=" + "y".repeat(20_000) + " HTTP/1.1\r\nHost: x\r\n\r\n");

      assertThat(a.status()).isEqualTo(414);
      assertThat(JSON.readTree(a.body()).path("status").asInt()).isEqualTo(414);
    }

    @Test
    void aTlsHandshakeOnThePlainPortIsRefusedAtOnce() throws Exception {
      RawHttp.Answer a = RawHttp.exchange(samples, RawHttp.TLS_CLIENT_HELLO);

      assertThat(a.status()).isEqualTo(400);
      assertThat(a.millis()).isLessThan(2000);
    }
  }

  @Nested
  class StaticFiles {
    @Test
    void rootIsTheInstancesPage() throws Exception {
      HttpResponse<String> r = get(samples, "/");

      assertThat(r.statusCode()).isEqualTo(200);
      assertThat(r.headers().firstValue("Content-Type")).hasValue("text/html; charset=utf-8");
      assertThat(r.body()).contains("id=\"instances-grid\"").contains("viewer.js");
    }

    @Test
    void scriptAndStylesheetAreServedWithTheirTypes() throws Exception {
      assertThat(get(samples, "/viewer.js").headers().firstValue("Content-Type")).hasValue("text/javascript; charset=utf-8");
      assertThat(get(samples, "/viewer.css").headers().firstValue("Content-Type")).hasValue("text/css; charset=utf-8");
    }

    @Test
    void nothingOutsideTheViewerFolderIsServed() throws Exception {
      assertThat(get(samples, "/..%2F..%2Fsample%2FSamples.class").statusCode()).isEqualTo(404);
      assertThat(get(samples, "/dev/execflow/samples/simple.jsonl").statusCode()).isEqualTo(404);
      assertThat(get(samples, "/missing.js").statusCode()).isEqualTo(404);
    }
  }

  /** A store that cannot be reached, reporting it the way sources do. */
  static final class UnreachableStore implements LogSource {
    @Override
    public long read(SessionQuery query, RowSink sink) {
      throw new LogSourceException(LogSourceException.Reason.UNAVAILABLE,
          "cannot reach ClickHouse at http://127.0.0.1:1: connection refused");
    }

    @Override
    public SessionPage listSessions(SessionListQuery query) {
      throw new LogSourceException(LogSourceException.Reason.UNAVAILABLE,
          "cannot reach ClickHouse at http://127.0.0.1:1: connection refused");
    }
  }
}
