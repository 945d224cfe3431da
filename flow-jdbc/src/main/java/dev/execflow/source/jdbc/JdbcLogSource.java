package dev.execflow.source.jdbc;

import dev.execflow.source.jdbc.internal.Connector;
import dev.execflow.source.jdbc.internal.Errors;
import dev.execflow.source.jdbc.internal.RowReader;
import dev.execflow.source.jdbc.internal.SessionIds;
import dev.execflow.source.jdbc.internal.SessionListing;
import dev.execflow.source.jdbc.internal.UrlDataSource;
import dev.execflow.spi.ColumnMapping;
import dev.execflow.spi.LogSource;
import dev.execflow.spi.LogSourceException;
import dev.execflow.spi.LogSourceException.Reason;
import dev.execflow.spi.RowSink;
import dev.execflow.spi.SessionListQuery;
import dev.execflow.spi.SessionPage;
import dev.execflow.spi.SessionQuery;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.Properties;
import java.util.function.Supplier;
import javax.sql.DataSource;

/**
 * A {@link LogSource} over any JDBC {@link DataSource}: a host's connection pool, an embedded
 * DuckDB (over a table, or straight over Parquet or JSON Lines files), SQLite, or ClickHouse
 * through clickhouse-jdbc. Only {@code java.sql} is used; the driver is the host's.
 *
 * <pre>{@code
 * HikariDataSource pool = ...;                         // any javax.sql.DataSource
 * try (JdbcLogSource source = JdbcLogSource.builder(pool)
 *     .table("unified_logs")                           // default; or .from("read_parquet('logs/*.parquet')")
 *     .build()) {                                      // mapping and dialect detected on connect
 *   ExecutionData data = ExecutionAssembler.assemble(source, SessionQuery.of("sess-42"),
 *       AssemblyOptions.defaults());
 *   SessionPage newest = source.listSessions(SessionListQuery.firstPage(50));
 * }
 *
 * try (JdbcLogSource parquet = JdbcLogSource.parquet(Path.of("data/"))) { ... }  // DuckDB underneath
 * }</pre>
 *
 * <p>On first use the source connects: it picks the {@link SqlDialect} from the database's name
 * (unless given), reads the relation's columns ({@code SELECT * ... WHERE 1 = 0}: a missing table
 * or mapped column is reported by name, and each column's type decides how its values are read)
 * and detects the column mapping ({@code cell_name} means the RVBBIT schema; columns the relation
 * lacks read as null), unless one was given. A session is one query, the session id a bound
 * parameter, ordered by timestamp and streamed: the dialect switches the driver to streaming
 * ({@link SqlDialect#streamResults}) and rows reach the sink one at a time through one reused
 * row, so memory does not grow with the session. Values are normalised as in the other sources;
 * one that is not valid for its column (an integer column holding {@code "abc"}) is reported to
 * the sink as a {@code bad_value} warning and its row skipped, never read as null.
 *
 * <p>Failures are {@link LogSourceException}s: {@code UNAVAILABLE} (the database is unreachable or
 * failed), {@code AUTHENTICATION}, {@code SCHEMA} (table or column missing), {@code BAD_INPUT} (no
 * such file, no driver for the URL, a cursor this source did not issue), {@code INTERRUPTED} (the
 * result broke off, or {@link #close()} cancelled the read: what was delivered is incomplete).
 *
 * <p>Thread-safe: each read borrows its own connection from the data source and gives it back.
 */
public final class JdbcLogSource implements LogSource {
  /** Rows per round trip unless configured otherwise. */
  public static final int DEFAULT_FETCH_SIZE = 10_000;

  private final Connector connector;
  private final int fetchSize;

  private JdbcLogSource(Builder b) {
    this.connector = new Connector(b.dataSource, b.owned, b.table, b.relation, b.mapping, b.dialect,
        b.queryTimeout, b.name);
    this.fetchSize = b.fetchSize;
  }

  /** A builder over {@code dataSource} (reads {@code unified_logs} by default). */
  public static Builder builder(DataSource dataSource) {
    return new Builder(Objects.requireNonNull(dataSource, "dataSource"));
  }

