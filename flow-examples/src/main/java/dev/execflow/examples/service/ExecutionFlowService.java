package dev.execflow.examples.service;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.execflow.assemble.AssemblyOptions;
import dev.execflow.assemble.ExecutionAssembler;
import dev.execflow.json.ExecutionJson;
import dev.execflow.model.ExecutionData;
import dev.execflow.model.Status;
import dev.execflow.cascade.CascadeCatalog;
import dev.execflow.follow.FollowHub;
import dev.execflow.follow.FollowOptions;
import dev.execflow.spi.LogSource;
import dev.execflow.spi.LogSourceException;
import dev.execflow.spi.SessionListQuery;
import dev.execflow.spi.SessionPage;
import dev.execflow.spi.SessionQuery;
import dev.execflow.spi.SessionSummary;
import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;
import java.util.function.Consumer;
import java.util.regex.Pattern;

/**
 * The execution-flow HTTP API without an HTTP server: a {@link LogSource} (and optionally the
 * cascade definitions) in, a status code and a JSON body out. Mount it in any framework, e.g.
 * Javalin:
 *
 * <pre>{@code
 * ExecutionFlowService flow = new ExecutionFlowService(source, catalog);
 * app.get("/api/*", ctx -> { ApiResponse r = flow.handle("GET", ctx.path(), ctx.queryString());
 *     ctx.status(r.status()).contentType(ApiResponse.CONTENT_TYPE).result(r.body()); });
 * }</pre>
 *
 * <p>Routes (all GET):
 *
 * <ul>
 *   <li>{@code /api/session/{id}/execution-flow}: the seed's {@code executionData}, overlaid with
 *       the session's cascade definition when the catalog knows it. 400 for an invalid id, 404 for
 *       a session without rows, 503 when the source fails.
 *   <li>{@code /api/sessions?cascade=&status=&limit=&after=}: the instances grid, newest first,
 *       keyed-cursor paging ({@code next_cursor} of one page is {@code after} of the next);
 *       {@code warnings} lists what the listing left out.
 *   <li>{@code /api/cascade-definitions}: the known definitions, a JSON array.
 *   <li>{@code /api/health}: {@code {"status": "ok", "source": {"state": "up", ...}}}, 200 while
 *       the source serves (or nothing has been read yet), 503 while it is down or not connected
 *       yet (see {@link SourceHealth}).
 *   <li>{@code /api/session/{id}/events}: the session's live events as {@code text/event-stream}
 *       ({@code event:} the type, {@code id:} the event id, {@code data:} the event JSON): first a
 *       {@code snapshot}, then changes, ended after {@code final}. A reconnect that sends {@code
 *       Last-Event-ID} resumes without repeats or gaps. Every viewer of a session shares one
 *       follower; 503 when the service follows as many sessions as it may.
 *   <li>{@code /api/events/stream}: the events of every session the service follows, each with
 *       {@code session_id} (and {@code phase_name}) as the seed's viewer filters them.
 * </ul>
 *
 * <p>Every failure is answered with a JSON body {@code {"error": "...", "status": N}}; no stack
 * trace reaches a client. Thread-safe when the source is.
 */
public final class ExecutionFlowService implements AutoCloseable {
  /** Longest session id, cascade id or cursor accepted. */
  public static final int MAX_ID_LENGTH = 256;
  /** Default and largest page size of {@code /api/sessions}. */
  public static final int DEFAULT_PAGE = 50;

  public static final int MAX_PAGE = 500;

  private static final int MAX_QUERY_LENGTH = 2048;
  // ids of the original system are UUIDs or slugs; this keeps paths, SQL and logs unambiguous
  private static final Pattern VALID_ID = Pattern.compile("[A-Za-z0-9._:@+=~-]{1,256}");
  private static final ObjectMapper MAPPER = new ObjectMapper();

  private final LogSource source;
  private final CascadeCatalog catalog;
  private final AssemblyOptions options;
  private final Consumer<Throwable> unexpected;
  private final SourceHealth health;
  /** The follow hub given, or null: then one is made on the first event stream and owned. */
  private final FollowHub givenHub;
  private EventStreams streams;

