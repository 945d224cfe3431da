package dev.execflow.source.clickhouse.testing;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.net.HttpURLConnection;
import java.net.ServerSocket;
import java.net.URI;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Base64;
import java.util.Comparator;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;

/**
 * A real ClickHouse server for tests: either Debian's {@code clickhouse-server} started here as a
 * child process (generated config, free ports, a temporary data directory, stopped by {@link
 * #close()}), any server named by {@code FLOW_CLICKHOUSE_URL}, or ClickHouse's current engine
 * (chdb, from npm) behind a minimal HTTP front in a {@code node} child process ({@link
 * #startChdb()}). Talks to it over plain HTTP, independently of the client under test.
 *
 * <pre>{@code
 * try (ClickHouseServer server = ClickHouseServer.startLocal()) {
 *   server.execute("CREATE TABLE " + server.database() + ".t (x UInt8) ENGINE = Memory");
 * }
 * }</pre>
 *
 * <p>Usually obtained through {@link ClickHouseServerExtension}, which shares one server per test
 * JVM.
 */
public final class ClickHouseServer implements AutoCloseable {
  /** A second user on a local server, with a password (for authentication tests). */
  public static final String LOCAL_USER = "execflow";
  public static final String LOCAL_PASSWORD = "execflow-secret";

  /**
   * Users on a local server (no password) whose profiles cut results silently at a limit, as
   * shared servers often do ({@code *_overflow_mode = break}): at most {@value #RESULT_LIMIT}
   * result rows; at most {@value #READ_LIMIT} rows read; and the first limit again with settings
   * that may not be changed ({@code readonly = 1}).
   */
  public static final String RESULT_LIMITED_USER = "execflow_result_limit";
  public static final String READ_LIMITED_USER = "execflow_read_limit";
  public static final String READONLY_LIMITED_USER = "execflow_readonly_limit";
  public static final int RESULT_LIMIT = 1000;
  public static final int READ_LIMIT = 100_000;

  private static final List<String> BINARIES = List.of(
      "/usr/sbin/clickhouse-server", "/usr/bin/clickhouse-server", "/usr/local/bin/clickhouse-server");

  private final String url;
  private final String user;
  private final String password;
  private final String database;
  private volatile Process process;
  private final Path home;
  private final boolean chdb;
  private String version;

  private ClickHouseServer(String url, String user, String password, String database, Process process, Path home) {
    this(url, user, password, database, process, home, false);
  }

  private ClickHouseServer(String url, String user, String password, String database, Process process, Path home,
      boolean chdb) {
    this.url = url;
    this.user = user;
    this.password = password;
    this.database = database;
    this.process = process;
    this.home = home;
    this.chdb = chdb;
  }

  /**
   * The server binary of this machine, or null when ClickHouse is not installed. {@code
   * FLOW_CLICKHOUSE_BINARY} names another one (or, naming nothing executable, simulates none).
   */
  public static Path findBinary() {
    String configured = System.getenv("FLOW_CLICKHOUSE_BINARY");
    if (configured != null && !configured.isBlank()) {
      Path p = Path.of(configured);
      return Files.isExecutable(p) ? p : null;
    }
    for (String candidate : BINARIES) {
      Path p = Path.of(candidate);
      if (Files.isExecutable(p)) {
        return p;
      }
    }
    String path = System.getenv("PATH");
    if (path != null) {
      for (String dir : path.split(java.io.File.pathSeparator)) {
        Path p = Path.of(dir, "clickhouse-server");
        if (Files.isExecutable(p)) {
          return p;
        }
      }
    }
    return null;
  }

  /**
   * The server named by {@code FLOW_CLICKHOUSE_URL} (user {@code FLOW_CLICKHOUSE_USER}, default
   * {@code default}; password {@code FLOW_CLICKHOUSE_PASSWORD}; test database {@code
   * FLOW_CLICKHOUSE_DATABASE}, default {@code execflow_test}, created if missing), or null.
   */
  public static ClickHouseServer fromEnvironment() {
    String url = System.getenv("FLOW_CLICKHOUSE_URL");
    if (url == null || url.isBlank()) {
      return null;
    }
    String user = envOr("FLOW_CLICKHOUSE_USER", "default");
    String password = envOr("FLOW_CLICKHOUSE_PASSWORD", "");
    String database = envOr("FLOW_CLICKHOUSE_DATABASE", "execflow_test");
    ClickHouseServer server = new ClickHouseServer(url.replaceAll("/+$", ""), user, password, database, null, null);
    server.awaitPing(Duration.ofSeconds(10));
    server.execute("CREATE DATABASE IF NOT EXISTS " + quote(database));
    return server;
  }