  /**
   * The one call a command line needs: a connected source over a JDBC URL (so that a wrong URL,
   * password, table or schema fails here, with a message naming it). The driver must be on the
   * class path. For ClickHouse URLs the source switches to clickhouse-jdbc's v1 driver with its
   * known-good settings when the server is too old for the default one (18.16, say).
   *
   * <pre>{@code
   * LogSource source = JdbcLogSource.open("jdbc:duckdb:/data/logs.duckdb", null, null, "unified_logs", "auto");
   * }</pre>
   *
   * @param url e.g. {@code jdbc:duckdb:/data/logs.duckdb}, {@code jdbc:sqlite:logs.db}, {@code
   *     jdbc:clickhouse://localhost:8123/default}
   * @param user the user, or null for none
   * @param password the password, or null for none
   * @param table the table (dots separate a schema or database), or null for {@code unified_logs}
   * @param schema {@code windlass}, {@code rvbbit}, or {@code auto} (or null) to detect it
   * @throws LogSourceException when the database cannot be used (the reason says why), or {@code
   *     BAD_INPUT} for an unknown schema name or a URL no driver accepts
   */
  public static JdbcLogSource open(String url, String user, String password, String table, String schema) {
    Objects.requireNonNull(url, "url");
    if (!url.startsWith("jdbc:")) {
      throw new LogSourceException(Reason.BAD_INPUT, "not a JDBC URL (they start with jdbc:): " + url);
    }
    Properties properties = new Properties();
    if (user != null) {
      properties.setProperty("user", user);
    }
    if (password != null) {
      properties.setProperty("password", password);
    }
    UrlDataSource ds = new UrlDataSource(url, properties);
    Builder b = builder(ds).table(table == null ? "unified_logs" : table).name(ds.displayUrl());
    schema(b, schema);
    return connected(b.build());
  }

  /**
   * A connected source over Parquet files (the original system's {@code data/log_*.parquet}): one
   * file, or every {@code *.parquet} file of a directory (not recursive; listed again for each
   * query, so new files are seen), read by an in-process DuckDB with {@code read_parquet} (the
   * DuckDB JDBC driver, {@code org.duckdb:duckdb_jdbc}, must be on the class path). A session is
   * filtered inside DuckDB, which skips the row groups whose statistics exclude it, so one session
   * is read without loading the rest.
   *
   * @param schema {@code windlass}, {@code rvbbit}, or {@code auto} (or null)
   * @throws LogSourceException {@code BAD_INPUT} when there is no such file or no Parquet file in
   *     the directory, or the files are not Parquet
   */
  public static JdbcLogSource parquet(Path fileOrDirectory, String schema) {
    return duckDbFiles(fileOrDirectory, ".parquet", "read_parquet", ", union_by_name = true", schema);
  }

  /** {@link #parquet(Path, String)} with the mapping detected. */
  public static JdbcLogSource parquet(Path fileOrDirectory) {
    return parquet(fileOrDirectory, null);
  }

  /**
   * A connected source over JSON Lines files through DuckDB's {@code read_ndjson}: one file, or
   * every {@code *.jsonl} file of a directory. Column types are inferred by DuckDB from the data.
   * (The JSONL source in flow-core reads such files without a database; this one is for hosts
   * that want DuckDB's scan.)
   */
  public static JdbcLogSource ndjson(Path fileOrDirectory, String schema) {
    return duckDbFiles(fileOrDirectory, ".jsonl", "read_ndjson", ", union_by_name = true", schema);
  }

  private static JdbcLogSource duckDbFiles(Path path, String extension, String function, String options,
      String schema) {
    if (!Files.exists(path)) {
      throw new LogSourceException(Reason.BAD_INPUT, "no such file or directory: " + path.toAbsolutePath());
    }
    Supplier<String> relation = () -> {
      List<Path> files = files(path, extension);
      StringBuilder list = new StringBuilder("[");
      for (Path f : files) {
        list.append(list.length() > 1 ? ", " : "").append(SqlDialect.DUCKDB.literal(f.toAbsolutePath().toString()));
      }
      return function + "(" + list.append(']') + options + ")";
    };
    relation.get(); // fails now for an empty directory
    UrlDataSource ds = new UrlDataSource("jdbc:duckdb:", new Properties());
    Builder b = builder(ds).from(relation).dialect(SqlDialect.DUCKDB).name(path.toString());
    schema(b, schema);
    return connected(b.build());
  }