  /** A service over {@code source} without cascade definitions. */
  public ExecutionFlowService(LogSource source) {
    this(source, CascadeCatalog.EMPTY);
  }

  /** A service over {@code source} that overlays sessions with the definitions of {@code catalog}. */
  public ExecutionFlowService(LogSource source, CascadeCatalog catalog) {
    this(source, catalog, AssemblyOptions.defaults(),
        e -> System.err.println("execflow: unexpected " + e));
  }

  /**
   * Full control.
   *
   * @param unexpected told about failures that are not the source's (bugs); the client gets a 500
   *     with a generic message
   */
  public ExecutionFlowService(LogSource source, CascadeCatalog catalog,
      AssemblyOptions options, Consumer<Throwable> unexpected) {
    this(source, catalog, options, unexpected, null);
  }

  /**
   * Full control, with the {@link FollowHub} the event streams use (its source should be this
   * service's; the caller closes it). Null: the service makes one on the first event stream, with
   * {@link FollowOptions#defaults()} and this service's assembly options, and closes it in {@link
   * #close()}.
   */
  public ExecutionFlowService(LogSource source, CascadeCatalog catalog,
      AssemblyOptions options, Consumer<Throwable> unexpected, FollowHub hub) {
    this.source = Objects.requireNonNull(source, "source");
    this.catalog = Objects.requireNonNull(catalog, "catalog");
    this.options = Objects.requireNonNull(options, "options");
    this.unexpected = Objects.requireNonNull(unexpected, "unexpected");
    this.health = source instanceof SourceHealth.Reporting r ? r.health() : new SourceHealth();
    this.givenHub = hub;
  }

  /** The event streams, made on first use. */
  private synchronized EventStreams streams() {
    if (streams == null) {
      FollowHub hub = givenHub != null ? givenHub
          : new FollowHub(source, FollowOptions.defaults().toBuilder().assembly(options).build());
      streams = new EventStreams(hub, catalog, EventStreams.KEEP_ALIVE);
    }
    return streams;
  }

  /** Stops the follows of a hub the service made itself; the source stays open. */
  @Override
  public synchronized void close() {
    if (streams != null && givenHub == null) {
      streams.hub().close();
    }
  }

  /**
   * Routes one request.
   *
   * @param method the HTTP method; only GET (and HEAD) are answered, others get 405
   * @param rawPath the request path as sent, still percent-encoded (e.g. {@code
   *     /api/session/abc%2D1/execution-flow})
   * @param rawQuery the query string as sent without {@code ?}, or null
   */
  public ApiResponse handle(String method, String rawPath, String rawQuery) {
    return handle(method, rawPath, rawQuery, name -> null);
  }

  /**
   * Routes one request, with access to its headers (e.g. {@code Last-Event-ID} on event streams).
   *
   * @param headers the request's header values by case-insensitive name; null when absent
   */
  public ApiResponse handle(String method, String rawPath, String rawQuery,
      java.util.function.Function<String, String> headers) {
    try {
      if (!"GET".equals(method) && !"HEAD".equals(method)) {
        return error(405, "only GET is supported");
      }
      if (rawPath == null || !rawPath.startsWith("/api/")) {
        return error(404, "no such endpoint");
      }
      if (rawQuery != null && rawQuery.length() > MAX_QUERY_LENGTH) {
        return error(400, "query string too long");
      }
      String[] parts = rawPath.substring(1).split("/", -1);
      if (parts.length == 2 && parts[1].equals("sessions")) {
        Map<String, String> params = parseQuery(rawQuery);
        return sessions(params.get("cascade"), params.get("status"), params.get("limit"),
            params.get("after"));
      }
      if (parts.length == 2 && parts[1].equals("cascade-definitions")) {
        return cascadeDefinitions();
      }
      if (parts.length == 2 && parts[1].equals("health")) {
        return health();
      }
      if (parts.length == 4 && parts[1].equals("session") && parts[3].equals("execution-flow")) {
        String id = PercentDecoding.decode(parts[2]);
        if (id == null) {
          return error(400, "invalid session id: bad percent-encoding");
        }
        return executionFlow(id);
      }
      if (parts.length == 4 && parts[1].equals("session") && parts[3].equals("events")) {
        String id = PercentDecoding.decode(parts[2]);
        if (id == null) {
          return error(400, "invalid session id: bad percent-encoding");
        }
        return events(id, headers.apply("Last-Event-ID"));
      }
      if (parts.length == 3 && parts[1].equals("events") && parts[2].equals("stream")) {
        return streams().everything();
      }
      return error(404, "no such endpoint");
    } catch (BadRequest e) {
      return error(400, e.getMessage());
    } catch (RuntimeException e) {
      unexpected.accept(e);
      return error(500, "internal error");
    }
  }