  private static String envOr(String name, String fallback) {
    String v = System.getenv(name);
    return v == null || v.isEmpty() ? fallback : v;
  }

  /**
   * Starts a private server as a child process: generated config on free loopback ports, data in
   * a new temporary directory, a test database {@code execflow_test}.
   *
   * @throws IllegalStateException when there is no binary or it does not come up (with its log)
   */
  public static ClickHouseServer startLocal() {
    Path binary = findBinary();
    if (binary == null) {
      throw new IllegalStateException("no clickhouse-server binary (install the Debian package clickhouse-server)");
    }
    IllegalStateException last = null;
    for (int attempt = 0; attempt < 3; attempt++) {
      try {
        return startLocal(binary);
      } catch (PortTakenException e) {
        last = e; // another process took a port between choosing and binding: choose again
      }
    }
    throw last;
  }

  private static final class PortTakenException extends IllegalStateException {
    private static final long serialVersionUID = 1L;

    PortTakenException(String message) {
      super(message);
    }
  }

  private static ClickHouseServer startLocal(Path binary) {
    try {
      Path home = Files.createTempDirectory("execflow-clickhouse-");
      int httpPort = freePort();
      int tcpPort = freePort();
      while (tcpPort == httpPort) {
        tcpPort = freePort();
      }
      Path config = home.resolve("config.xml");
      Files.writeString(config, config(home, httpPort, tcpPort));
      Path log = home.resolve("server.log");
      Process process = new ProcessBuilder(binary.toString(), "--config-file=" + config)
          .directory(home.toFile())
          .redirectErrorStream(true)
          .redirectOutput(log.toFile())
          .start();
      ClickHouseServer server = new ClickHouseServer("http://127.0.0.1:" + httpPort, "default", "",
          "execflow_test", process, home);
      // a test JVM stopped early (timeout, Ctrl-C) must not leave a server behind
      Runtime.getRuntime().addShutdownHook(new Thread(process::destroyForcibly, "stop-clickhouse-" + httpPort));
      try {
        server.awaitPing(Duration.ofSeconds(60));
        server.execute("CREATE DATABASE IF NOT EXISTS " + quote(server.database));
        return server;
      } catch (RuntimeException e) {
        String tail = tail(log);
        server.close();
        if (tail.contains("Address already in use")) {
          throw new PortTakenException(tail);
        }
        throw new IllegalStateException("clickhouse-server did not come up (" + e.getMessage() + "); its log:\n" + tail, e);
      }
    } catch (IOException e) {
      throw new UncheckedIOException("cannot start clickhouse-server", e);
    }
  }

