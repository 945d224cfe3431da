package dev.execflow.source.clickhouse;

import com.clickhouse.client.api.Client;
import com.clickhouse.client.api.data_formats.ClickHouseBinaryFormatReader;
import com.clickhouse.client.api.metadata.TableSchema;
import com.clickhouse.client.api.query.QueryResponse;
import com.clickhouse.client.api.query.QuerySettings;
import com.clickhouse.data.ClickHouseColumn;
import com.clickhouse.data.ClickHouseFormat;
import dev.execflow.source.clickhouse.internal.ColumnType;
import dev.execflow.source.clickhouse.internal.Errors;
import dev.execflow.source.clickhouse.internal.Parameters;
import dev.execflow.source.clickhouse.internal.RowBinaryInput;
import dev.execflow.source.clickhouse.internal.RowDecoder;
import dev.execflow.source.clickhouse.internal.SelectPlan;
import dev.execflow.source.clickhouse.internal.ServerVersion;
import dev.execflow.source.clickhouse.internal.Sql;
import dev.execflow.model.Status;
import dev.execflow.assemble.Pricing;
import dev.execflow.assemble.Vocabulary;
import dev.execflow.spi.Column;
import dev.execflow.spi.ColumnMapping;
import dev.execflow.spi.LogSource;
import dev.execflow.spi.LogSourceException;
import dev.execflow.spi.LogSourceException.Reason;
import dev.execflow.spi.RowSink;
import dev.execflow.spi.SessionListQuery;
import dev.execflow.spi.SessionPage;
import dev.execflow.spi.SessionQuery;
import dev.execflow.spi.SessionSummary;
import dev.execflow.spi.WarningKind;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.Base64;
import java.util.LinkedHashMap;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.function.Function;

/**
 * A {@link LogSource} over a ClickHouse {@code unified_logs} table, on the official Java client
 * (client-v2). A session is streamed as {@code FORMAT RowBinary} with a fixed reader schema (every
 * needed column is cast to one wire type in the SELECT, so the same reader serves a Float64 or a
 * DateTime64 timestamp, a String or a UUID id, on 18.16 and on current servers), decoded from the
 * response stream by a reader of exactly those types; rows reach the sink one at a time through
 * one reused row, so memory does not grow with the session.
 *
 * <pre>{@code
 * try (ClickHouseLogSource source = ClickHouseLogSource.builder()
 *     .endpoint("http://localhost:8123")
 *     .credentials("default", System.getenv("CLICKHOUSE_PASSWORD"))
 *     .table("default", "unified_logs")
 *     .mapping(ColumnMapping.WINDLASS)      // or .detectMapping()
 *     .build()) {
 *   ExecutionData data = ExecutionAssembler.assemble(source, SessionQuery.of("sess-42"),
 *       AssemblyOptions.defaults());
 * }
 * }</pre>
 *
 * <p>On first use the source connects: it asks the server's version, reads the table's columns
 * ({@code DESCRIBE TABLE}: a missing table or mapped column is reported by name, and each column's
 * real type decides its cast, e.g. how a timestamp becomes seconds), and runs a probe query with a
 * known answer to verify the response encoding (see {@link Compression}). Failures are {@link
 * LogSourceException}s whose reason says what to do: {@code UNAVAILABLE} (unreachable, timed out),
 * {@code AUTHENTICATION}, {@code SCHEMA}, {@code INTERRUPTED} (the stream broke or the source was
 * closed mid-read: what was delivered is incomplete).
 *
 * <p>Session ids are sent as bound query parameters on servers that take them (from 20.1) and
 * otherwise as escaped literals ({@code Sql.literal}); 18.16 rejects {@code param_*}.
 *
 * <p>Thread-safe: reads may run concurrently; {@link #close()} cancels those in progress. A read
 * is also cancelled by interrupting its thread: within a few tens of milliseconds its connection is
 * dropped and {@code KILL QUERY} stops the query on the server (which, busy sorting, would not
 * notice the closed connection before its first row), and the read throws {@code INTERRUPTED}.
 */
public final class ClickHouseLogSource implements LogSource {
  /**
   * The default bound, in code points, on the content sent for a row that needs it: enough for a
   * 200-character phase name or a 50-character preview even if every character is a JSON escape.
   */
  public static final int DEFAULT_CONTENT_LIMIT = dev.execflow.spi.ContentCut.DEFAULT_CODE_POINTS;

  private final String endpoint;
  private final String user;
  private final String database;
  private final String table;
  private final ColumnMapping configuredMapping;
  private final Compression compression;
  private final Duration maxExecutionTime;
  private final int contentLimit;
  private final boolean contentForEveryRow;
  private final Vocabulary vocabulary;
  private final Client client;
  private final boolean ownsClient;

  /** Queries started and not finished, by their response (null until the server answered). */
  private final Set<Flight> flights = ConcurrentHashMap.newKeySet();
  private volatile ScheduledExecutorService watchdog;
  /** Settings sent with every query as {@code throw} (see {@link #limitsAsErrors}). */
  private volatile List<String> forcedThrow = List.of();
  private volatile boolean closed;
  private volatile boolean clientClosed;

