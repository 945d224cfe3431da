package dev.execflow.examples.server;

import java.io.IOException;
import java.io.InputStream;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.regex.Pattern;
import org.eclipse.jetty.http.HttpHeader;
import org.eclipse.jetty.server.Response;
import org.eclipse.jetty.util.Callback;

/** The viewer's static files, from the classpath folder {@value #VIEWER}, kept once read. */
final class ViewerFiles {
  static final String VIEWER = "dev/execflow/examples/viewer/";
  // plain file names only: no directories, so no way out of the viewer folder
  private static final Pattern FILE_NAME = Pattern.compile("[A-Za-z0-9_-]{1,64}(\\.[A-Za-z0-9]{1,8}){1,2}");
  private static final Map<String, String> TYPES = Map.of(
      "html", "text/html; charset=utf-8",
      "css", "text/css; charset=utf-8",
      "js", "text/javascript; charset=utf-8",
      "svg", "image/svg+xml",
      "png", "image/png",
      "ico", "image/x-icon",
      "txt", "text/plain; charset=utf-8");
  private static final byte[] MISSING = new byte[0];

  private final Replies replies;
  private final Map<String, byte[]> files = new ConcurrentHashMap<>();

  ViewerFiles(Replies replies) {
    this.replies = replies;
  }

  void serve(String method, String path, Response response, Callback callback) {
    if (!"GET".equals(method) && !"HEAD".equals(method)) {
      response.getHeaders().put(HttpHeader.ALLOW, "GET, HEAD");
      replies.plain(response, callback, 405, "only GET is supported\n");
      return;
    }
    String name = path.equals("/") ? "index.html" : path.substring(1);
    byte[] file = FILE_NAME.matcher(name).matches() ? files.computeIfAbsent(name, ViewerFiles::resource) : MISSING;
    if (file == MISSING) {
      replies.plain(response, callback, 404, "not found\n");
      return;
    }
    String ext = name.substring(name.lastIndexOf('.') + 1);
    replies.bytes(response, callback, 200, TYPES.getOrDefault(ext, "application/octet-stream"), file);
  }

  /** The file's bytes (kept: the viewer is a few small files), or {@link #MISSING}. */
  private static byte[] resource(String name) {
    try (InputStream in = ViewerFiles.class.getClassLoader().getResourceAsStream(VIEWER + name)) {
      return in == null ? MISSING : in.readAllBytes();
    } catch (IOException e) {
      return MISSING;
    }
  }
}