  /**
   * Starts ClickHouse's current engine (chdb, from npm, in a {@code node} process) behind a minimal
   * HTTP front ({@code chdb-http-front.js}, which says what of the HTTP interface it implements and
   * what it refuses): a private data directory, a port chosen by the OS, the same users as {@link
   * #startLocal()}, a test database {@code execflow_test}.
   *
   * <pre>{@code
   * try (ClickHouseServer current = ClickHouseServer.startChdb()) {
   *   current.execute("CREATE TABLE " + current.qualified("t") + " (ts DateTime64(6)) ENGINE = Memory");
   * }
   * }</pre>
   *
   * @throws IllegalStateException when node or the chdb package is missing ({@link Chdb#missing()}
   *     says which) or the front does not come up (with its log)
   */
  public static ClickHouseServer startChdb() {
    Chdb installation = Chdb.find();
    if (installation.missing() != null) {
      throw new IllegalStateException(installation.missing());
    }
    try {
      Path home = Files.createTempDirectory("execflow-chdb-");
      Path script = home.resolve("chdb-http-front.js");
      try (InputStream in = ClickHouseServer.class.getResourceAsStream("chdb-http-front.js")) {
        if (in == null) {
          throw new IllegalStateException("chdb-http-front.js is missing from flow-clickhouse-testing's jar");
        }
        Files.copy(in, script);
      }
      Path log = home.resolve("front.log");
      ProcessBuilder builder = new ProcessBuilder(installation.node().toString(), script.toString(), home.toString())
          .directory(home.toFile())
          .redirectErrorStream(true)
          .redirectOutput(log.toFile());
      builder.environment().put("NODE_PATH", installation.nodeModules().toString());
      builder.environment().put("TZ", "UTC");
      builder.environment().put("CHDB_FRONT_USERS", "{\"default\":\"\",\"" + LOCAL_USER + "\":\"" + LOCAL_PASSWORD + "\"}");
      Process process = builder.start();
      Runtime.getRuntime().addShutdownHook(new Thread(process::destroyForcibly, "stop-chdb-front"));
      ClickHouseServer server = null;
      try {
        int port = awaitPortFile(home.resolve("port"), process, Duration.ofSeconds(60));
        server = new ClickHouseServer("http://127.0.0.1:" + port, "default", "", "execflow_test", process, home, true);
        server.awaitPing(Duration.ofSeconds(30));
        server.execute("CREATE DATABASE IF NOT EXISTS " + quote(server.database));
        return server;
      } catch (RuntimeException e) {
        String tail = tail(log);
        if (server != null) {
          server.close();
        } else {
          process.destroyForcibly();
          deleteTree(home);
        }
        throw new IllegalStateException("the chdb HTTP front did not come up (" + e.getMessage() + "); its log:\n" + tail, e);
      }
    } catch (IOException e) {
      throw new UncheckedIOException("cannot start the chdb HTTP front", e);
    }
  }

  /** The port the front writes (atomically, by rename) once it listens. */
  private static int awaitPortFile(Path file, Process process, Duration limit) throws IOException {
    long deadline = System.nanoTime() + limit.toNanos();
    while (System.nanoTime() < deadline) {
      if (Files.exists(file)) {
        return Integer.parseInt(Files.readString(file).trim());
      }
      if (!process.isAlive()) {
        throw new IllegalStateException("node exited with status " + process.exitValue());
      }
      sleep(50);
    }
    throw new IllegalStateException("no port file within " + limit.toSeconds() + " s");
  }

  private static String config(Path home, int httpPort, int tcpPort) {
    String data = home.resolve("data").toString() + "/";
    return "<?xml version=\"1.0\"?>\n"
        + "<yandex>\n"
        + "  <logger><level>warning</level><console>1</console></logger>\n"
        + "  <listen_host>127.0.0.1</listen_host>\n"
        + "  <http_port>" + httpPort + "</http_port>\n"
        + "  <tcp_port>" + tcpPort + "</tcp_port>\n"
        + "  <path>" + data + "</path>\n"
        + "  <tmp_path>" + data + "tmp/</tmp_path>\n"
        + "  <user_files_path>" + data + "user_files/</user_files_path>\n"
        + "  <format_schema_path>" + data + "format_schemas/</format_schema_path>\n"
        + "  <mark_cache_size>67108864</mark_cache_size>\n"
        + "  <uncompressed_cache_size>67108864</uncompressed_cache_size>\n"
        + "  <max_concurrent_queries>50</max_concurrent_queries>\n"
        + "  <keep_alive_timeout>10</keep_alive_timeout>\n"
        + "  <timezone>UTC</timezone>\n"
        + "  <mlock_executable>false</mlock_executable>\n"
        + "  <default_profile>default</default_profile>\n"
        + "  <default_database>default</default_database>\n"
        + "  <users>\n"
        + "    <default><password></password><networks><ip>127.0.0.1</ip><ip>::1</ip></networks>"
        + "<profile>default</profile><quota>default</quota></default>\n"
        + "    <" + LOCAL_USER + "><password>" + LOCAL_PASSWORD + "</password><networks><ip>127.0.0.1</ip>"
        + "<ip>::1</ip></networks><profile>default</profile><quota>default</quota></" + LOCAL_USER + ">\n"
        + limitedUser(RESULT_LIMITED_USER, "result_limit")
        + limitedUser(READ_LIMITED_USER, "read_limit")
        + limitedUser(READONLY_LIMITED_USER, "readonly_limit")
        + "  </users>\n"
        + "  <profiles><default><max_memory_usage>4000000000</max_memory_usage>"
        + "<max_threads>2</max_threads></default>\n"
        + "    <result_limit><max_threads>2</max_threads><max_result_rows>" + RESULT_LIMIT + "</max_result_rows>"
        + "<result_overflow_mode>break</result_overflow_mode></result_limit>\n"
        + "    <read_limit><max_threads>2</max_threads><max_rows_to_read>" + READ_LIMIT + "</max_rows_to_read>"
        + "<read_overflow_mode>break</read_overflow_mode></read_limit>\n"
        + "    <readonly_limit><max_threads>2</max_threads><readonly>1</readonly><max_result_rows>" + RESULT_LIMIT
        + "</max_result_rows><result_overflow_mode>break</result_overflow_mode></readonly_limit>\n"
        + "  </profiles>\n"
        + "  <quotas><default></default></quotas>\n"
        + "</yandex>\n";
  }