  /**
   * One query in flight and the thread waiting on it: interrupting that thread cancels the query
   * (see {@link #cancelInterrupted}).
   */
  private static final class Flight {
    final Thread thread = Thread.currentThread();
    final String queryId;
    volatile QueryResponse response;
    final AtomicBoolean cancelled = new AtomicBoolean();

    Flight(String queryId) {
      this.queryId = queryId;
    }
  }
  private volatile Connection connection;

  /** What connecting found out. */
  private record Connection(ServerVersion version, SelectPlan plan, Map<String, ColumnType> layout,
      boolean compress, boolean bind) {}

  private ClickHouseLogSource(Builder b) {
    this.endpoint = b.endpoint;
    this.user = b.user;
    this.database = b.database;
    this.table = b.table;
    this.configuredMapping = b.mapping;
    this.compression = b.compression;
    this.maxExecutionTime = b.maxExecutionTime;
    this.contentLimit = b.contentLimit;
    this.contentForEveryRow = b.contentForEveryRow;
    this.vocabulary = b.vocabulary;
    if (b.client != null) {
      this.client = b.client;
      this.ownsClient = false;
    } else {
      Client.Builder cb = new Client.Builder()
          .addEndpoint(b.endpoint)
          .setUsername(b.user)
          .setPassword(b.password == null ? "" : b.password)
          // decided per query after the connect probe; see Compression
          .compressServerResponse(false)
          .useHttpCompression(false)
          .setConnectTimeout(b.connectTimeout.toMillis(), ChronoUnit.MILLIS)
          .setSocketTimeout(b.socketTimeout.toMillis(), ChronoUnit.MILLIS);
      this.client = cb.build();
      this.ownsClient = true;
    }
  }

  /** A builder; {@link Builder#endpoint} (or {@link Builder#client}) is required. */
  public static Builder builder() {
    return new Builder();
  }

  /**
   * The one call a command line needs: a connected source (so that a wrong URL, password, table
   * or schema fails here, with a message naming it).
   *
   * <pre>{@code
   * LogSource source = ClickHouseLogSource.open("http://localhost:8123", "default",
   *     System.getenv("CH_PASSWORD"), "default", "unified_logs", "windlass");
   * }</pre>
   *
   * @param url the HTTP endpoint, e.g. {@code http://localhost:8123}
   * @param user the user name; null means {@code default}
   * @param password the password; null means none
   * @param database the database; null means {@code default}
   * @param table the table; null means {@code unified_logs}
   * @param schema {@code windlass}, {@code rvbbit}, or {@code auto} (or null) to detect it from the
   *     table's columns
   * @throws LogSourceException when the server cannot be used (reason says why), or {@code
   *     BAD_INPUT} for an unknown schema name
   */
  public static ClickHouseLogSource open(String url, String user, String password, String database,
      String table, String schema) {
    Builder b = builder().endpoint(url)
        .credentials(user == null ? "default" : user, password)
        .table(database == null ? "default" : database, table == null ? "unified_logs" : table);
    if (schema == null || schema.equalsIgnoreCase("auto")) {
      b.detectMapping();
    } else {
      b.mapping(ColumnMapping.preset(schema).orElseThrow(() -> new LogSourceException(Reason.BAD_INPUT,
          "unknown schema '" + schema + "': use windlass, rvbbit or auto")));
    }
    ClickHouseLogSource source = b.build();
    try {
      source.connect();
    } catch (RuntimeException e) {
      source.close();
      throw e;
    }
    return source;
  }

  /**
   * Connects now rather than on first use: checks the server, the table and its columns and the
   * response encoding. Idempotent; a failed attempt is retried by the next call.
   *
   * @throws LogSourceException naming what is wrong
   */
  public void connect() {
    connection();
  }

  /** The server's version (connects if needed). */
  public String serverVersion() {
    return connection().version().text();
  }

  /** The column mapping in use: the configured one or the detected one (connects if needed). */
  public ColumnMapping mapping() {
    return connection().plan().mapping();
  }

  /** The type of the table's timestamp column, which decides how it becomes seconds. */
  public String timestampType() {
    Connection c = connection();
    return c.layout().get(c.plan().mapping().name(Column.TIMESTAMP)).text();
  }

  /** Whether reads ask for compressed responses (decided on connect; see {@link Compression}). */
  public boolean compressed() {
    return connection().compress();
  }

  /**
   * The SELECT that {@link #read} sends for {@code query}, without its FORMAT clause and with the
   * session id inlined as a literal: for diagnostics and for comparing with the server's own scan
   * time ({@code ... FORMAT Null}).
   */
  public String selectSql(SessionQuery query) {
    return connection().plan().sessionSelect(new Parameters(false), query.sessionId(),
        query.fromTimestamp(), query.toTimestamp(), query.contentLimit());
  }

