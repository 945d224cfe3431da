package dev.execflow.examples.service;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.execflow.json.ExecutionJson;
import dev.execflow.model.ExecutionData;
import dev.execflow.testing.Samples;
import dev.execflow.cascade.CascadeCatalog;
import org.junit.jupiter.api.Test;

/**
 * The service without any HTTP server, as a Spring or Javalin handler would call it: raw path and
 * query in, status and JSON out.
 */
class ExecutionFlowServiceTest {
  private static final ObjectMapper JSON = new ObjectMapper();

  private final ExecutionFlowService service =
      new ExecutionFlowService(Samples.source(), CascadeCatalog.bundledSamples());

  @Test
  void routesTheExecutionFlowOfARawPath() throws Exception {
    ApiResponse r = service.handle("GET", "/api/session/sample-wards/execution-flow", null);

    assertThat(r.status()).isEqualTo(200);
    assertThat(r.ok()).isTrue();
    ExecutionData data = ExecutionJson.read(r.body());
    assertThat(data.sessionId()).isEqualTo("sample-wards");
    assertThat(data.phases().get("reply").details().wards().get("post_0").blocked()).isTrue();
  }

  @Test
  void routesTheSessionsWithTheirQuery() throws Exception {
    ApiResponse r = service.handle("GET", "/api/sessions", "status=running&limit=5");

    JsonNode body = JSON.readTree(r.body());
    assertThat(body.path("sessions")).hasSize(1);
    assertThat(body.path("sessions").get(0).path("session_id").asText()).isEqualTo("sample-running");
  }

  @Test
  void formEncodedQueryValuesAreDecoded() throws Exception {
    ApiResponse r = service.handle("GET", "/api/sessions", "cascade=blog%5Fpost");

    assertThat(JSON.readTree(r.body()).path("sessions").get(0).path("session_id").asText()).isEqualTo("sample-simple");
  }

  @Test
  void theFirstOfARepeatedParameterWins() throws Exception {
    ApiResponse r = service.handle("GET", "/api/sessions", "status=error&status=done");

    assertThat(r.status()).isEqualTo(200);
  }

  @Test
  void headIsAnsweredLikeGet() {
    assertThat(service.handle("HEAD", "/api/sessions", null).status()).isEqualTo(200);
  }

  @Test
  void anOverlongQueryIs400() {
    ApiResponse r = service.handle("GET", "/api/sessions", "cascade=" + "x".repeat(3000));

    assertThat(r.status()).isEqualTo(400);
    assertThat(r.body()).contains("query string too long");
  }

  @Test
  void anOverlongCascadeOrCursorIs400() {
    assertThat(service.sessions("c".repeat(300), null, null, null).status()).isEqualTo(400);
    assertThat(service.sessions(null, null, null, "z".repeat(300)).status()).isEqualTo(400);
  }

  @Test
  void aCursorTheSourceDidNotIssueIs400() {
    ApiResponse r = service.sessions(null, null, "2", "not-a-cursor");

    assertThat(r.status()).isEqualTo(400);
    assertThat(r.body()).contains("invalid cursor");
  }

  @Test
  void pathsOutsideTheApiAreNotRouted() {
    assertThat(service.handle("GET", "/index.html", null).status()).isEqualTo(404);
    assertThat(service.handle("GET", null, null).status()).isEqualTo(404);
  }

  @Test
  void plusInAPathSegmentIsAPlus() {
    // '+' is literal in a path, so the id is "a+b" (unknown), not "a b" (invalid)
    assertThat(service.handle("GET", "/api/session/a+b/execution-flow", null).status()).isEqualTo(404);
  }
}