  private static String limitedUser(String name, String profile) {
    return "    <" + name + "><password></password><networks><ip>127.0.0.1</ip><ip>::1</ip></networks><profile>"
        + profile + "</profile><quota>default</quota></" + name + ">\n";
  }

  private static int freePort() throws IOException {
    try (ServerSocket socket = new ServerSocket(0, 1, java.net.InetAddress.getLoopbackAddress())) {
      socket.setReuseAddress(true);
      return socket.getLocalPort();
    }
  }

  private static String tail(Path log) {
    try {
      List<String> lines = Files.readAllLines(log);
      return String.join("\n", lines.subList(Math.max(0, lines.size() - 30), lines.size()));
    } catch (IOException e) {
      return "(no log: " + e.getMessage() + ")";
    }
  }

  private void awaitPing(Duration limit) {
    long deadline = System.nanoTime() + limit.toNanos();
    String problem = "no answer";
    while (System.nanoTime() < deadline) {
      if (process != null && !process.isAlive()) {
        throw new IllegalStateException("clickhouse-server exited with status " + process.exitValue());
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
      sleep(100);
    }
    throw new IllegalStateException(url + "/ping did not answer Ok within " + limit.toSeconds() + " s (" + problem + ")");
  }

  private static void sleep(long millis) {
    try {
      Thread.sleep(millis);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException("interrupted", e);
    }
  }

  /** The HTTP endpoint, e.g. {@code http://127.0.0.1:40123}. */
  public String url() {
    return url;
  }

  public String user() {
    return user;
  }

  public String password() {
    return password;
  }

  /** A database that tests may create tables in. */
  public String database() {
    return database;
  }

  /** Whether this server is a child process of this JVM (and so may be killed by a test). */
  public boolean isLocal() {
    return process != null;
  }

  /**
   * Whether this is the chdb engine behind the test HTTP front ({@link #startChdb()}), which has no
   * response compression and does not stream: tests of those stay on a real server.
   */
  public boolean isChdb() {
    return chdb;
  }

  /** The server's {@code version()}. */
  public String version() {
    if (version == null) {
      version = execute("SELECT version()").trim();
    }
    return version;
  }

  /** The major version number, e.g. 18. */
  public int majorVersion() {
    return Integer.parseInt(version().split("\\.")[0]);
  }


  /** {@code database.table}, quoted for SQL. */
  public String qualified(String table) {
    return quote(database) + "." + quote(table);
  }

  static String quote(String identifier) {
    return "`" + identifier.replace("\\", "\\\\").replace("`", "\\`") + "`";
  }

  /**
   * Runs one statement and returns the body (TabSeparated unless the SQL says otherwise).
   *
   * @throws IllegalStateException with the server's message when it answers an error
   */
  public String execute(String sql) {
    try {
      HttpURLConnection c = open("");
      c.setFixedLengthStreamingMode(sql.getBytes(StandardCharsets.UTF_8).length);
      try (OutputStream out = c.getOutputStream()) {
        out.write(sql.getBytes(StandardCharsets.UTF_8));
      }
      return answer(c, sql);
    } catch (IOException e) {
      throw new UncheckedIOException("cannot reach " + url, e);
    }
  }

  /** Runs one query and returns the raw body (e.g. RowBinary), whatever the HTTP status. */
  public byte[] executeBinary(String sql) {
    try {
      HttpURLConnection c = open("");
      c.setFixedLengthStreamingMode(sql.getBytes(StandardCharsets.UTF_8).length);
      try (OutputStream out = c.getOutputStream()) {
        out.write(sql.getBytes(StandardCharsets.UTF_8));
      }
      InputStream in = c.getResponseCode() >= 400 ? c.getErrorStream() : c.getInputStream();
      return in == null ? new byte[0] : in.readAllBytes();
    } catch (IOException e) {
      throw new UncheckedIOException("cannot reach " + url, e);
    }
  }

  /** Writes a request body for {@code query} (e.g. an INSERT ... FORMAT RowBinary). */
  public interface BodyWriter {
    void write(OutputStream out) throws IOException;
  }

  /** Streams a body for {@code query} (sent as the {@code query} URL parameter), chunked. */
  public String stream(String query, BodyWriter body) {
    try {
      HttpURLConnection c = open("?query=" + URLEncoder.encode(query, StandardCharsets.UTF_8));
      c.setChunkedStreamingMode(1 << 16);
      try (OutputStream out = new java.io.BufferedOutputStream(c.getOutputStream(), 1 << 16)) {
        body.write(out);
      }
      return answer(c, query);
    } catch (IOException e) {
      throw new UncheckedIOException("cannot stream to " + url + " (" + query + ")", e);
    }
  }

  private HttpURLConnection open(String suffix) throws IOException {
    HttpURLConnection c = (HttpURLConnection) URI.create(url + "/" + suffix).toURL().openConnection();
    c.setRequestMethod("POST");
    c.setDoOutput(true);
    c.setConnectTimeout(5000);
    c.setReadTimeout(300_000);
    c.setRequestProperty("Authorization", "Basic " + Base64.getEncoder()
        .encodeToString((user + ":" + password).getBytes(StandardCharsets.UTF_8)));
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

  /**
   * Stops a local server's process (SIGTERM) but keeps its data and ports, so that {@link
   * #start()} brings the same server back: an outage, as a restart in production is.
   */
  public void stop() {
    Process p = process;
    if (p == null) {
      throw new IllegalStateException("cannot stop a server this JVM did not start: " + url);
    }
    p.destroy();
    try {
      if (!p.waitFor(15, TimeUnit.SECONDS)) {
        p.destroyForcibly();
        p.waitFor(10, TimeUnit.SECONDS);
      }
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      p.destroyForcibly();
    }
  }

  /** Starts a {@link #stop()}ped local server again, on its ports and data; waits for it to answer. */
  public void start() {
    if (process == null || home == null) {
      throw new IllegalStateException("cannot start a server this JVM did not start: " + url);
    }
    if (process.isAlive()) {
      return;
    }
    Path binary = findBinary();
    try {
      Path config = home.resolve("config.xml");
      Process p = new ProcessBuilder(binary.toString(), "--config-file=" + config)
          .directory(home.toFile())
          .redirectErrorStream(true)
          .redirectOutput(ProcessBuilder.Redirect.appendTo(home.resolve("server.log").toFile()))
          .start();
      Runtime.getRuntime().addShutdownHook(new Thread(p::destroyForcibly, "stop-clickhouse-again"));
      process = p;
    } catch (IOException e) {
      throw new UncheckedIOException("cannot start clickhouse-server again", e);
    }
    // the old process's port may linger briefly; the ping waits it out
    awaitPing(Duration.ofSeconds(60));
  }

  /** Kills the server process at once (SIGKILL), as a crash would. Local servers only. */
  public void kill() {
    if (process == null) {
      throw new IllegalStateException("cannot kill a server this JVM did not start: " + url);
    }
    process.destroyForcibly();
    try {
      process.waitFor(10, TimeUnit.SECONDS);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }

  /** Stops a local server and deletes its data; does nothing for a remote one. */
  @Override
  public void close() {
    if (process == null) {
      return;
    }
    process.destroy();
    try {
      if (!process.waitFor(15, TimeUnit.SECONDS)) {
        process.destroyForcibly();
        process.waitFor(10, TimeUnit.SECONDS);
      }
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      process.destroyForcibly();
    }
    deleteTree(home);
  }

  private static void deleteTree(Path root) {
    try (Stream<Path> paths = Files.walk(root)) {
      paths.sorted(Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
    } catch (IOException e) {
      // a leftover temp directory is not worth failing a build for
    }
  }

  @Override
  public String toString() {
    return (chdb ? "chdb behind the test HTTP front at " : isLocal() ? "local clickhouse-server at " : "ClickHouse at ")
        + url;
  }
}