  /** {@code GET /api/session/{id}/execution-flow}. */
  public ApiResponse executionFlow(String sessionId) {
    if (sessionId == null || !VALID_ID.matcher(sessionId).matches()) {
      return error(400, "invalid session id: expected 1 to " + MAX_ID_LENGTH
          + " characters of letters, digits and . _ : @ + = ~ -");
    }
    try {
      ExecutionAssembler assembler = new ExecutionAssembler(options);
      long rows = source.read(SessionQuery.of(sessionId), assembler);
      health.up();
      if (rows == 0) {
        return error(404, "unknown session: " + sessionId);
      }
      ExecutionData data = catalog.overlay(assembler.snapshot());
      return new ApiResponse(200, ExecutionJson.write(data));
    } catch (LogSourceException e) {
      health.failed(e);
      return sourceFailure(e);
    } catch (RuntimeException e) {
      unexpected.accept(e);
      return error(500, "internal error");
    }
  }

  /**
   * {@code GET /api/session/{id}/events}: the session's live events (see the class comment).
   *
   * @param lastEventId the request's {@code Last-Event-ID} header, or null
   */
  public ApiResponse events(String sessionId, String lastEventId) {
    if (sessionId == null || !VALID_ID.matcher(sessionId).matches()) {
      return error(400, "invalid session id: expected 1 to " + MAX_ID_LENGTH
          + " characters of letters, digits and . _ : @ + = ~ -");
    }
    return streams().session(sessionId, lastEventId);
  }

  /**
   * {@code GET /api/sessions}. Parameters are the raw query values, each may be null.
   *
   * @param cascade only this cascade
   * @param status completed, running or error
   * @param limit page size, 1 to {@value #MAX_PAGE}, default {@value #DEFAULT_PAGE}
   * @param after the {@code next_cursor} of the previous page
   */
  public ApiResponse sessions(String cascade, String status, String limit, String after) {
    Status wanted = null;
    if (status != null && !status.isEmpty()) {
      wanted = switch (status.toLowerCase(Locale.ROOT)) {
        case "completed" -> Status.COMPLETED;
        case "running" -> Status.RUNNING;
        case "error" -> Status.ERROR;
        default -> null;
      };
      if (wanted == null) {
        return error(400, "invalid status: expected completed, running or error");
      }
    }
    int pageSize = DEFAULT_PAGE;
    if (limit != null && !limit.isEmpty()) {
      try {
        pageSize = Integer.parseInt(limit);
      } catch (NumberFormatException e) {
        pageSize = -1;
      }
      if (pageSize < 1 || pageSize > MAX_PAGE) {
        return error(400, "invalid limit: expected a number from 1 to " + MAX_PAGE);
      }
    }
    if (cascade != null && (cascade.isEmpty() || cascade.length() > MAX_ID_LENGTH)) {
      cascade = cascade.isEmpty() ? null : cascade;
      if (cascade != null) {
        return error(400, "invalid cascade: longer than " + MAX_ID_LENGTH + " characters");
      }
    }
    if (after != null && (after.isEmpty() || after.length() > MAX_ID_LENGTH)) {
      after = after.isEmpty() ? null : after;
      if (after != null) {
        return error(400, "invalid cursor");
      }
    }
    try {
      SessionPage page = source.listSessions(new SessionListQuery(cascade, wanted, pageSize, after));
      health.up();
      ObjectNode body = JsonNodeFactory.instance.objectNode();
      ArrayNode rows = body.putArray("sessions");
      for (SessionSummary s : page.sessions()) {
        rows.add(sessionJson(s));
      }
      body.put("next_cursor", page.nextCursor());
      // what the listing left out (sessions past the source's bound, unreadable lines): never silent
      ArrayNode warnings = body.putArray("warnings");
      page.warnings().forEach(warnings::add);
      return new ApiResponse(200, write(body));
    } catch (LogSourceException e) {
      if (e.reason() == LogSourceException.Reason.BAD_INPUT && after != null) {
        // sources reject a cursor they did not issue as bad input: the client's mistake
        return error(400, "invalid cursor: use the next_cursor of a previous page");
      }
      health.failed(e);
      return sourceFailure(e);
    } catch (IllegalArgumentException e) {
      return error(400, "invalid request: " + e.getMessage());
    } catch (RuntimeException e) {
      unexpected.accept(e);
      return error(500, "internal error");
    }
  }

