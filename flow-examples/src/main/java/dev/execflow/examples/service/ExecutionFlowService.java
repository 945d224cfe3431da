package dev.execflow.examples.service;

import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.execflow.assemble.AssemblyOptions;
import dev.execflow.cascade.CascadeCatalog;
import dev.execflow.follow.FollowHub;
import dev.execflow.follow.FollowOptions;
import dev.execflow.json.ExecutionJson;
import dev.execflow.model.ExecutionData;
import dev.execflow.spi.LogSource;
import dev.execflow.spi.LogSourceException;
import dev.execflow.spi.SessionSummary;
import java.util.Objects;
import java.util.function.Consumer;
import java.util.function.Function;
import java.util.function.Supplier;

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
 *   <li>{@code /api/session/{id}/phase/{name}/rows?visit=&limit=&cursor=}: the rows of one phase
 *       (one visit, or all), with their content cut at 65,536 code points, a page at a time with a
 *       keyed cursor ({@code nextCursor}, null on the last page).
 *   <li>{@code /api/compare?a=&b=} or {@code ?a=&median=N}: two runs side by side per phase, with
 *       the differences of cost, duration and turns ({@code dev.execflow.compare}); {@code median}
 *       compares with the per-phase median of the last {@code N} finished runs of {@code a}'s
 *       cascade.
 * </ul>
 *
 * <p>Every failure is answered with a JSON body {@code {"error": "...", "status": N}}; no stack
 * trace reaches a client. Thread-safe when the source is.
 */
public final class ExecutionFlowService implements AutoCloseable {
  /** Longest session id, cascade id or cursor accepted. */
  public static final int MAX_ID_LENGTH = Request.MAX_ID_LENGTH;
  /** Default and largest page size of {@code /api/sessions}. */
  public static final int DEFAULT_PAGE = SessionListing.DEFAULT_PAGE;

  public static final int MAX_PAGE = SessionListing.MAX_PAGE;

  private final LogSource source;
  private final CascadeCatalog catalog;
  private final AssemblyOptions options;
  private final Consumer<Throwable> unexpected;
  private final SourceHealth health;
  private final Folds folds;
  private final SessionListing listing;
  private final Comparisons comparisons;
  private final PhaseRows phaseRows;
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
    VisitIndexCache visits = new VisitIndexCache(System::currentTimeMillis);
    this.folds = new Folds(source, options, health, visits);
    this.listing = new SessionListing(source, health);
    this.comparisons = new Comparisons(source, folds);
    this.phaseRows = new PhaseRows(source, folds, visits, options);
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
  public ApiResponse handle(String method, String rawPath, String rawQuery, Function<String, String> headers) {
    if (!"GET".equals(method) && !"HEAD".equals(method)) {
      return Responses.error(405, "only GET is supported");
    }
    if (rawPath == null || !rawPath.startsWith("/api/")) {
      return Responses.error(404, "no such endpoint");
    }
    return guarded(() -> route(Request.of(rawPath, rawQuery, headers)));
  }

  private ApiResponse route(Request r) {
    if (r.is("sessions")) {
      return listing.page(r.param("cascade"), r.param("status"), r.param("limit"), r.param("after"));
    }
    if (r.is("cascade-definitions")) {
      return cascadeDefinitions();
    }
    if (r.is("health")) {
      return health();
    }
    if (r.is("session", null, "execution-flow")) {
      return executionFlow(r.segment(1, "session id"));
    }
    if (r.is("session", null, "events")) {
      return events(r.segment(1, "session id"), r.headers.apply("Last-Event-ID"));
    }
    if (r.is("session", null, "phase", null, "rows")) {
      return phaseRows(r.segment(1, "session id"), r.segment(3, "phase name"), r.param("visit"), r.param("limit"),
          r.param("cursor"));
    }
    if (r.is("compare")) {
      return compare(r.param("a"), r.param("b"), r.param("median"));
    }
    if (r.is("events", "stream")) {
      return streams().everything();
    }
    return Responses.error(404, "no such endpoint");
  }

  /** Runs an endpoint: bad input is a 400, a failing source a 503 (or 501), a bug a generic 500. */
  private ApiResponse guarded(Supplier<ApiResponse> endpoint) {
    try {
      return endpoint.get();
    } catch (Responses.BadRequest e) {
      return Responses.error(400, e.getMessage());
    } catch (LogSourceException e) {
      return Responses.sourceFailure(e);
    } catch (RuntimeException e) {
      unexpected.accept(e);
      return Responses.internalError();
    }
  }

  /** {@code GET /api/session/{id}/execution-flow}. */
  public ApiResponse executionFlow(String sessionId) {
    return guarded(() -> {
      ExecutionData data = folds.fold(Request.requireId(sessionId, "session id"));
      if (data == null) {
        return Responses.error(404, "unknown session: " + sessionId);
      }
      return new ApiResponse(200, ExecutionJson.write(catalog.overlay(data)));
    });
  }

  /**
   * {@code GET /api/session/{id}/phase/{name}/rows?visit=&limit=&cursor=}: a page of the rows of
   * one phase with their content (see {@link PhaseRows} for what a page costs). Parameters are the
   * decoded values, each of {@code visit}, {@code limit} and {@code cursor} may be null. 400 for
   * invalid ones, 404 for an unknown session, a phase that did not run or a visit it did not make.
   *
   * @param visit 1-based visit of the phase; null for every visit in turn
   * @param limit rows per page, 1 to 500, default 50
   * @param cursor the {@code nextCursor} of the previous page
   */
  public ApiResponse phaseRows(String sessionId, String phase, String visit, String limit, String cursor) {
    return guarded(() -> phaseRows.page(sessionId, phase, visit, limit, cursor));
  }

  /**
   * {@code GET /api/compare?a=&b=} or {@code ?a=&median=N}: run {@code a} against run {@code b}, or
   * against the per-phase median of the last {@code N} (1 to 50) finished runs of its cascade. 400
   * for missing or invalid parameters, 404 for an unknown session (or no runs to take a median
   * of).
   */
  public ApiResponse compare(String a, String b, String median) {
    return guarded(() -> comparisons.compare(a, b, median));
  }

  /**
   * {@code GET /api/session/{id}/events}: the session's live events (see the class comment).
   *
   * @param lastEventId the request's {@code Last-Event-ID} header, or null
   */
  public ApiResponse events(String sessionId, String lastEventId) {
    return guarded(() -> streams().session(Request.requireId(sessionId, "session id"), lastEventId));
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
    return guarded(() -> listing.page(cascade, status, limit, after));
  }

  /** {@code GET /api/cascade-definitions}: a JSON array, one object per known cascade. */
  public ApiResponse cascadeDefinitions() {
    return guarded(() -> new ApiResponse(200, catalog.definitionsJson()));
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
    return Responses.json(s.serving() ? 200 : 503, body);
  }

  /** The source's state as {@code /api/health} reports it; servers and wrappers may update it. */
  public SourceHealth sourceHealth() {
    return health;
  }

  /** One line of the instances grid, the shape shared by the API and the CLI's {@code --json}. */
  public static ObjectNode sessionJson(SessionSummary s) {
    return SessionListing.json(s);
  }

  /** ISO-8601 UTC with milliseconds, or null. */
  public static String iso(double epochSeconds) {
    return SessionListing.iso(epochSeconds);
  }

  static ApiResponse error(int status, String message) {
    return Responses.error(status, message);
  }
}
