package dev.execflow.examples.service;

import java.util.Objects;

/**
 * What an {@link ExecutionFlowService} call answers: an HTTP status and a JSON body, or (for
 * event streams) a {@link StreamingBody} the adapter writes incrementally. Framework neutral, so
 * that any HTTP layer can send it as it is.
 *
 * <pre>{@code
 * ApiResponse r = service.handle("GET", "/api/sessions", "status=running");
 * response.setStatus(r.status());
 * response.setContentType(r.contentType());
 * if (r.isStreaming()) {
 *   r.stream().writeTo(response.getOutputStream());
 * } else {
 *   response.getWriter().write(r.body());
 * }
 * }</pre>
 *
 * @param status the HTTP status code
 * @param body a JSON document; on errors an object {@code {"error": "...", "status": N}}; null
 *     when the response is streaming
 * @param contentType the body's content type
 * @param stream the incrementally written body, or null for a plain body
 */
public record ApiResponse(int status, String body, String contentType, StreamingBody stream) {
  /** The content type of every JSON body. */
  public static final String CONTENT_TYPE = "application/json; charset=utf-8";
  /** The content type of server-sent event streams. */
  public static final String EVENT_STREAM = "text/event-stream; charset=utf-8";

  public ApiResponse {
    Objects.requireNonNull(contentType, "contentType");
    if ((body == null) == (stream == null)) {
      throw new IllegalArgumentException("exactly one of body and stream");
    }
  }

  /** A JSON answer. */
  public ApiResponse(int status, String body) {
    this(status, body, CONTENT_TYPE, null);
  }

  /** A streaming answer, e.g. {@code streaming(200, EVENT_STREAM, out -> ...)}. */
  public static ApiResponse streaming(int status, String contentType, StreamingBody stream) {
    return new ApiResponse(status, null, contentType, Objects.requireNonNull(stream, "stream"));
  }

  /** Whether the body is a {@link StreamingBody}. */
  public boolean isStreaming() {
    return stream != null;
  }

  /** Whether the status is 2xx. */
  public boolean ok() {
    return status >= 200 && status < 300;
  }
}