  /**
   * The SELECT that {@link #readSessions} sends for {@code queries} (at most {@value
   * #SESSIONS_PER_QUERY}), without its FORMAT clause, ids inlined as literals: for diagnostics.
   */
  public String sessionsSelectSql(List<SessionQuery> queries) {
    double[] froms = queries.stream().mapToDouble(SessionQuery::fromTimestamp).toArray();
    double[] tos = queries.stream().mapToDouble(SessionQuery::toTimestamp).toArray();
    return connection().plan().sessionsSelect(new Parameters(false),
        queries.stream().map(SessionQuery::sessionId).toList(), froms, tos);
  }

  @Override
  public long read(SessionQuery query, RowSink sink) {
    long[] seen = {0};
    RowSink counting = new RowSink() {
      @Override public void accept(dev.execflow.spi.LogRow row) {
        seen[0]++;
        sink.accept(row);
      }

      @Override public void warning(String kind, String detail) {
        sink.warning(kind, detail);
      }
    };
    try {
      return readOnce(query, counting);
    } catch (LogSourceException e) {
      if (e.reason() != Reason.SCHEMA || seen[0] > 0) {
        throw e;
      }
      // the table may have changed since connecting (a column added, renamed, dropped): look again once
      forgetLayout();
      return readOnce(query, counting);
    }
  }

  /** Makes the next use connect again: DESCRIBE TABLE and the mapping are redone. */
  private synchronized void forgetLayout() {
    connection = null;
  }

  private long readOnce(SessionQuery query, RowSink sink) {
    Objects.requireNonNull(sink, "sink");
    Connection c = connection();
    String what = "reading session " + describeId(query.sessionId()) + " from " + database + "." + table;
    Parameters params = new Parameters(c.bind());
    String sql;
    try {
      // a query that wants every row's content gets it, cut at its own bound
      sql = c.plan().sessionSelect(params, query.sessionId(), query.fromTimestamp(), query.toTimestamp(),
          query.contentLimit()) + "\nFORMAT RowBinary";
    } catch (IllegalArgumentException e) {
      throw new LogSourceException(Reason.BAD_INPUT, "cannot query session "
          + describeId(query.sessionId()) + ": " + e.getMessage(), e);
    }
    QueryResponse response = start(sql, params.values(), c.compress(), what);
    Flight flight = flightOf(response);
    long delivered = 0;
    try {
      RowBinaryInput in = new RowBinaryInput(response.getInputStream(), RowDecoder.cacheSlots());
      RowDecoder decoder = new RowDecoder(query.sessionId(),
          query.wantsContent() ? query.contentLimit() : contentLimit);
      long seen = 0;
      while (true) {
        String problem;
        try {
          if (in.atEnd()) {
            break;
          }
          problem = decoder.decode(in);
        } catch (IOException | RuntimeException e) {
          throw broken(e, what, delivered, flight);
        }
        seen++;
        if ((seen & 0x3FF) == 0 && Thread.currentThread().isInterrupted()) {
          throw interrupted(what, delivered, flight);
        }
        if (problem != null) {
          sink.warning(WarningKind.BAD_VALUE, describeId(query.sessionId()) + " row " + seen + ": " + problem);
          continue;
        }
        if (!query.covers(decoder.row().timestamp())) {
          continue;
        }
        delivered++;
        sink.accept(decoder.row());
      }
      if (closed) {
        // a closed connection can look like a clean end: never pass that off as complete
        throw cancelled(what, delivered);
      }
      if (flight.cancelled.get() || Thread.currentThread().isInterrupted()) {
        throw interrupted(what, delivered, flight);
      }
      return delivered;
    } finally {
      finish(response);
    }
  }

  /**
   * Most sessions one query of {@link #readSessions} names: the query holds a range per session,
   * and the server's query size limit (256 KiB by default) bounds it.
   */
  public static final int SESSIONS_PER_QUERY = 200;

  /**
   * One query (per {@value #SESSIONS_PER_QUERY} sessions) for the rows of several sessions, each
   * in its own time range: {@code session_id IN (...)} and per session its range, so a table
   * ordered by {@code (session_id, timestamp)} is read only where asked: the poll of every
   * session a service follows. Rows reach the sink of their session, each session's in timestamp
   * order; a row the decoder cannot read is reported to its session's sink.
   */
  @Override
  public long readSessions(List<SessionQuery> queries, Function<String, RowSink> sinks) {
    Objects.requireNonNull(sinks, "sinks");
    long delivered = 0;
    for (int at = 0; at < queries.size(); at += SESSIONS_PER_QUERY) {
      delivered += readSessionsOnce(queries.subList(at, Math.min(queries.size(), at + SESSIONS_PER_QUERY)), sinks);
    }
    return delivered;
  }

