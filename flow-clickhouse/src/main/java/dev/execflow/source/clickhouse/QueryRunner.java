package dev.execflow.source.clickhouse;

import com.clickhouse.client.api.Client;
import com.clickhouse.client.api.query.QueryResponse;
import com.clickhouse.client.api.query.QuerySettings;
import com.clickhouse.data.ClickHouseFormat;
import dev.execflow.source.clickhouse.internal.Errors;
import dev.execflow.source.clickhouse.internal.Sql;
import dev.execflow.spi.LogSourceException;
import dev.execflow.spi.LogSourceException.Reason;
import java.time.Duration;
import java.time.temporal.ChronoUnit;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.Executors;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.atomic.AtomicBoolean;

/**
 * Sends queries and keeps track of the ones in flight, so that they can be cancelled: a read is
 * cancelled by interrupting its thread (as {@code Future.cancel(true)} or a server whose client went
 * away does) or by closing the source; either drops the query's connection and asks the server to
 * stop it ({@code KILL QUERY}). Owns the client when the source built it.
 */
final class QueryRunner implements AutoCloseable {
  private final Client client;
  private final boolean ownsClient;
  private final String endpoint;
  private final String user;
  private final Duration maxExecutionTime;
  /** The source as messages name it. */
  private final String description;

  /** Queries started and not finished, by their response (null until the server answered). */
  private final Set<Flight> flights = ConcurrentHashMap.newKeySet();
  private volatile ScheduledExecutorService watchdog;
  /** Settings sent with every query as {@code throw} (see {@code TableConnection.limitsAsErrors}). */
  private volatile List<String> forcedThrow = List.of();
  private volatile Map<String, String> spill = Map.of();
  private volatile boolean closed;
  private volatile boolean clientClosed;

  /**
   * One query in flight and the thread waiting on it: interrupting that thread cancels the query
   * (see {@link #cancelInterrupted}).
   */
  static final class Flight {
    final Thread thread = Thread.currentThread();
    final String queryId;
    volatile QueryResponse response;
    final AtomicBoolean cancelled = new AtomicBoolean();

    Flight(String queryId) {
      this.queryId = queryId;
    }
  }

  QueryRunner(Settings b) {
    this.endpoint = b.endpoint();
    this.user = b.user();
    this.maxExecutionTime = b.maxExecutionTime();
    this.description = "ClickHouseLogSource[" + b.endpoint() + " " + b.qualified() + "]";
    if (b.client() != null) {
      this.client = b.client();
      this.ownsClient = false;
    } else {
      this.client = new Client.Builder()
          .addEndpoint(b.endpoint())
          .setUsername(b.user())
          .setPassword(b.password() == null ? "" : b.password())
          // decided per query after the connect probe; see Compression
          .compressServerResponse(false)
          .useHttpCompression(false)
          .setConnectTimeout(b.connectTimeout().toMillis(), ChronoUnit.MILLIS)
          .setSocketTimeout(b.socketTimeout().toMillis(), ChronoUnit.MILLIS)
          .build();
      this.ownsClient = true;
    }
  }

  Client client() {
    return client;
  }

  String endpoint() {
    return endpoint;
  }

  String user() {
    return user;
  }

  boolean closed() {
    return closed;
  }

  String description() {
    return description;
  }

  /** The {@code *_overflow_mode} settings to send as {@code throw} with every later query. */
  void forceThrow(List<String> settings) {
    forcedThrow = List.copyOf(settings);
  }

  /** Server settings to send with every later query (see {@code TableConnection#spillToDisk}). */
  void spill(Map<String, String> settings) {
    spill = Map.copyOf(settings);
  }

  QuerySettings settings(boolean compress) {
    QuerySettings settings = new QuerySettings()
        .setFormat(ClickHouseFormat.RowBinary)
        .setQueryId(UUID.randomUUID().toString())
        // per query, so that a host's own client configured otherwise cannot break reads
        .setOption("compress", compress)
        .setOption("client.use_http_compression", false);
    if (maxExecutionTime != null) {
      settings.setMaxExecutionTime((int) Math.max(1, maxExecutionTime.toSeconds()));
    }
    for (String name : forcedThrow) {
      settings.serverSetting(name, "throw");
    }
    spill.forEach(settings::serverSetting);
    return settings;
  }