  private static List<Path> files(Path path, String extension) {
    if (!Files.isDirectory(path)) {
      if (!Files.isReadable(path)) {
        throw new LogSourceException(Reason.BAD_INPUT, "cannot read " + path.toAbsolutePath());
      }
      return List.of(path);
    }
    List<Path> files = new ArrayList<>();
    try (var listing = Files.list(path)) {
      listing.filter(f -> Files.isRegularFile(f) && f.getFileName().toString().endsWith(extension))
          .sorted()
          .forEach(files::add);
    } catch (java.io.IOException | java.io.UncheckedIOException e) {
      throw new LogSourceException(Reason.BAD_INPUT, "cannot list " + path + ": " + e.getMessage(), e);
    }
    if (files.isEmpty()) {
      throw new LogSourceException(Reason.BAD_INPUT, "no *" + extension + " files in " + path.toAbsolutePath());
    }
    return files;
  }

  private static void schema(Builder b, String schema) {
    if (schema == null || schema.equalsIgnoreCase("auto")) {
      b.detectMapping();
    } else {
      b.mapping(ColumnMapping.preset(schema).orElseThrow(() -> new LogSourceException(Reason.BAD_INPUT,
          "unknown schema '" + schema + "': use windlass, rvbbit or auto")));
    }
  }

  private static JdbcLogSource connected(JdbcLogSource source) {
    try {
      source.connect();
    } catch (RuntimeException e) {
      source.close();
      throw e;
    }
    return source;
  }

  /**
   * Connects now rather than on first use: checks the database, the relation and its columns.
   * Idempotent; a failed attempt is retried by the next call.
   *
   * @throws LogSourceException naming what is wrong
   */
  public void connect() {
    connector.connection();
  }

  /** The column mapping in use: the configured one or the detected one (connects if needed). */
  public ColumnMapping mapping() {
    return connector.connection().plan().mapping();
  }

  /** The dialect in use: the configured one or the detected one (connects if needed). */
  public SqlDialect dialect() {
    return connector.connection().dialect();
  }

  /** The SQL a read of {@code query} sends (with {@code ?} for its parameters), for diagnostics. */
  public String selectSql(SessionQuery query) {
    Connector.Connected c = connector.connection();
    return c.plan().sessionSelect(c.relation(), !Double.isNaN(query.fromTimestamp()),
        !Double.isNaN(query.toTimestamp()));
  }

  @Override
  public long read(SessionQuery query, RowSink rows) {
    Objects.requireNonNull(rows, "sink");
    // rows arrive with their whole content; a query that bounds it gets it cut
    RowSink sink = query.wantsContent() ? dev.execflow.spi.ContentCut.cutting(rows, query.contentLimit()) : rows;
    Connector.Connected c = connector.connection();
    String id = query.sessionId();
    String what = "reading session " + SessionIds.describe(id) + " from " + c.description();
    SessionIds.requireWellFormed(id, what);
    boolean from = !Double.isNaN(query.fromTimestamp()) && c.plan().timeInSql();
    boolean to = !Double.isNaN(query.toTimestamp()) && c.plan().timeInSql();
    String sql = c.plan().sessionSelect(connector.relation(c), from, to);
    long delivered = 0;
    long seen = 0;
    Connection connection = connector.borrow(what);
    PreparedStatement ps = null;
    SqlDialect.Undo undo = SqlDialect.Undo.NOTHING;
    try {
      ps = connector.prepare(connection, sql, what);
      undo = c.dialect().streamResults(connection, ps, fetchSize);
      int p = 1;
      ps.setString(p++, id);
      if (from) {
        ps.setDouble(p++, query.fromTimestamp() - 1);
      }
      if (to) {
        ps.setDouble(p, query.toTimestamp() + 1);
      }
      RowReader reader = c.plan().reader(id);
      try (ResultSet rs = ps.executeQuery()) {
        while (rs.next()) {
          seen++;
          if ((seen & 0xFFF) == 0 && (connector.isClosed() || Thread.currentThread().isInterrupted())) {
            throw Connector.cancelled(what, delivered);
          }
          String problem = reader.read(rs);
          if (problem != null) {
            sink.warning(dev.execflow.spi.WarningKind.BAD_VALUE, SessionIds.describe(id) + " row " + seen + ": " + problem);
            continue;
          }
          if (!query.covers(reader.row().timestamp())) {
            continue;
          }
          delivered++;
          sink.accept(reader.row());
        }
      }
      if (connector.isClosed()) {
        // a cancelled statement can look like a clean end: never pass that off as complete
        throw Connector.cancelled(what, delivered);
      }
      return delivered;
    } catch (SQLException e) {
      if (connector.isClosed()) {
        throw Connector.cancelled(what, delivered);
      }
      if (seen == 0) {
        throw Errors.translate(e, what);
      }
      throw new LogSourceException(Reason.INTERRUPTED, "the database stopped sending after " + delivered
          + " rows while " + what + " (" + Errors.rootMessage(e) + "); the rows delivered so far are incomplete", e);
    } finally {
      connector.release(connection, ps, undo);
    }
  }