  private long readSessionsOnce(List<SessionQuery> queries, Function<String, RowSink> sinks) {
    if (queries.isEmpty()) {
      return 0;
    }
    Connection c = connection();
    String what = "reading " + queries.size() + " sessions from " + database + "." + table;
    Parameters params = new Parameters(c.bind());
    List<String> ids = new ArrayList<>(queries.size());
    double[] froms = new double[queries.size()];
    double[] tos = new double[queries.size()];
    Map<String, SessionQuery> byId = new HashMap<>();
    for (int i = 0; i < queries.size(); i++) {
      SessionQuery q = queries.get(i);
      if (byId.put(q.sessionId(), q) != null) {
        throw new IllegalArgumentException("two queries of session " + describeId(q.sessionId()));
      }
      ids.add(q.sessionId());
      froms[i] = q.fromTimestamp();
      tos[i] = q.toTimestamp();
    }
    String sql;
    try {
      sql = c.plan().sessionsSelect(params, ids, froms, tos) + "\nFORMAT RowBinary";
    } catch (IllegalArgumentException e) {
      throw new LogSourceException(Reason.BAD_INPUT, "cannot query " + queries.size() + " sessions: "
          + e.getMessage(), e);
    }
    QueryResponse response = start(sql, params.values(), c.compress(), what);
    Flight flight = flightOf(response);
    long delivered = 0;
    try {
      RowBinaryInput in = new RowBinaryInput(response.getInputStream(), RowDecoder.cacheSlots());
      RowDecoder decoder = new RowDecoder(null, contentLimit);
      String current = null;
      RowSink sink = null;
      SessionQuery query = null;
      long seen = 0;
      while (true) {
        String problem;
        try {
          if (in.atEnd()) {
            break;
          }
          problem = decoder.decode(in);
        } catch (IOException | RuntimeException e) {
          throw broken(e, what, delivered, flight);
        }
        seen++;
        String id = decoder.row().sessionId();
        if (!id.equals(current)) {
          current = id;
          query = byId.get(id);
          sink = query == null ? null : sinks.apply(id);
        }
        if (sink == null) {
          continue; // a session the server matched by another spelling: not asked for
        }
        if (problem != null) {
          sink.warning(WarningKind.BAD_VALUE, describeId(id) + " row " + seen + ": " + problem);
          continue;
        }
        if (!query.covers(decoder.row().timestamp())) {
          continue;
        }
        delivered++;
        sink.accept(decoder.row());
      }
      if (closed) {
        throw cancelled(what, delivered);
      }
      if (flight.cancelled.get() || Thread.currentThread().isInterrupted()) {
        throw interrupted(what, delivered, flight);
      }
      return delivered;
    } finally {
      finish(response);
    }
  }

