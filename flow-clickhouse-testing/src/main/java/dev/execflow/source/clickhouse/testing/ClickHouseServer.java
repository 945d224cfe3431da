package dev.execflow.source.clickhouse.testing;

import java.io.IOException;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.net.ServerSocket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;

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

  /**
   * The cluster a local server defines on itself: two shards, each one of {@link #SHARD_DATABASES}
   * ({@code <default_database>} in {@code remote_servers}), for {@code Distributed} tables.
   */
  public static final String CLUSTER = "execflow_two_shards";
  public static final List<String> SHARD_DATABASES = List.of("execflow_shard_1", "execflow_shard_2");

  private static final List<String> BINARIES = List.of(
      "/usr/sbin/clickhouse-server", "/usr/bin/clickhouse-server", "/usr/local/bin/clickhouse-server");

  private final String url;
  private final String user;
  private final String password;
  private final String database;
  private final HttpSql http;
  /** Null for a server this JVM did not start. */
  private final ServerProcess process;
  private final boolean chdb;
  private final boolean cluster;
  private String version;

  private ClickHouseServer(String url, String user, String password, String database, ServerProcess process,
      boolean chdb, boolean cluster) {
    this.url = url;
    this.user = user;
    this.password = password;
    this.database = database;
    this.http = new HttpSql(url, user, password);
    this.process = process;
    this.chdb = chdb;
    this.cluster = cluster;
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
   * FLOW_CLICKHOUSE_DATABASE}, default {@code execflow_test}, created if missing), or null. Its
   * {@link #CLUSTER} is used when {@code FLOW_CLICKHOUSE_CLUSTER=true} says it defines one.
   */
  public static ClickHouseServer fromEnvironment() {
    String url = System.getenv("FLOW_CLICKHOUSE_URL");
    if (url == null || url.isBlank()) {
      return null;
    }
    String user = envOr("FLOW_CLICKHOUSE_USER", "default");
    String password = envOr("FLOW_CLICKHOUSE_PASSWORD", "");
    String database = envOr("FLOW_CLICKHOUSE_DATABASE", "execflow_test");
    boolean cluster = "true".equalsIgnoreCase(System.getenv("FLOW_CLICKHOUSE_CLUSTER"));
    ClickHouseServer server = new ClickHouseServer(url.replaceAll("/+$", ""), user, password, database, null,
        false, cluster);
    server.http.awaitPing(Duration.ofSeconds(10), () -> true, "");
    server.createDatabases();
    return server;
  }

  private static String envOr(String name, String fallback) {
    String v = System.getenv(name);
    return v == null || v.isEmpty() ? fallback : v;
  }

  private void createDatabases() {
    execute("CREATE DATABASE IF NOT EXISTS " + quote(database));
    if (cluster) {
      for (String shard : SHARD_DATABASES) {
        execute("CREATE DATABASE IF NOT EXISTS " + quote(shard));
      }
    }
  }

  /**
   * Starts a private server as a child process: generated config on free loopback ports, data in
   * a new temporary directory, a test database {@code execflow_test}, the shard databases of
   * {@link #CLUSTER}.
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
      Files.writeString(config, LocalConfig.xml(home, httpPort, tcpPort));
      ServerProcess process = ServerProcess.start(List.of(binary.toString(), "--config-file=" + config), home,
          home.resolve("server.log"), Map.of());
      ClickHouseServer server = new ClickHouseServer("http://127.0.0.1:" + httpPort, "default", "",
          "execflow_test", process, false, true);
      try {
        server.awaitPing(Duration.ofSeconds(60));
        server.createDatabases();
        return server;
      } catch (RuntimeException e) {
        String tail = process.logTail();
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
   * #startLocal()}, a test database {@code execflow_test}. It has no {@link #CLUSTER}.
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
    ChdbFront.Started front = ChdbFront.start();
    ClickHouseServer server = new ClickHouseServer("http://127.0.0.1:" + front.port(), "default", "",
        "execflow_test", front.process(), true, false);
    try {
      server.awaitPing(Duration.ofSeconds(30));
      server.createDatabases();
      return server;
    } catch (RuntimeException e) {
      String tail = front.process().logTail();
      server.close();
      throw new IllegalStateException("the chdb HTTP front did not come up (" + e.getMessage() + "); its log:\n" + tail, e);
    }
  }

  private static int freePort() throws IOException {
    try (ServerSocket socket = new ServerSocket(0, 1, java.net.InetAddress.getLoopbackAddress())) {
      socket.setReuseAddress(true);
      return socket.getLocalPort();
    }
  }

  private void awaitPing(Duration limit) {
    http.awaitPing(limit, () -> process == null || process.isAlive(),
        "clickhouse-server exited with status " + (process == null ? "?" : exitValueOrUnknown()));
  }

  private String exitValueOrUnknown() {
    try {
      return String.valueOf(process.exitValue());
    } catch (IllegalThreadStateException e) {
      return "?";
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

  /** Whether this server defines {@link #CLUSTER} over {@link #SHARD_DATABASES} (local servers do). */
  public boolean hasCluster() {
    return cluster;
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
    return http.execute(sql);
  }

  /** Runs one query and returns the raw body (e.g. RowBinary), whatever the HTTP status. */
  public byte[] executeBinary(String sql) {
    return http.executeBinary(sql);
  }

  /** Writes a request body for {@code query} (e.g. an INSERT ... FORMAT RowBinary). */
  public interface BodyWriter {
    void write(OutputStream out) throws IOException;
  }

  /** Streams a body for {@code query} (sent as the {@code query} URL parameter), chunked. */
  public String stream(String query, BodyWriter body) {
    return http.stream(query, body);
  }

  /** {@link #stream(String, BodyWriter)} with these settings (sent as URL parameters). */
  public String stream(String query, java.util.Map<String, String> settings, BodyWriter body) {
    return http.stream(query, settings, body);
  }

  /**
   * Stops a local server's process (SIGTERM) but keeps its data and ports, so that {@link
   * #start()} brings the same server back: an outage, as a restart in production is.
   */
  public void stop() {
    requireOwn("stop");
    process.stop();
  }

  /** Starts a {@link #stop()}ped local server again, on its ports and data; waits for it to answer. */
  public void start() {
    requireOwn("start");
    process.restart();
    // the old process's port may linger briefly; the ping waits it out
    awaitPing(Duration.ofSeconds(60));
  }

  /** Kills the server process at once (SIGKILL), as a crash would. Local servers only. */
  public void kill() {
    requireOwn("kill");
    process.kill();
  }

  private void requireOwn(String what) {
    if (process == null) {
      throw new IllegalStateException("cannot " + what + " a server this JVM did not start: " + url);
    }
  }

  /** Stops a local server and deletes its data; does nothing for a remote one. */
  @Override
  public void close() {
    if (process != null) {
      process.close();
    }
  }

  @Override
  public String toString() {
    return (chdb ? "chdb behind the test HTTP front at " : isLocal() ? "local clickhouse-server at " : "ClickHouse at ")
        + url;
  }
}