  /** Starts a RowBinary query; the caller reads the response and then calls {@link #finish}. */
  QueryResponse start(String sql, Map<String, Object> params, boolean compress, String what) {
    return send(sql, params, settings(compress), what);
  }

  QueryResponse send(String sql, Map<String, Object> params, QuerySettings settings, String what) {
    if (closed) {
      throw new LogSourceException(Reason.UNAVAILABLE, description + " is closed");
    }
    Flight flight = new Flight(settings.getQueryId());
    flights.add(flight);
    startWatchdog();
    QueryResponse response;
    CompletableFuture<QueryResponse> answer = null;
    try {
      answer = client.query(sql, params, settings);
      response = answer.get(timeoutMillis(), TimeUnit.MILLISECONDS);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      flights.remove(flight);
      if (answer != null) {
        // the server may answer later: drop that connection too
        answer.whenComplete((late, failure) -> {
          if (late != null) {
            closeQuietly(late);
          }
        });
      }
      if (flight.cancelled.compareAndSet(false, true)) {
        cancel(flight);
      }
      throw new LogSourceException(Reason.INTERRUPTED, "cancelled while " + what
          + ": the reading thread was interrupted", e);
    } catch (TimeoutException e) {
      flights.remove(flight);
      killLater(flight);
      throw new LogSourceException(Reason.UNAVAILABLE, "ClickHouse at " + endpoint
          + " did not start answering within " + timeoutMillis() + " ms while " + what, e);
    } catch (Exception e) {
      flights.remove(flight);
      if (Errors.isTimeout(e)) {
        killLater(flight);
      }
      throw Errors.translate(e, endpoint, user, what);
    }
    flight.response = response;
    if (closed) {
      finish(response);
      throw new LogSourceException(Reason.INTERRUPTED, "cancelled while " + what + ": the source was closed");
    }
    if (flight.cancelled.get()) {
      finish(response);
      throw new LogSourceException(Reason.INTERRUPTED, "cancelled while " + what
          + ": the reading thread was interrupted");
    }
    return response;
  }

  /** The flight of a started query (a fresh one nothing will cancel when it finished meanwhile). */
  Flight flightOf(QueryResponse response) {
    for (Flight f : flights) {
      if (f.response == response) {
        return f;
      }
    }
    Flight done = new Flight(null);
    done.response = response;
    return done;
  }

  void finish(QueryResponse response) {
    flights.removeIf(f -> f.response == response);
    closeQuietly(response);
  }

  /** Throws when the read just ended was cancelled: a closed connection can look like a clean end. */
  void checkCompleted(String what, long delivered, Flight flight) {
    if (closed) {
      throw cancelled(what, delivered);
    }
    if (flight.cancelled.get() || Thread.currentThread().isInterrupted()) {
      throw interrupted(what, delivered, flight);
    }
  }

  /** What a stream that stopped part-way means: cancelled, or broken (the query is killed). */
  LogSourceException broken(Exception e, String what, long delivered, Flight flight) {
    if (closed) {
      return cancelled(what, delivered);
    }
    if (flight.cancelled.get() || Thread.currentThread().isInterrupted()) {
      return interrupted(what, delivered, flight);
    }
    // the server may still be running it (a socket timeout, say): it is of no use to anyone now
    killLater(flight);
    return new LogSourceException(Reason.INTERRUPTED, "ClickHouse at " + endpoint + " stopped sending after "
        + delivered + " rows while " + what + " (" + Errors.rootMessage(e)
        + "); the rows delivered so far are incomplete", e);
  }

  /** The reading thread was interrupted: the query is stopped on the server (KILL QUERY). */
  LogSourceException interrupted(String what, long delivered, Flight flight) {
    if (flight.cancelled.compareAndSet(false, true)) {
      cancel(flight);
    }
    return new LogSourceException(Reason.INTERRUPTED, "cancelled after " + delivered + " rows while "
        + what + ": the reading thread was interrupted");
  }

