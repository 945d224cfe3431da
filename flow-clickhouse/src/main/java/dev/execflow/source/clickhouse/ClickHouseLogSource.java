package dev.execflow.source.clickhouse;

import com.clickhouse.client.api.data_formats.ClickHouseBinaryFormatReader;
import com.clickhouse.client.api.query.QueryResponse;
import dev.execflow.source.clickhouse.internal.Errors;
import dev.execflow.source.clickhouse.internal.Parameters;
import dev.execflow.source.clickhouse.internal.RowBinaryInput;
import dev.execflow.source.clickhouse.internal.RowDecoder;
import dev.execflow.source.clickhouse.internal.SelectPlan;
import dev.execflow.source.clickhouse.internal.Sql;
import dev.execflow.model.Status;
import dev.execflow.assemble.Pricing;
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
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Base64;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;
import java.util.UUID;
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
 * <p>Thread-safe: reads may run concurrently; {@link #close()} cancels those in progress.
 */
public final class ClickHouseLogSource implements LogSource {
  /**
   * The default bound, in code points, on the content sent for a row that needs it: enough for a
   * 200-character phase name or a 50-character preview even if every character is a JSON escape.
   */
  public static final int DEFAULT_CONTENT_LIMIT = 4096;

  private final String endpoint;
  private final String database;
  private final String table;
  private final int contentLimit;
  private final ClickHouseQueries queries;
  private final ClickHouseConnector connector;
  private volatile ClickHouseConnector.Connection connection;

  ClickHouseLogSource(ClickHouseLogSourceBuilder b) {
    this.endpoint = b.endpoint;
    this.database = b.database;
    this.table = b.table;
    this.contentLimit = b.contentLimit;
    this.queries = new ClickHouseQueries(b, "ClickHouseLogSource[" + b.endpoint + " " + b.database + "." + b.table + "]");
    this.connector = new ClickHouseConnector(queries, b);
  }

  /** A builder; {@link ClickHouseLogSourceBuilder#endpoint} (or {@link ClickHouseLogSourceBuilder#client}) is required. */
  public static ClickHouseLogSourceBuilder builder() {
    return new ClickHouseLogSourceBuilder();
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
    ClickHouseLogSourceBuilder b = builder().endpoint(url)
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
    ClickHouseConnector.Connection c = connection();
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
        query.fromTimestamp(), query.toTimestamp());
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
    Objects.requireNonNull(sink, "sink");
    ClickHouseConnector.Connection c = connection();
    String what = "reading session " + describeId(query.sessionId()) + " from " + database + "." + table;
    Parameters params = new Parameters(c.bind());
    String sql;
    try {
      sql = c.plan().sessionSelect(params, query.sessionId(), query.fromTimestamp(), query.toTimestamp())
          + "\nFORMAT RowBinary";
    } catch (IllegalArgumentException e) {
      throw new LogSourceException(Reason.BAD_INPUT, "cannot query session "
          + describeId(query.sessionId()) + ": " + e.getMessage(), e);
    }
    QueryResponse response = queries.start(sql, params.values(), c.compress(), what);
    long delivered = 0;
    try {
      RowBinaryInput in = new RowBinaryInput(response.getInputStream(), RowDecoder.cacheSlots());
      RowDecoder decoder = new RowDecoder(query.sessionId(), contentLimit);
      long seen = 0;
      while (true) {
        String problem;
        try {
          if (in.atEnd()) {
            break;
          }
          problem = decoder.decode(in);
        } catch (IOException | RuntimeException e) {
          throw broken(e, what, delivered);
        }
        seen++;
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
      if (queries.isClosed()) {
        // a closed connection can look like a clean end: never pass that off as complete
        throw cancelled(what, delivered);
      }
      return delivered;
    } finally {
      queries.finish(response);
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
    ClickHouseConnector.Connection c = connection();
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
    QueryResponse response = this.queries.start(sql, params.values(), c.compress(), what);
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
          throw broken(e, what, delivered);
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
      if (this.queries.isClosed()) {
        throw cancelled(what, delivered);
      }
      return delivered;
    } finally {
      this.queries.finish(response);
    }
  }

  private LogSourceException broken(Exception e, String what, long delivered) {
    if (queries.isClosed()) {
      return cancelled(what, delivered);
    }
    return new LogSourceException(Reason.INTERRUPTED, "ClickHouse at " + endpoint + " stopped sending after "
        + delivered + " rows while " + what + " (" + Errors.rootMessage(e)
        + "); the rows delivered so far are incomplete", e);
  }

  private LogSourceException cancelled(String what, long delivered) {
    return new LogSourceException(Reason.INTERRUPTED, "cancelled after " + delivered + " rows while "
        + what + ": the source was closed");
  }

  @Override
  public SessionPage listSessions(SessionListQuery query) {
    ClickHouseConnector.Connection c = connection();
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
    QueryResponse response = queries.start(sql, params.values(), c.compress(), what);
    List<SessionSummary> sessions = new ArrayList<>();
    boolean more = false;
    try {
      ClickHouseBinaryFormatReader reader = queries.client().newBinaryFormatReader(response, SelectPlan.LIST);
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
        throw broken(e, what, sessions.size());
      }
      if (queries.isClosed()) {
        throw cancelled(what, sessions.size());
      }
    } finally {
      queries.finish(response);
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
    queries.close();
  }

  @Override
  public String toString() {
    return "ClickHouseLogSource[" + endpoint + " " + database + "." + table + "]";
  }


  private ClickHouseConnector.Connection connection() {
    ClickHouseConnector.Connection c = connection;
    if (c != null && !queries.isClosed()) {
      return c;
    }
    synchronized (this) {
      if (queries.isClosed()) {
        throw new LogSourceException(Reason.UNAVAILABLE, this + " is closed");
      }
      if (connection == null) {
        connection = connector.establish();
      }
      return connection;
    }
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
}
