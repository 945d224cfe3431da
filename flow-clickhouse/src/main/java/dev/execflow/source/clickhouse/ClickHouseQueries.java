package dev.execflow.source.clickhouse;

import com.clickhouse.client.api.Client;
import com.clickhouse.client.api.query.QueryResponse;
import com.clickhouse.client.api.query.QuerySettings;
import com.clickhouse.data.ClickHouseFormat;
import dev.execflow.source.clickhouse.internal.Errors;
import dev.execflow.spi.LogSourceException;
import dev.execflow.spi.LogSourceException.Reason;
import java.time.Duration;
import java.time.temporal.ChronoUnit;
import java.util.Map;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;

/**
 * Sending queries on the client-v2 client: per-query settings, a bound on waiting for an answer,
 * and the responses in flight, so that {@link #close()} can cancel them (closing a response drops
 * its connection: a reader blocked on the socket fails at once, and the server stops the query
 * when its next write fails).
 */
final class ClickHouseQueries implements AutoCloseable {
  private final Client client;
  private final boolean ownsClient;
  private final String endpoint;
  private final String user;
  private final Duration maxExecutionTime;
  private final String owner;
  private final Set<QueryResponse> active = ConcurrentHashMap.newKeySet();
  private volatile boolean closed;

  ClickHouseQueries(ClickHouseLogSourceBuilder b, String owner) {
    this.endpoint = b.endpoint;
    this.user = b.user;
    this.maxExecutionTime = b.maxExecutionTime;
    this.owner = owner;
    if (b.client != null) {
      this.client = b.client;
      this.ownsClient = false;
    } else {
      this.client = new Client.Builder()
          .addEndpoint(b.endpoint)
          .setUsername(b.user)
          .setPassword(b.password == null ? "" : b.password)
          // decided per query after the connect probe; see Compression
          .compressServerResponse(false)
          .useHttpCompression(false)
          .setConnectTimeout(b.connectTimeout.toMillis(), ChronoUnit.MILLIS)
          .setSocketTimeout(b.socketTimeout.toMillis(), ChronoUnit.MILLIS)
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

  boolean isClosed() {
    return closed;
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
    return settings;
  }

  QueryResponse start(String sql, Map<String, Object> params, boolean compress, String what) {
    return send(sql, params, settings(compress), what);
  }

  QueryResponse send(String sql, Map<String, Object> params, QuerySettings settings, String what) {
    if (closed) {
      throw new LogSourceException(Reason.UNAVAILABLE, owner + " is closed");
    }
    QueryResponse response;
    try {
      response = client.query(sql, params, settings).get(timeoutMillis(), TimeUnit.MILLISECONDS);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new LogSourceException(Reason.INTERRUPTED, "interrupted while " + what, e);
    } catch (TimeoutException e) {
      throw new LogSourceException(Reason.UNAVAILABLE, "ClickHouse at " + endpoint
          + " did not start answering within " + timeoutMillis() + " ms while " + what, e);
    } catch (Exception e) {
      throw Errors.translate(e, endpoint, user, what);
    }
    active.add(response);
    if (closed) {
      finish(response);
      throw new LogSourceException(Reason.INTERRUPTED, "cancelled while " + what + ": the source was closed");
    }
    return response;
  }

  /** A bound on waiting for the first byte, above any server-side limit, for a hung server. */
  private long timeoutMillis() {
    long execution = maxExecutionTime == null ? 0 : maxExecutionTime.toMillis();
    return Math.max(execution * 2, TimeUnit.MINUTES.toMillis(10));
  }

  void finish(QueryResponse response) {
    active.remove(response);
    closeQuietly(response);
  }

  private static void closeQuietly(QueryResponse response) {
    try {
      response.close();
    } catch (Exception ignored) {
      // the connection is dropped either way
    }
  }

  /** Cancels the queries in flight and releases the client if this owns it. */
  @Override
  public void close() {
    closed = true;
    for (QueryResponse response : active) {
      closeQuietly(response);
    }
    if (ownsClient) {
      client.close();
    }
  }
}
