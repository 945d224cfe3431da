package dev.execflow.examples.service;

/**
 * What an {@link ExecutionFlowService} call answers: an HTTP status and a JSON body. Framework
 * neutral, so that any HTTP layer can send it as it is.
 *
 * <pre>{@code
 * ApiResponse r = service.handle("GET", "/api/sessions", "status=running");
 * response.setStatus(r.status());
 * response.setContentType(ApiResponse.CONTENT_TYPE);
 * response.getWriter().write(r.body());
 * }</pre>
 *
 * @param status the HTTP status code
 * @param body a JSON document; on errors an object {@code {"error": "...", "status": N}}
 */
public record ApiResponse(int status, String body) {
  /** The content type of every body. */
  public static final String CONTENT_TYPE = "application/json; charset=utf-8";

  /** Whether the status is 2xx. */
  public boolean ok() {
    return status >= 200 && status < 300;
  }
}