  /** {@code GET /api/cascade-definitions}: a JSON array, one object per known cascade. */
  public ApiResponse cascadeDefinitions() {
    try {
      return new ApiResponse(200, catalog.definitionsJson());
    } catch (RuntimeException e) {
      unexpected.accept(e);
      return error(500, "internal error");
    }
  }

  /**
   * {@code GET /api/health}: the service answers, and what is known of its source. Never reads
   * the source (a health check must be cheap): the state is the outcome of the latest read or
   * listing, or of the connection attempts of a server started before its source.
   */
  public ApiResponse health() {
    SourceHealth.Snapshot s = health.snapshot();
    ObjectNode body = JsonNodeFactory.instance.objectNode();
    body.put("status", s.serving() ? "ok" : "unavailable");
    ObjectNode src = body.putObject("source");
    src.put("state", s.state().json());
    src.put("since", s.since().toString());
    if (s.detail() != null) {
      src.put("detail", s.detail());
    }
    return new ApiResponse(s.serving() ? 200 : 503, write(body));
  }

  /** The source's state as {@code /api/health} reports it; servers and wrappers may update it. */
  public SourceHealth sourceHealth() {
    return health;
  }

  /** One line of the instances grid, the shape shared by the API and the CLI's {@code --json}. */
  public static ObjectNode sessionJson(SessionSummary s) {
    ObjectNode row = JsonNodeFactory.instance.objectNode();
    row.put("session_id", s.sessionId());
    row.put("cascade_id", s.cascadeId());
    row.put("status", s.status() == null ? null : s.status().json());
    // sums of dollar amounts pick up float noise (0.0048000000000000004); 1e-10 dollars is plenty
    row.put("cost", Double.isFinite(s.cost()) ? Math.round(s.cost() * 1e10) / 1e10 : 0.0);
    row.put("duration", finite(s.duration()));
    row.put("started", iso(s.firstTimestamp()));
    row.put("first_timestamp", finite(s.firstTimestamp()));
    row.put("last_timestamp", finite(s.lastTimestamp()));
    row.put("row_count", s.rowCount());
    return row;
  }

  private static Double finite(double v) {
    return Double.isFinite(v) ? v : null;
  }

  /** ISO-8601 UTC with milliseconds, or null. */
  public static String iso(double epochSeconds) {
    if (!Double.isFinite(epochSeconds)) {
      return null;
    }
    long millis = Math.round(epochSeconds * 1000.0);
    return Instant.ofEpochMilli(millis).toString();
  }

  private static ApiResponse sourceFailure(LogSourceException e) {
    int status = e.reason() == LogSourceException.Reason.UNSUPPORTED ? 501 : 503;
    String message = e.getMessage() == null ? "the log source failed" : e.getMessage();
    ObjectNode body = errorBody(status, "log source " + describe(e.reason()) + ": " + message);
    body.put("reason", e.reason() == null ? null : e.reason().name().toLowerCase(Locale.ROOT));
    return new ApiResponse(status, write(body));
  }

