package dev.execflow.examples.server;

import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.execflow.examples.service.ApiResponse;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import org.eclipse.jetty.http.HttpFields;
import org.eclipse.jetty.http.HttpHeader;
import org.eclipse.jetty.server.Response;
import org.eclipse.jetty.util.Callback;

/**
 * How the server writes complete answers: the service's JSON, its own JSON errors (overloaded,
 * past the deadline, a bug) and plain text, each with the headers every answer carries.
 */
final class Replies {
  private final FlowServer.Options options;

  Replies(FlowServer.Options options) {
    this.options = options;
  }

  /** Sends a complete (non-streaming) answer. */
  void send(Response response, Callback callback, ApiResponse r) {
    if (r.isStreaming()) {
      // only reads stream (and go through an exchange); refuse rather than block Jetty's thread
      send(response, callback, internalError());
      return;
    }
    byte[] body = r.body().getBytes(StandardCharsets.UTF_8);
    response.setStatus(r.status());
    HttpFields.Mutable h = response.getHeaders();
    h.put(HttpHeader.CONTENT_TYPE, r.contentType());
    common(h, r.status());
    h.put(HttpHeader.CONTENT_LENGTH, body.length);
    response.write(true, ByteBuffer.wrap(body), callback);
  }

  /** A plain-text answer (files that are not there, methods the files do not take). */
  void plain(Response response, Callback callback, int status, String text) {
    bytes(response, callback, status, "text/plain; charset=utf-8", text.getBytes(StandardCharsets.UTF_8));
  }

  void bytes(Response response, Callback callback, int status, String contentType, byte[] body) {
    response.setStatus(status);
    HttpFields.Mutable h = response.getHeaders();
    h.put(HttpHeader.CONTENT_TYPE, contentType);
    common(h, status);
    h.put(HttpHeader.CONTENT_LENGTH, body.length);
    response.write(true, ByteBuffer.wrap(body), callback);
  }

  /** What every answer carries: no caching, no sniffing, and when to come back after a 503. */
  void common(HttpFields.Mutable h, int status) {
    h.put(HttpHeader.CACHE_CONTROL, "no-store");
    h.put("X-Content-Type-Options", "nosniff");
    if (status == 503) {
      h.put(HttpHeader.RETRY_AFTER, Long.toString(retryAfterSeconds()));
    }
  }

  ApiResponse overloaded(Lane lane, String what) {
    ObjectNode body = JsonNodeFactory.instance.objectNode();
    body.put("error", "server busy: " + lane.running() + " " + what + " running and " + lane.waiting()
        + " waiting; retry after " + retryAfterSeconds() + " s");
    body.put("status", 503);
    body.put("reason", "overloaded");
    return new ApiResponse(503, body.toString());
  }

  ApiResponse deadlineExceeded() {
    ObjectNode body = JsonNodeFactory.instance.objectNode();
    body.put("error", "the answer took longer than the server's " + options.requestDeadline().toSeconds()
        + " s deadline; the read was cancelled");
    body.put("status", 504);
    body.put("reason", "deadline");
    return new ApiResponse(504, body.toString());
  }

  static ApiResponse internalError() {
    return new ApiResponse(500, "{\"error\":\"internal error\",\"status\":500}");
  }

  private long retryAfterSeconds() {
    return Math.max(1, options.retryAfter().toSeconds());
  }
}
