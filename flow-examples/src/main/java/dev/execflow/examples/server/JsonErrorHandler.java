package dev.execflow.examples.server;

import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import org.eclipse.jetty.http.HttpField;
import org.eclipse.jetty.http.HttpFields;
import org.eclipse.jetty.http.HttpHeader;
import org.eclipse.jetty.http.HttpStatus;
import org.eclipse.jetty.server.Request;
import org.eclipse.jetty.server.Response;
import org.eclipse.jetty.server.handler.ErrorHandler;
import org.eclipse.jetty.util.Callback;

/**
 * Jetty's answers to requests that never reach the service (a malformed request line or URL,
 * headers over the size bound: 400, 414, 431, ...) as the service's JSON error body, {@code
 * {"error": "...", "status": N}}, instead of Jetty's HTML page. Jetty's own message is kept when it
 * says what was wrong and names no Java internals.
 */
final class JsonErrorHandler extends ErrorHandler {
  static final String CONTENT_TYPE = "application/json; charset=utf-8";

  @Override
  public boolean handle(Request request, Response response, Callback callback) {
    int status = response.getStatus();
    Object code = request.getAttribute(ERROR_STATUS);
    if (code instanceof Integer c) {
      status = c;
    }
    if (status < 400) {
      status = HttpStatus.INTERNAL_SERVER_ERROR_500;
    }
    Object message = request.getAttribute(ERROR_MESSAGE);
    byte[] body = body(status, message instanceof String m ? m : null);
    response.setStatus(status);
    response.getHeaders().put(HttpHeader.CONTENT_TYPE, CONTENT_TYPE);
    response.getHeaders().put(HttpHeader.CACHE_CONTROL, "no-store");
    response.getHeaders().put(HttpHeader.CONTENT_LENGTH, body.length);
    response.write(true, ByteBuffer.wrap(body), callback);
    return true;
  }

  /** Used by Jetty where it answers a bad message without a request object. */
  @Override
  public ByteBuffer badMessageError(int status, String reason, HttpFields.Mutable fields) {
    fields.put(new HttpField(HttpHeader.CONTENT_TYPE, CONTENT_TYPE));
    fields.put(HttpHeader.CACHE_CONTROL, "no-store");
    return ByteBuffer.wrap(body(status, reason));
  }

  static byte[] body(int status, String detail) {
    String reason = HttpStatus.getMessage(status);
    String text = reason == null ? "error" : reason.toLowerCase(java.util.Locale.ROOT);
    if (detail != null && !detail.isBlank() && safe(detail) && !detail.equalsIgnoreCase(reason)) {
      text = text + ": " + detail.strip();
    }
    ObjectNode node = JsonNodeFactory.instance.objectNode();
    node.put("error", text);
    node.put("status", status);
    return node.toString().getBytes(StandardCharsets.UTF_8);
  }

  /** Whether Jetty's message can be shown to a client (short, one line, no Java names). */
  private static boolean safe(String detail) {
    return detail.length() <= 200 && detail.indexOf('\n') < 0 && !detail.contains("Exception")
        && !detail.contains("org.eclipse") && !detail.contains("java.") && !detail.contains("\tat ");
  }
}