  /**
   * Lists sessions newest first (by first timestamp, then session id), with one aggregating query:
   * cascade, first and last timestamp, status from the latest terminal row (running without one),
   * cost with each LLM call counted once, row count; filters by cascade and status; keyed cursor.
   *
   * @throws LogSourceException {@code UNSUPPORTED} when the timestamp column is text; {@code
   *     BAD_INPUT} for a cursor this source did not issue
   */
  @Override
  public SessionPage listSessions(SessionListQuery query) {
    return SessionListing.page(connector, query);
  }

  /**
   * Cancels reads in progress (they throw {@code INTERRUPTED}) and refuses new ones; closes the
   * data source if this source opened it ({@link #open}, {@link #parquet}), never a host's.
   */
  @Override
  public void close() {
    connector.close();
  }

  @Override
  public String toString() {
    return "JdbcLogSource[" + connector.description() + "]";
  }

  /** Settings for {@link JdbcLogSource}. */
  public static final class Builder {
    private final DataSource dataSource;
    private AutoCloseable owned;
    private String table = "unified_logs";
    private Supplier<String> relation;
    private ColumnMapping mapping;
    private SqlDialect dialect;
    private int fetchSize = DEFAULT_FETCH_SIZE;
    private Duration queryTimeout;
    private String name;

    private Builder(DataSource dataSource) {
      this.dataSource = dataSource;
    }

    /**
     * The table (default {@code unified_logs}); dots separate a schema or database from the
     * name, each part quoted by the dialect.
     */
    public Builder table(String table) {
      this.table = Objects.requireNonNull(table, "table");
      if (table.isEmpty()) {
        throw new IllegalArgumentException("empty table name");
      }
      this.relation = null;
      return this;
    }

    /**
     * Reads from a relation written as SQL instead of a table: a view, a subquery in parentheses,
     * or a table function such as {@code read_parquet('logs/*.parquet')}. It is the host's SQL,
     * put into every query as it is: never build it from a request.
     */
    public Builder from(String sqlRelation) {
      Objects.requireNonNull(sqlRelation, "sqlRelation");
      return from(() -> sqlRelation);
    }

    Builder from(Supplier<String> sqlRelation) {
      this.relation = sqlRelation;
      return this;
    }

    /** The column names to read; by default detected on connect (see {@link #detectMapping}). */
    public Builder mapping(ColumnMapping mapping) {
      this.mapping = Objects.requireNonNull(mapping, "mapping");
      return this;
    }

    /**
     * Picks the preset from the relation's columns on connect ({@code cell_name} or {@code
     * candidate_index} means RVBBIT, else WINDLASS) and reads columns the relation lacks as null.
     * The default.
     */
    public Builder detectMapping() {
      this.mapping = null;
      return this;
    }

    /** The SQL dialect; by default the preset for the database's product name, else ANSI. */
    public Builder dialect(SqlDialect dialect) {
      this.dialect = Objects.requireNonNull(dialect, "dialect");
      return this;
    }

    /** Rows per round trip for drivers that fetch in batches (default {@value #DEFAULT_FETCH_SIZE}). */
    public Builder fetchSize(int rows) {
      if (rows < 1) {
        throw new IllegalArgumentException("fetch size must be positive, was " + rows);
      }
      this.fetchSize = rows;
      return this;
    }

    /** A limit on each query ({@code Statement.setQueryTimeout}, whole seconds); none by default. */
    public Builder queryTimeout(Duration timeout) {
      if (timeout == null || timeout.isNegative() || timeout.isZero()) {
        throw new IllegalArgumentException("query timeout must be positive: " + timeout);
      }
      this.queryTimeout = timeout;
      return this;
    }

    /** How messages name the database (default: its URL without query string). */
    public Builder name(String name) {
      this.name = Objects.requireNonNull(name, "name");
      return this;
    }

    /** Closes {@code resource} (say, a pool made for this source only) when the source is closed. */
    public Builder closing(AutoCloseable resource) {
      this.owned = Objects.requireNonNull(resource, "resource");
      return this;
    }

    public JdbcLogSource build() {
      return new JdbcLogSource(this);
    }
  }
}