  private static String describe(LogSourceException.Reason reason) {
    if (reason == null) {
      return "failed";
    }
    return switch (reason) {
      case UNAVAILABLE -> "unavailable";
      case AUTHENTICATION -> "refused the credentials";
      case SCHEMA -> "schema mismatch";
      case BAD_INPUT -> "unreadable";
      case INTERRUPTED -> "interrupted";
      case UNSUPPORTED -> "cannot do this";
    };
  }

  static ApiResponse error(int status, String message) {
    return new ApiResponse(status, write(errorBody(status, message)));
  }

  private static ObjectNode errorBody(int status, String message) {
    ObjectNode body = JsonNodeFactory.instance.objectNode();
    body.put("error", message);
    body.put("status", status);
    return body;
  }

  private static String write(Object node) {
    try {
      return MAPPER.writeValueAsString(node);
    } catch (JsonProcessingException e) {
      // a tree of strings and numbers always serializes; keep the contract of a JSON body anyway
      return "{\"error\":\"internal error\",\"status\":500}";
    }
  }

  /** Query parameters; the first occurrence wins; bad percent-encoding is a 400. */
  private static Map<String, String> parseQuery(String rawQuery) {
    Map<String, String> params = new LinkedHashMap<>();
    if (rawQuery == null || rawQuery.isEmpty()) {
      return params;
    }
    for (String pair : rawQuery.split("&")) {
      if (pair.isEmpty()) {
        continue;
      }
      int eq = pair.indexOf('=');
      String key = PercentDecoding.decodeForm(eq < 0 ? pair : pair.substring(0, eq));
      String value = PercentDecoding.decodeForm(eq < 0 ? "" : pair.substring(eq + 1));
      if (key == null || value == null) {
        throw new BadRequest("bad percent-encoding in the query string");
      }
      params.putIfAbsent(key, value);
    }
    return params;
  }

  /** A malformed request, answered with 400. */
  private static final class BadRequest extends RuntimeException {
    private static final long serialVersionUID = 1L;

    BadRequest(String message) {
      super(message, null, false, false);
    }
  }

  /** Strict percent-decoding (URLDecoder accepts too much and turns '+' into ' ' in paths). */
  static final class PercentDecoding {
    private PercentDecoding() {}

    /** A path segment: '+' stays '+'. Null when malformed or not UTF-8. */
    static String decode(String s) {
      return decode(s, false);
    }

    /** A form value: '+' is a space. Null when malformed. */
    static String decodeForm(String s) {
      return decode(s, true);
    }

    private static String decode(String s, boolean plusIsSpace) {
      if (s.indexOf('%') < 0) {
        return plusIsSpace ? s.replace('+', ' ') : s;
      }
      ByteArrayOutputStream out = new ByteArrayOutputStream(s.length());
      for (int i = 0; i < s.length(); i++) {
        char c = s.charAt(i);
        if (c == '%') {
          if (i + 2 >= s.length()) {
            return null;
          }
          int hi = Character.digit(s.charAt(i + 1), 16);
          int lo = Character.digit(s.charAt(i + 2), 16);
          if (hi < 0 || lo < 0) {
            return null;
          }
          out.write(hi * 16 + lo);
          i += 2;
        } else if (c == '+' && plusIsSpace) {
          out.write(' ');
        } else {
          int cp = s.codePointAt(i);
          byte[] bytes = new String(Character.toChars(cp)).getBytes(StandardCharsets.UTF_8);
          out.write(bytes, 0, bytes.length);
          i += Character.charCount(cp) - 1;
        }
      }
      byte[] bytes = out.toByteArray();
      try {
        return StandardCharsets.UTF_8.newDecoder().decode(java.nio.ByteBuffer.wrap(bytes)).toString();
      } catch (java.nio.charset.CharacterCodingException e) {
        return null;
      }
    }
  }
}
