package dev.execflow.examples.service;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.execflow.spi.LogSourceException;
import java.util.Locale;

/**
 * The service's answers in JSON: the error shape every endpoint shares ({@code {"error": "...",
 * "status": N}}, source failures with a {@code reason}) and the one mapper that writes trees.
 */
final class Responses {
  private static final ObjectMapper MAPPER = new ObjectMapper();

  private Responses() {}

  static ApiResponse json(int status, Object tree) {
    return new ApiResponse(status, write(tree));
  }

  static ApiResponse error(int status, String message) {
    return new ApiResponse(status, write(errorBody(status, message)));
  }

  static ApiResponse internalError() {
    return error(500, "internal error");
  }

  /** A failing source: 503 (501 for what it cannot do), with the source's message and reason. */
  static ApiResponse sourceFailure(LogSourceException e) {
    int status = e.reason() == LogSourceException.Reason.UNSUPPORTED ? 501 : 503;
    String message = e.getMessage() == null ? "the log source failed" : e.getMessage();
    ObjectNode body = errorBody(status, "log source " + describe(e.reason()) + ": " + message);
    body.put("reason", e.reason() == null ? null : e.reason().name().toLowerCase(Locale.ROOT));
    return new ApiResponse(status, write(body));
  }

  private static String describe(LogSourceException.Reason reason) {
    if (reason == null) {
      return "failed";
    }
    return switch (reason) {
      case UNAVAILABLE -> "unavailable";
      case AUTHENTICATION -> "refused the credentials";
      case SCHEMA -> "schema mismatch";
      case BAD_INPUT -> "unreadable";
      case INTERRUPTED -> "interrupted";
      case UNSUPPORTED -> "cannot do this";
    };
  }

  private static ObjectNode errorBody(int status, String message) {
    ObjectNode body = JsonNodeFactory.instance.objectNode();
    body.put("error", message);
    body.put("status", status);
    return body;
  }

  /** A value (a record of the model, say) as a JSON tree. */
  static com.fasterxml.jackson.databind.JsonNode tree(Object value) {
    return MAPPER.valueToTree(value);
  }

  static String write(Object node) {
    try {
      return MAPPER.writeValueAsString(node);
    } catch (JsonProcessingException e) {
      // a tree of strings and numbers always serializes; keep the contract of a JSON body anyway
      return "{\"error\":\"internal error\",\"status\":500}";
    }
  }

  /** A malformed request, answered with 400 and its message. */
  static final class BadRequest extends RuntimeException {
    private static final long serialVersionUID = 1L;

    BadRequest(String message) {
      super(message, null, false, false);
    }
  }
}