  LogSourceException cancelled(String what, long delivered) {
    return new LogSourceException(Reason.INTERRUPTED, "cancelled after " + delivered + " rows while "
        + what + ": the source was closed");
  }

  /**
   * A thread blocked on the socket does not notice an interrupt, so a watchdog looks at the threads
   * of the queries in flight a few times a second and cancels those whose thread is interrupted.
   */
  private void startWatchdog() {
    if (watchdog != null) {
      return;
    }
    synchronized (flights) {
      if (watchdog == null && !closed) {
        ScheduledExecutorService w = Executors.newSingleThreadScheduledExecutor(r -> {
          Thread t = new Thread(r, "execflow-clickhouse-cancel");
          t.setDaemon(true);
          return t;
        });
        w.scheduleWithFixedDelay(this::cancelInterrupted, 50, 50, TimeUnit.MILLISECONDS);
        watchdog = w;
      }
    }
  }

  private void cancelInterrupted() {
    for (Flight f : flights) {
      if (f.thread.isInterrupted() && f.cancelled.compareAndSet(false, true)) {
        cancel(f);
      }
    }
  }

  /** {@link #cancel} on the watchdog's thread, so that the caller's error is not delayed. */
  private void killLater(Flight flight) {
    ScheduledExecutorService w = watchdog;
    if (w != null && flight.queryId != null && flight.cancelled.compareAndSet(false, true)) {
      try {
        w.execute(() -> cancel(flight));
      } catch (RejectedExecutionException e) {
        // closed meanwhile
      }
    }
  }

  /**
   * Drops the query's connection (a reader blocked on it fails at once) and asks the server to
   * stop it: a server busy before its first row (sorting, say) notices no closed connection until
   * it writes, so without {@code KILL QUERY} it would go on for as long as the query takes.
   */
  private void cancel(Flight flight) {
    QueryResponse response = flight.response;
    if (response != null) {
      closeQuietly(response);
    }
    if (flight.queryId == null || clientClosed) {
      return;
    }
    QuerySettings settings = settings(false).setFormat(ClickHouseFormat.TabSeparated);
    String kill = "KILL QUERY WHERE query_id = " + Sql.literal(flight.queryId) + " ASYNC FORMAT TabSeparated";
    try (QueryResponse killed = client.query(kill, Map.of(), settings).get(10, TimeUnit.SECONDS)) {
      killed.getInputStream().readAllBytes();
    } catch (Exception e) {
      // best effort: the dropped connection still stops the query at its next write
      if (e instanceof InterruptedException) {
        Thread.currentThread().interrupt();
      }
    }
  }

  /** A bound on waiting for the first byte, above any server-side limit, for a hung server. */
  private long timeoutMillis() {
    long execution = maxExecutionTime == null ? 0 : maxExecutionTime.toMillis();
    return Math.max(execution * 2, TimeUnit.MINUTES.toMillis(10));
  }

  private static void closeQuietly(QueryResponse response) {
    try {
      response.close();
    } catch (Exception ignored) {
      // the connection is dropped either way
    }
  }

  /** Stops queries in progress (their reads throw {@code INTERRUPTED}) and releases the client if owned. */
  @Override
  public void close() {
    closed = true;
    for (Flight flight : flights) {
      // closing the response drops its connection: a reader blocked on the socket fails at once,
      // and the server stops the query when its next write fails
      QueryResponse response = flight.response;
      if (response != null) {
        closeQuietly(response);
      }
    }
    ScheduledExecutorService w = watchdog;
    if (w != null) {
      // let queued KILL QUERYs (of reads that just failed) go out before the client closes
      w.shutdown();
      try {
        w.awaitTermination(2, TimeUnit.SECONDS);
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
      }
      w.shutdownNow();
    }
    clientClosed = true;
    if (ownsClient) {
      client.close();
    }
  }
}
