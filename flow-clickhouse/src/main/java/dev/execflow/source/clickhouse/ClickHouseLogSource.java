package dev.execflow.source.clickhouse;

import dev.execflow.assemble.AssemblyOptions;
import dev.execflow.assemble.ExecutionAssembler;
import dev.execflow.source.clickhouse.internal.Parameters;
import dev.execflow.spi.Column;
import dev.execflow.spi.ColumnMapping;
import dev.execflow.spi.LogRow;
import dev.execflow.spi.LogSource;
import dev.execflow.spi.LogSourceException;
import dev.execflow.spi.LogSourceException.Reason;
import dev.execflow.spi.RowSink;
import dev.execflow.spi.SessionListQuery;
import dev.execflow.spi.SessionPage;
import dev.execflow.spi.SessionQuery;
import java.util.List;
import java.util.Objects;
import java.util.function.Function;
import java.util.function.Supplier;

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
 * <p>A whole session read into an {@link ExecutionAssembler} that has folded nothing yet is folded
 * by the configured {@link Strategy}: streamed, or largely summed up by the server (pushdown; see
 * {@link #fold}); the {@code ExecutionData} is the same. Every other read streams its rows.
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

  /**
   * Most sessions one query of {@link #readSessions} names: the query holds a range per session,
   * and the server's query size limit (256 KiB by default) bounds it.
   */
  public static final int SESSIONS_PER_QUERY = 200;

  private final Settings settings;
  private final QueryRunner queries;
  private final SessionReads reads;
  private final SessionListing listing;
  private final ParallelRanges ranges;
  private volatile TableConnection connection;

  ClickHouseLogSource(Settings s) {
    this.settings = s;
    this.queries = new QueryRunner(s);
    this.reads = new SessionReads(queries, s.qualified(), s.contentLimit());
    this.listing = new SessionListing(queries, s.database(), s.table());
    this.ranges = new ParallelRanges(queries, reads);
  }

  /** A builder; {@link ClickHouseLogSourceBuilder#endpoint} (or {@code client}) is required. */
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
    return builder().endpoint(url)
        .credentials(user == null ? "default" : user, password)
        .table(database == null ? "default" : database, table == null ? "unified_logs" : table)
        .schema(schema)
        .connect();
  }

  /**
   * {@code url} when it is a usable endpoint: {@code http} or {@code https}, a host, no
   * credentials, no query string or fragment.
   *
   * @throws LogSourceException ({@code BAD_INPUT}) saying what is wrong; a URL that may hold a
   *     password is not repeated
   */
  public static String checkEndpoint(String url) {
    return Endpoints.check(url);
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
    TableConnection c = connection();
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

  /** Streams the rows; an {@link ExecutionAssembler} given as the sink is folded as {@link #assemble} does. */
  @Override
  public long read(SessionQuery query, RowSink sink) {
    Objects.requireNonNull(sink, "sink");
    if (sink instanceof ExecutionAssembler target) {
      return assemble(query, target);
    }
    return stream(query, sink);
  }

  /**
   * A whole session into an assembler that has folded nothing yet is folded with the configured
   * {@link Strategy} (and parallel ranges), as {@link #fold} does; every other read streams.
   */
  @Override
  public long assemble(SessionQuery query, ExecutionAssembler target) {
    Objects.requireNonNull(target, "target");
    if ((settings.strategy() != Strategy.STREAM || settings.parallelRanges() > 1) && foldable(query, target)) {
      return fold(query, target, settings.strategy()).rows();
    }
    return stream(query, target);
  }

  /** The configured strategy ({@link ClickHouseLogSourceBuilder#strategy}). */
  public Strategy strategy() {
    return settings.strategy();
  }

  private long stream(SessionQuery query, RowSink sink) {
    long[] seen = {0};
    RowSink counting = new RowSink() {
      @Override public void accept(LogRow row) {
        seen[0]++;
        sink.accept(row);
      }

      @Override public void warning(String kind, String detail) {
        sink.warning(kind, detail);
      }
    };
    // the table may have changed since connecting (a column added, renamed, dropped): look again
    // once, unless rows were delivered already
    return withLayoutRetry(() -> seen[0] == 0, () -> reads.read(connection(), query, counting));
  }

  /** A whole session into an assembler that has folded nothing: what a strategy applies to. */
  private static boolean foldable(SessionQuery query, ExecutionAssembler target) {
    return Double.isNaN(query.fromTimestamp()) && Double.isNaN(query.toTimestamp()) && target.rows() == 0;
  }

  /**
   * Folds the whole session of {@code query} into {@code target} (an assembler that has folded
   * nothing yet) with the configured strategy, and says how.
   *
   * <pre>{@code
   * ExecutionAssembler fold = new ExecutionAssembler();
   * FoldReport how = source.fold(SessionQuery.of("sess-42"), fold);
   * System.out.println(how.strategy() + ": " + how.summedRows() + " rows summed by the server");
   * }</pre>
   */
  public FoldReport fold(SessionQuery query, ExecutionAssembler target) {
    return fold(query, target, settings.strategy());
  }

  /**
   * {@link #fold(SessionQuery, ExecutionAssembler)} with {@code strategy}: {@link Strategy#PUSHDOWN}
   * sums up on the server what it can prove exact and streams the session when it cannot (the
   * report says why); {@link Strategy#AUTO} counts the session's rows first.
   *
   * @throws IllegalArgumentException for a time range or an assembler that has folded rows
   */
  public FoldReport fold(SessionQuery query, ExecutionAssembler target, Strategy strategy) {
    Objects.requireNonNull(target, "target");
    if (!foldable(query, target)) {
      throw new IllegalArgumentException("a strategy folds whole sessions into an assembler that has folded nothing");
    }
    TableConnection c = connection();
    String declined = null;
    Pushdown pushdown = null;
    boolean mayPush = strategy == Strategy.PUSHDOWN
        || (strategy == Strategy.AUTO && settings.pushdownThreshold() != Strategy.DEFAULT_PUSHDOWN_ROWS);
    if (mayPush) {
      pushdown = new Pushdown(queries, c, query.sessionId(), target.options(), settings.contentLimit());
      // AUTO counts first, where counting is cheap (a view would run its whole query to count)
      boolean big = strategy == Strategy.PUSHDOWN
          || (c.countsCheaply() && pushdown.rowCount() >= settings.pushdownThreshold());
      if (big) {
        try {
          Pushdown.Outcome done = pushdown.run();
          target.absorb(done.fold());
          return new FoldReport(Strategy.PUSHDOWN, done.rows(), done.summedRows(), done.streamedRows(), done.bytes(),
              done.queries(), 1, null);
        } catch (Pushdown.Declined e) {
          declined = e.getMessage();
        }
      }
    }
    int k = settings.parallelRanges();
    ParallelRanges.Read read = withLayoutRetry(() -> target.rows() == 0, () -> ranges.fold(connection(),
        query.sessionId(), target, k));
    int queries = read.ranges() + (k > 1 ? 1 : 0) + (read.again() != null ? k : 0)
        + (pushdown == null ? 0 : pushdown.queryCount());
    String why = declined == null ? read.again() : read.again() == null ? declined : declined + "; " + read.again();
    return new FoldReport(Strategy.STREAM, read.rows(), 0, read.rows(), read.bytes(), queries, read.ranges(), why);
  }

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
      delivered += reads.readSessions(connection(),
          queries.subList(at, Math.min(queries.size(), at + SESSIONS_PER_QUERY)), sinks);
    }
    return delivered;
  }

  @Override
  public SessionPage listSessions(SessionListQuery query) {
    return withLayoutRetry(() -> true, () -> listing.list(connection(), query));
  }

  /**
   * Installs the session summary that makes {@link #listSessions} cost O(page) (the objects of
   * {@code execflow install-listing}: a summary table and a start-time index, the materialized
   * views that feed them, a marker; see flow-clickhouse/README.md), backfilled from the rows the table holds; idempotent.
   * Listing uses it from then on, on this source and on every source that connects later.
   *
   * <pre>{@code
   * try (ClickHouseLogSource source = ClickHouseLogSource.builder().endpoint(url).table("logs", "unified_logs").build()) {
   *   source.installListing(true).statements().forEach(System.out::println); // the DDL, nothing run
   * }
   * }</pre>
   *
   * @param dryRun only say what would be run
   * @throws LogSourceException UNSUPPORTED for a table that does not receive inserts itself (a
   *     Distributed table, a view), or that system.tables does not show
   */
  public ListingInstallation installListing(boolean dryRun) {
    ListingInstallation done = ListingInstaller.install(queries, connection(), settings, dryRun);
    if (!dryRun && !done.alreadyInstalled()) {
      forgetLayout(); // the next connection finds the summary
    }
    return done;
  }

  /** Runs {@code action}; on a SCHEMA error (when {@code retryable}) connects again and runs it once more. */
  private <T> T withLayoutRetry(Supplier<Boolean> retryable, Supplier<T> action) {
    try {
      return action.get();
    } catch (LogSourceException e) {
      if (e.reason() != Reason.SCHEMA || !retryable.get()) {
        throw e;
      }
      forgetLayout();
      return action.get();
    }
  }

  /** Makes the next use connect again: DESCRIBE TABLE and the mapping are redone. */
  private synchronized void forgetLayout() {
    connection = null;
  }

  private TableConnection connection() {
    TableConnection c = connection;
    if (c != null && !queries.closed()) {
      return c;
    }
    synchronized (this) {
      if (queries.closed()) {
        throw new LogSourceException(Reason.UNAVAILABLE, this + " is closed");
      }
      if (connection == null) {
        connection = TableConnection.establish(queries, settings);
      }
      return connection;
    }
  }

  /** Stops reads in progress (they throw {@code INTERRUPTED}) and releases the client if owned. */
  @Override
  public void close() {
    ranges.close();
    queries.close();
  }

  @Override
  public String toString() {
    return queries.description();
  }
}
