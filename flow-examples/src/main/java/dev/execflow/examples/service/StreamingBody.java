package dev.execflow.examples.service;

import java.io.IOException;
import java.io.OutputStream;

/**
 * A response body written incrementally, such as a {@code text/event-stream} of server-sent
 * events. The server adapter calls {@link #writeTo} on a thread of its own and passes the
 * response's stream; the body flushes after each event it wants on the wire. The body returns when
 * it is done, or when a write fails because the client went away (the adapter then closes the
 * connection).
 *
 * <pre>{@code
 * return ApiResponse.streaming(200, ApiResponse.EVENT_STREAM, out -> {
 *   out.write("event: heartbeat\ndata: {}\n\n".getBytes(StandardCharsets.UTF_8));
 *   out.flush();
 * });
 * }</pre>
 */
@FunctionalInterface
public interface StreamingBody {
  /** Writes the body to {@code out} until done; an {@link IOException} means the client is gone. */
  void writeTo(OutputStream out) throws IOException;
}
