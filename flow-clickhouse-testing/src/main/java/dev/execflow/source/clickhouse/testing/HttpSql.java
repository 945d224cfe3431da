package dev.execflow.source.clickhouse.testing;

import java.io.BufferedOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.net.HttpURLConnection;
import java.net.URI;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Base64;
import java.util.function.BooleanSupplier;

/**
 * Plain HTTP to a test server, independent of the client under test: statements, raw bodies,
 * streamed inserts, and the {@code /ping} wait.
 */
final class HttpSql {
  private final String url;
  private final String authorization;

  HttpSql(String url, String user, String password) {
    this.url = url;
    this.authorization = "Basic " + Base64.getEncoder()
        .encodeToString((user + ":" + password).getBytes(StandardCharsets.UTF_8));
  }

  String execute(String sql) {
    try {
      HttpURLConnection c = post(sql);
      return answer(c, sql);
    } catch (IOException e) {
      throw new UncheckedIOException("cannot reach " + url, e);
    }
  }

  byte[] executeBinary(String sql) {
    try {
      HttpURLConnection c = post(sql);
      InputStream in = c.getResponseCode() >= 400 ? c.getErrorStream() : c.getInputStream();
      return in == null ? new byte[0] : in.readAllBytes();
    } catch (IOException e) {
      throw new UncheckedIOException("cannot reach " + url, e);
    }
  }

  String stream(String query, ClickHouseServer.BodyWriter body) {
    return stream(query, java.util.Map.of(), body);
  }

  /** {@link #stream(String, ClickHouseServer.BodyWriter)} with settings as URL parameters. */
  String stream(String query, java.util.Map<String, String> settings, ClickHouseServer.BodyWriter body) {
    try {
      StringBuilder url = new StringBuilder("?query=").append(URLEncoder.encode(query, StandardCharsets.UTF_8));
      settings.forEach((k, v) -> url.append('&').append(URLEncoder.encode(k, StandardCharsets.UTF_8)).append('=')
          .append(URLEncoder.encode(v, StandardCharsets.UTF_8)));
      HttpURLConnection c = open(url.toString());
      c.setChunkedStreamingMode(1 << 16);
      try (OutputStream out = new BufferedOutputStream(c.getOutputStream(), 1 << 16)) {
        body.write(out);
      }
      return answer(c, query);
    } catch (IOException e) {
      throw new UncheckedIOException("cannot stream to " + url + " (" + query + ")", e);
    }
  }

  /**
   * Waits until {@code /ping} answers {@code Ok}.
   *
   * @param alive false when the server's process is gone (then waiting is pointless)
   */
  void awaitPing(Duration limit, BooleanSupplier alive, String deadMessage) {
    long deadline = System.nanoTime() + limit.toNanos();
    String problem = "no answer";
    while (System.nanoTime() < deadline) {
      if (!alive.getAsBoolean()) {
        throw new IllegalStateException(deadMessage);
      }
      try {
        HttpURLConnection c = (HttpURLConnection) URI.create(url + "/ping").toURL().openConnection();
        c.setConnectTimeout(1000);
        c.setReadTimeout(2000);
        if (c.getResponseCode() == 200) {
          try (InputStream in = c.getInputStream()) {
            if (new String(in.readAllBytes(), StandardCharsets.UTF_8).startsWith("Ok")) {
              return;
            }
          }
        }
        problem = "HTTP " + c.getResponseCode();
      } catch (IOException e) {
        problem = e.toString();
      }
      ServerProcess.sleep(100);
    }
    throw new IllegalStateException(url + "/ping did not answer Ok within " + limit.toSeconds() + " s (" + problem + ")");
  }

  private HttpURLConnection post(String sql) throws IOException {
    byte[] body = sql.getBytes(StandardCharsets.UTF_8);
    HttpURLConnection c = open("");
    c.setFixedLengthStreamingMode(body.length);
    try (OutputStream out = c.getOutputStream()) {
      out.write(body);
    }
    return c;
  }

  private HttpURLConnection open(String suffix) throws IOException {
    HttpURLConnection c = (HttpURLConnection) URI.create(url + "/" + suffix).toURL().openConnection();
    c.setRequestMethod("POST");
    c.setDoOutput(true);
    c.setConnectTimeout(5000);
    c.setReadTimeout(300_000);
    c.setRequestProperty("Authorization", authorization);
    return c;
  }

  private static String answer(HttpURLConnection c, String sql) throws IOException {
    int status = c.getResponseCode();
    InputStream in = status >= 400 ? c.getErrorStream() : c.getInputStream();
    String body = in == null ? "" : new String(in.readAllBytes(), StandardCharsets.UTF_8);
    if (status >= 400) {
      String shown = sql.length() > 300 ? sql.substring(0, 300) + "..." : sql;
      throw new IllegalStateException("ClickHouse answered HTTP " + status + " to [" + shown + "]: " + body.trim());
    }
    return body;
  }
}