  private LogSourceException broken(Exception e, String what, long delivered, Flight flight) {
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
  private LogSourceException interrupted(String what, long delivered, Flight flight) {
    if (flight.cancelled.compareAndSet(false, true)) {
      cancel(flight);
    }
    return new LogSourceException(Reason.INTERRUPTED, "cancelled after " + delivered + " rows while "
        + what + ": the reading thread was interrupted");
  }

  private LogSourceException cancelled(String what, long delivered) {
    return new LogSourceException(Reason.INTERRUPTED, "cancelled after " + delivered + " rows while "
        + what + ": the source was closed");
  }

  @Override
  public SessionPage listSessions(SessionListQuery query) {
    try {
      return listOnce(query);
    } catch (LogSourceException e) {
      if (e.reason() != Reason.SCHEMA) {
        throw e;
      }
      forgetLayout(); // as in read: the table may have changed since connecting
      return listOnce(query);
    }
  }

  private SessionPage listOnce(SessionListQuery query) {
    Connection c = connection();
    double afterFirst = Double.NaN;
    String afterSession = null;
    if (query.after() != null) {
      String[] key = decodeCursor(query.after());
      afterFirst = Double.longBitsToDouble(Long.parseUnsignedLong(key[0], 16));
      afterSession = key[1];
    }
    if (query.status() == Status.PENDING) {
      // a session with rows has started: none is pending
      return new SessionPage(List.of(), null);
    }
    String status = query.status() == null ? null : query.status().name().toLowerCase(Locale.ROOT);
    Parameters params = new Parameters(c.bind());
    String sql;
    try {
      sql = c.plan().listSelect(params, query.cascadeId(), status, afterFirst, afterSession, query.limit())
          + "\nFORMAT RowBinary";
    } catch (IllegalArgumentException e) {
      throw new LogSourceException(Reason.BAD_INPUT, "cannot list sessions: " + e.getMessage(), e);
    }
    String what = "listing sessions of " + database + "." + table;
    QueryResponse response = start(sql, params.values(), c.compress(), what);
    Flight flight = flightOf(response);
    List<SessionSummary> sessions = new ArrayList<>();
    boolean more = false;
    try {
      ClickHouseBinaryFormatReader reader = client.newBinaryFormatReader(response, SelectPlan.LIST);
      try {
        while (reader.hasNext()) {
          reader.next();
          if (sessions.size() == query.limit()) {
            more = true;
            break;
          }
          sessions.add(new SessionSummary(reader.readValue(1), reader.readValue(2),
              reader.getDouble(3), reader.getDouble(4),
              Status.valueOf(reader.getString(5).toUpperCase(Locale.ROOT)),
              Pricing.dollars(reader.getLong(6)), reader.getLong(7)));
        }
      } catch (RuntimeException e) {
        throw broken(e, what, sessions.size(), flight);
      }
      if (closed) {
        throw cancelled(what, sessions.size());
      }
      if (flight.cancelled.get() || Thread.currentThread().isInterrupted()) {
        throw interrupted(what, sessions.size(), flight);
      }
    } finally {
      finish(response);
    }
    String next = null;
    if (more) {
      SessionSummary last = sessions.get(sessions.size() - 1);
      next = encodeCursor(last.firstTimestamp(), last.sessionId());
    }
    return new SessionPage(sessions, next);
  }

  private static String encodeCursor(double first, String sessionId) {
    String plain = "ch1\n" + Long.toHexString(Double.doubleToRawLongBits(first)) + "\n" + sessionId;
    return Base64.getUrlEncoder().withoutPadding().encodeToString(plain.getBytes(StandardCharsets.UTF_8));
  }

  private static String[] decodeCursor(String cursor) {
    try {
      String plain = new String(Base64.getUrlDecoder().decode(cursor), StandardCharsets.UTF_8);
      String[] parts = plain.split("\n", 3);
      if (parts.length == 3 && parts[0].equals("ch1")) {
        Long.parseUnsignedLong(parts[1], 16);
        return new String[] {parts[1], parts[2]};
      }
    } catch (IllegalArgumentException e) {
      // reported below
    }
    throw new LogSourceException(Reason.BAD_INPUT, "not a session list cursor of this source: " + cursor);
  }

  /** Stops reads in progress (they throw {@code INTERRUPTED}) and releases the client if owned. */
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

  @Override
  public String toString() {
    return "ClickHouseLogSource[" + endpoint + " " + database + "." + table + "]";
  }

  // ---- connecting -------------------------------------------------------------------------

  private Connection connection() {
    Connection c = connection;
    if (c != null && !closed) {
      return c;
    }
    synchronized (this) {
      if (closed) {
        throw new LogSourceException(Reason.UNAVAILABLE, this + " is closed");
      }
      if (connection == null) {
        connection = establish();
      }
      return connection;
    }
  }

  private Connection establish() {
    ServerVersion version = ServerVersion.parse(queryVersion());
    forcedThrow = limitsAsErrors();
    Map<String, ColumnType> layout = describe();
    ColumnMapping mapping = configuredMapping == null ? detect(layout)
        : isPreset(configuredMapping) ? configuredMapping.presentIn(layout.keySet()) : configuredMapping;
    SelectPlan plan = SelectPlan.of(database, table, mapping, layout, contentLimit, contentForEveryRow, vocabulary);
    boolean compress = chooseCompression(version);
    return new Connection(version, plan, layout, compress, version.supportsQueryParameters());
  }

  /**
   * The preset whose names the table uses ({@code cell_name} means RVBBIT), with every column the
   * table lacks mapped to null (read as null) except the two no read can do without.
   */
  static ColumnMapping detect(Map<String, ColumnType> layout) {
    return ColumnMapping.detect(layout.keySet());
  }

  /** A named preset may meet an older table without its optional columns; a custom mapping is exact. */
  private static boolean isPreset(ColumnMapping mapping) {
    return mapping == ColumnMapping.WINDLASS || mapping == ColumnMapping.RVBBIT;
  }

  private String queryVersion() {
    String what = "connecting";
    QueryResponse response = start("SELECT version() FORMAT RowBinary", Map.of(), false, what);
    try {
      ClickHouseBinaryFormatReader reader = client.newBinaryFormatReader(response,
          new TableSchema(List.of(ClickHouseColumn.of("v", "String"))));
      if (!reader.hasNext()) {
        throw new LogSourceException(Reason.UNAVAILABLE, "ClickHouse at " + endpoint
            + " answered SELECT version() with nothing; is this a ClickHouse HTTP endpoint?");
      }
      reader.next();
      return reader.getString(1);
    } catch (LogSourceException e) {
      throw e;
    } catch (RuntimeException e) {
      throw Errors.translate(e, endpoint, user, what);
    } finally {
      finish(response);
    }
  }

  /**
   * The user's profile may say what happens at a limit ({@code max_result_rows}, {@code
   * max_rows_to_read}, {@code max_execution_time}, ...): {@code break} stops the query and returns
   * what it has, as if that were everything, which is common on shared servers and would make a
   * session look shorter, cheaper and still running. So every {@code *_overflow_mode} setting the
   * server has that is not {@code throw} is sent as {@code throw} with every query, and a limit is
   * an error that names it. A user who may not change settings ({@code readonly=1}) with such a
   * profile cannot be read from honestly: connecting fails and says so.
   *
   * @return the settings to force, read from {@code system.settings} (names differ by version)
   */
  private List<String> limitsAsErrors() {
    String what = "reading the user's settings";
    QuerySettings settings = settings(false).setFormat(ClickHouseFormat.TabSeparated);
    QueryResponse response = send("SELECT name, value FROM system.settings WHERE name LIKE '%overflow_mode'"
        + " OR name = 'readonly' FORMAT TabSeparated", Map.of(), settings, what);
    List<String> force = new ArrayList<>();
    List<String> shown = new ArrayList<>();
    String readonly = "0";
    try (BufferedReader lines = new BufferedReader(
        new InputStreamReader(response.getInputStream(), StandardCharsets.UTF_8))) {
      String line;
      while ((line = lines.readLine()) != null) {
        String[] fields = line.split("\t", -1);
        if (fields.length < 2) {
          continue;
        }
        if (fields[0].equals("readonly")) {
          readonly = fields[1];
        } else if (!fields[1].equals("throw")) {
          force.add(fields[0]);
          shown.add(fields[0] + "=" + fields[1]);
        }
      }
    } catch (IOException | RuntimeException e) {
      throw Errors.translate(e, endpoint, user, what);
    } finally {
      finish(response);
    }
    if (!force.isEmpty() && readonly.equals("1")) {
      throw new LogSourceException(Reason.UNSUPPORTED, "ClickHouse at " + endpoint + ": the profile of user '"
          + user + "' sets " + String.join(", ", shown) + " and forbids changing settings (readonly=1), so a"
          + " server-side limit would cut a session silently; use a user whose profile sets these to throw"
          + " or allows changing them (readonly=2)");
    }
    return List.copyOf(force);
  }

  private Map<String, ColumnType> describe() {
    String what = "describing table " + database + "." + table;
    QuerySettings settings = settings(false).setFormat(ClickHouseFormat.TabSeparated);
    QueryResponse response = send("DESCRIBE TABLE " + Sql.table(database, table) + " FORMAT TabSeparated",
        Map.of(), settings, what);
    Map<String, ColumnType> layout = new LinkedHashMap<>();
    try (BufferedReader lines = new BufferedReader(
        new InputStreamReader(response.getInputStream(), StandardCharsets.UTF_8))) {
      String line;
      while ((line = lines.readLine()) != null) {
        String[] fields = line.split("\t", -1);
        if (fields.length >= 2) {
          layout.put(unescapeTsv(fields[0]), ColumnType.parse(unescapeTsv(fields[1])));
        }
      }
    } catch (IOException | RuntimeException e) {
      throw Errors.translate(e, endpoint, user, what);
    } finally {
      finish(response);
    }
    if (layout.isEmpty()) {
      throw new LogSourceException(Reason.SCHEMA, "table " + database + "." + table + " on " + endpoint
          + " has no columns");
    }
    return layout;
  }

  private static String unescapeTsv(String field) {
    if (field.indexOf('\\') < 0) {
      return field;
    }
    StringBuilder out = new StringBuilder(field.length());
    for (int i = 0; i < field.length(); i++) {
      char ch = field.charAt(i);
      if (ch == '\\' && i + 1 < field.length()) {
        char next = field.charAt(++i);
        switch (next) {
          case 't': out.append('\t'); break;
          case 'n': out.append('\n'); break;
          case 'r': out.append('\r'); break;
          case '0': out.append('\0'); break;
          case 'b': out.append('\b'); break;
          case 'f': out.append('\f'); break;
          default: out.append(next);
        }
      } else {
        out.append(ch);
      }
    }
    return out.toString();
  }

  /**
   * Verifies the response encoding with a probe whose answer is known: compressed where allowed
   * and correct, else uncompressed, which must be correct (it is not when a host's own client was
   * built with HTTP compression that the server mishandles).
   */
  private boolean chooseCompression(ServerVersion version) {
    if (compression == Compression.ON || (compression == Compression.AUTO && version.mayCompress())) {
      String answer = probe(true);
      if (answer == null) {
        return true;
      }
      if (compression == Compression.ON) {
        throw new LogSourceException(Reason.UNSUPPORTED, "ClickHouse " + version + " at " + endpoint
            + " answers compressed responses wrongly (" + answer + "); use Compression.OFF or AUTO");
      }
    }
    String answer = probe(false);
    if (answer != null) {
      throw new LogSourceException(Reason.UNSUPPORTED, "ClickHouse " + version + " at " + endpoint
          + " returns wrong values to this client (" + answer + "); if you passed your own Client,"
          + " build it with useHttpCompression(false)");
    }
    return false;
  }

  private static final int PROBE_ROWS = 1000;

  /** Null when the probe's answer is exactly right, else what was wrong. */
  private String probe(boolean compress) {
    String what = "probing the response encoding";
    String sql = "SELECT toString(number) AS s, toFloat64(number) / 4 AS f, "
        + "if(number % 3 = 0, NULL, concat('v', toString(number))) AS n "
        + "FROM system.numbers LIMIT " + PROBE_ROWS + " FORMAT RowBinary";
    QueryResponse response;
    try {
      response = start(sql, Map.of(), compress, what);
    } catch (LogSourceException e) {
      if (compress && e.reason() == Reason.UNAVAILABLE) {
        return Errors.rootMessage(e);
      }
      throw e;
    }
    try {
      // read exactly as a session is read, so that the probe verifies that path
      RowBinaryInput in = new RowBinaryInput(response.getInputStream(), 1);
      int i = 0;
      while (!in.atEnd()) {
        String s = in.string(-1);
        double f = in.float64();
        String n = in.nullableString(0);
        String expectN = i % 3 == 0 ? null : "v" + i;
        if (!String.valueOf(i).equals(s) || f != i / 4.0 || !Objects.equals(expectN, n)) {
          return "row " + i + " came back as [" + s + ", " + f + ", " + n + "]";
        }
        i++;
      }
      return i == PROBE_ROWS ? null : "got " + i + " of " + PROBE_ROWS + " rows, without an error";
    } catch (IOException | RuntimeException e) {
      return Errors.rootMessage(e);
    } finally {
      finish(response);
    }
  }

  // ---- queries ----------------------------------------------------------------------------

  private QuerySettings settings(boolean compress) {
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
    return settings;
  }

  private QueryResponse start(String sql, Map<String, Object> params, boolean compress, String what) {
    return send(sql, params, settings(compress), what);
  }

  private QueryResponse send(String sql, Map<String, Object> params, QuerySettings settings, String what) {
    if (closed) {
      throw new LogSourceException(Reason.UNAVAILABLE, this + " is closed");
    }
    Flight flight = new Flight(settings.getQueryId());
    flights.add(flight);
    startWatchdog();
    QueryResponse response;
    java.util.concurrent.CompletableFuture<QueryResponse> answer = null;
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

  private Flight flightOf(QueryResponse response) {
    for (Flight f : flights) {
      if (f.response == response) {
        return f;
      }
    }
    // finished already (closed meanwhile): a flight of its own that nothing will cancel
    Flight done = new Flight(null);
    done.response = response;
    return done;
  }

  /**
   * A read is cancelled by interrupting its thread (as {@code Future.cancel(true)} or a server
   * whose client went away does). A thread blocked on the socket does not notice an interrupt, so
   * a watchdog looks at the threads of the queries in flight a few times a second and cancels
   * those whose thread is interrupted.
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
      } catch (java.util.concurrent.RejectedExecutionException e) {
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

  private void finish(QueryResponse response) {
    flights.removeIf(f -> f.response == response);
    closeQuietly(response);
  }

  private static void closeQuietly(QueryResponse response) {
    try {
      response.close();
    } catch (Exception ignored) {
      // the connection is dropped either way
    }
  }

  /**
   * {@code url} when it is a usable endpoint: {@code http} or {@code https}, a host, no
   * credentials, no query string or fragment.
   *
   * @throws LogSourceException ({@code BAD_INPUT}) saying what is wrong; a URL that may hold a
   *     password is not repeated
   */
  public static String checkEndpoint(String url) {
    if (url == null || url.isBlank()) {
      throw new LogSourceException(Reason.BAD_INPUT, "no ClickHouse URL given (e.g. http://localhost:8123)");
    }
    String trimmed = url.strip();
    boolean secret = trimmed.contains("@") || trimmed.toLowerCase(Locale.ROOT).contains("password");
    String shown = secret ? "(not repeated: it may hold a password)" : "'" + trimmed + "'";
    java.net.URI uri;
    try {
      uri = new java.net.URI(trimmed);
    } catch (java.net.URISyntaxException e) {
      throw new LogSourceException(Reason.BAD_INPUT, "the ClickHouse URL " + shown
          + " is not a URL; expected http://host:8123 or https://host:8443");
    }
    if (uri.getRawUserInfo() != null || (uri.getRawQuery() != null
        && uri.getRawQuery().toLowerCase(Locale.ROOT).matches("(^|.*&)(user|password)=.*"))) {
      throw new LogSourceException(Reason.BAD_INPUT, "credentials in the ClickHouse URL are refused, so that they"
          + " never show in a process list or a log: give the user with --user and the password in an"
          + " environment variable named by --password-env (library: Builder.credentials)");
    }
    String scheme = uri.getScheme() == null ? "" : uri.getScheme().toLowerCase(Locale.ROOT);
    if (!scheme.equals("http") && !scheme.equals("https")) {
      throw new LogSourceException(Reason.BAD_INPUT, "the ClickHouse URL " + shown + " is not an http:// or"
          + " https:// URL: execflow uses ClickHouse's HTTP interface, e.g. http://localhost:8123"
          + " (port 8123, not the native protocol's 9000)");
    }
    if (uri.getHost() == null || uri.getHost().isEmpty()) {
      throw new LogSourceException(Reason.BAD_INPUT, "the ClickHouse URL " + shown + " has no host");
    }
    if (uri.getRawQuery() != null || uri.getRawFragment() != null) {
      throw new LogSourceException(Reason.BAD_INPUT, "the ClickHouse URL " + shown + " has a query string or"
          + " fragment; give only http(s)://host:port (settings and credentials have options of their own)");
    }
    return trimmed;
  }

  private static String describeId(String id) {
    String shown = id.length() > 80 ? id.substring(0, 80) + "...(" + id.length() + " chars)" : id;
    StringBuilder out = new StringBuilder("\"");
    shown.codePoints().forEach(cp -> {
      if (cp < 0x20 || cp == 0x7F) {
        out.append(String.format("\\x%02X", cp));
      } else {
        out.appendCodePoint(cp);
      }
    });
    return out.append('"').toString();
  }

  /** Settings for {@link ClickHouseLogSource}. */
  public static final class Builder {
    private String endpoint;
    private String user = "default";
    private String password = "";
    private String database = "default";
    private String table = "unified_logs";
    private ColumnMapping mapping = ColumnMapping.WINDLASS;
    private Compression compression = Compression.AUTO;
    private Duration connectTimeout = Duration.ofSeconds(10);
    private Duration socketTimeout = Duration.ofSeconds(60);
    private Duration maxExecutionTime;
    private int contentLimit = DEFAULT_CONTENT_LIMIT;
    private boolean contentForEveryRow;
    private Vocabulary vocabulary = Vocabulary.defaults();
    private Client client;

    private Builder() {}

    /**
     * The HTTP endpoint, e.g. {@code http://localhost:8123}.
     *
     * @throws LogSourceException ({@code BAD_INPUT}) for what is not an {@code http(s)://host[:port]}
     *     URL, and for one that carries credentials (a user and password in it, or {@code user=} /
     *     {@code password=} parameters): those are refused, and never repeated in the message, so
     *     that they end up in no log; give them to {@link #credentials}
     */
    public Builder endpoint(String url) {
      this.endpoint = checkEndpoint(url);
      return this;
    }

    public Builder credentials(String user, String password) {
      this.user = Objects.requireNonNull(user, "user");
      this.password = password == null ? "" : password;
      return this;
    }

    /**
     * Database and table; default {@code default.unified_logs}.
     *
     * @throws LogSourceException ({@code BAD_INPUT}) for an empty name
     */
    public Builder table(String database, String table) {
      this.database = nonEmpty(database, "database");
      this.table = nonEmpty(table, "table");
      return this;
    }

    private static String nonEmpty(String name, String what) {
      if (name == null || name.isEmpty()) {
        throw new LogSourceException(Reason.BAD_INPUT, "the ClickHouse " + what + " name is empty");
      }
      if (name.indexOf('\0') >= 0) {
        throw new LogSourceException(Reason.BAD_INPUT, "the ClickHouse " + what + " name contains a NUL character");
      }
      return name;
    }

    /** The column names to read (default {@link ColumnMapping#WINDLASS}). */
    public Builder mapping(ColumnMapping mapping) {
      this.mapping = Objects.requireNonNull(mapping, "mapping");
      return this;
    }

    /**
     * Picks the preset from the table's columns on connect ({@code cell_name} or {@code
     * candidate_index} means RVBBIT, else WINDLASS) and reads columns the table lacks as null.
     */
    public Builder detectMapping() {
      this.mapping = null;
      return this;
    }

    public Builder compression(Compression compression) {
      this.compression = Objects.requireNonNull(compression, "compression");
      return this;
    }

    /** How long to wait for a TCP connection (default 10 s). */
    public Builder connectTimeout(Duration timeout) {
      this.connectTimeout = positive(timeout);
      return this;
    }

    /** How long a read may wait for the next bytes from the server (default 60 s). */
    public Builder socketTimeout(Duration timeout) {
      this.socketTimeout = positive(timeout);
      return this;
    }

    /** The server-side limit on one query ({@code max_execution_time}); none by default. */
    public Builder maxExecutionTime(Duration limit) {
      this.maxExecutionTime = positive(limit);
      return this;
    }

    /**
     * The bound, in code points, on content sent for a row that needs it (a sounding's preview, a
     * phase named only in its content, a sub-cascade link, an error). Default {@value
     * #DEFAULT_CONTENT_LIMIT}. A JSON-string content cut there is closed again, so the fold still
     * reads its text; an object content longer than the bound reaches the fold as cut raw text.
     */
    public Builder contentLimit(int codePoints) {
      if (codePoints < 1) {
        throw new IllegalArgumentException("content limit must be positive, was " + codePoints);
      }
      this.contentLimit = codePoints;
      return this;
    }

    /**
     * Sends (cut) content for every row, not only for the rows the default {@code Vocabulary}
     * needs it for: for an assembler configured with a vocabulary of its own.
     */
    /**
     * The vocabulary the listing classifies rows with and the session read decides which rows need
     * their content by (default {@link Vocabulary#defaults()}): give it the assembler's own.
     */
    public Builder vocabulary(Vocabulary vocabulary) {
      this.vocabulary = Objects.requireNonNull(vocabulary, "vocabulary");
      return this;
    }

    public Builder contentForEveryRow() {
      this.contentForEveryRow = true;
      return this;
    }

    /**
     * Reads through a client the host already owns (its endpoint and credentials are used; close
     * it yourself: {@link ClickHouseLogSource#close()} leaves it open). Compression is still set
     * per query. {@link #endpoint} then only names the server in messages.
     */
    public Builder client(Client client) {
      this.client = Objects.requireNonNull(client, "client");
      return this;
    }

    public ClickHouseLogSource build() {
      if (endpoint == null && client == null) {
        throw new IllegalStateException("set an endpoint or a client");
      }
      if (endpoint == null) {
        endpoint = "(host client)";
      }
      return new ClickHouseLogSource(this);
    }

    private static Duration positive(Duration d) {
      if (d == null || d.isNegative() || d.isZero()) {
        throw new IllegalArgumentException("must be positive: " + d);
      }
      return d;
    }
  }
}
