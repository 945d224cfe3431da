package dev.execflow.source.clickhouse;

import com.clickhouse.client.api.Client;
import dev.execflow.assemble.Vocabulary;
import dev.execflow.spi.ColumnMapping;
import dev.execflow.spi.LogSourceException;
import dev.execflow.spi.LogSourceException.Reason;
import java.time.Duration;
import java.util.Objects;

/**
 * Settings for {@link ClickHouseLogSource}; {@link #endpoint} (or {@link #client}) is required.
 *
 * <pre>{@code
 * ClickHouseLogSource source = ClickHouseLogSource.builder()
 *     .endpoint("http://localhost:8123")
 *     .credentials("default", System.getenv("CLICKHOUSE_PASSWORD"))
 *     .table("default", "unified_logs")
 *     .detectMapping()
 *     .build();
 * }</pre>
 */
public final class ClickHouseLogSourceBuilder {
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
  private int contentLimit = ClickHouseLogSource.DEFAULT_CONTENT_LIMIT;
  private boolean contentForEveryRow;
  private Vocabulary vocabulary = Vocabulary.defaults();
  private Client client;
  private Strategy strategy = Strategy.AUTO;
  private long pushdownThreshold = Strategy.DEFAULT_PUSHDOWN_ROWS;
  private int parallelRanges = 1;

  ClickHouseLogSourceBuilder() {}

  /**
   * The HTTP endpoint, e.g. {@code http://localhost:8123}.
   *
   * @throws LogSourceException ({@code BAD_INPUT}) for what is not an {@code http(s)://host[:port]}
   *     URL, and for one that carries credentials (a user and password in it, or {@code user=} /
   *     {@code password=} parameters): those are refused, and never repeated in the message, so
   *     that they end up in no log; give them to {@link #credentials}
   */
  public ClickHouseLogSourceBuilder endpoint(String url) {
    this.endpoint = Endpoints.check(url);
    return this;
  }

  public ClickHouseLogSourceBuilder credentials(String user, String password) {
    this.user = Objects.requireNonNull(user, "user");
    this.password = password == null ? "" : password;
    return this;
  }

  /**
   * Database and table; default {@code default.unified_logs}. The table may be a MergeTree table
   * or a {@code Distributed} table over one (every read and listing query runs on it as it is).
   *
   * @throws LogSourceException ({@code BAD_INPUT}) for an empty name
   */
  public ClickHouseLogSourceBuilder table(String database, String table) {
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
  public ClickHouseLogSourceBuilder mapping(ColumnMapping mapping) {
    this.mapping = Objects.requireNonNull(mapping, "mapping");
    return this;
  }

  /**
   * Picks the preset from the table's columns on connect ({@code cell_name} or {@code
   * candidate_index} means RVBBIT, else WINDLASS) and reads columns the table lacks as null.
   */
  public ClickHouseLogSourceBuilder detectMapping() {
    this.mapping = null;
    return this;
  }

  /**
   * The mapping by its name: {@code windlass} or {@code rvbbit} (a preset, {@link #mapping}), or
   * {@code auto} or null ({@link #detectMapping}); case does not matter.
   *
   * @throws LogSourceException ({@code BAD_INPUT}) for another name
   */
  public ClickHouseLogSourceBuilder schema(String name) {
    if (name == null || name.equalsIgnoreCase("auto")) {
      return detectMapping();
    }
    return mapping(ColumnMapping.preset(name).orElseThrow(() -> new LogSourceException(Reason.BAD_INPUT,
        "unknown schema '" + name + "': use windlass, rvbbit or auto")));
  }

  public ClickHouseLogSourceBuilder compression(Compression compression) {
    this.compression = Objects.requireNonNull(compression, "compression");
    return this;
  }

  /** How long to wait for a TCP connection (default 10 s). */
  public ClickHouseLogSourceBuilder connectTimeout(Duration timeout) {
    this.connectTimeout = positive(timeout);
    return this;
  }

  /** How long a read may wait for the next bytes from the server (default 60 s). */
  public ClickHouseLogSourceBuilder socketTimeout(Duration timeout) {
    this.socketTimeout = positive(timeout);
    return this;
  }

  /** The server-side limit on one query ({@code max_execution_time}); none by default. */
  public ClickHouseLogSourceBuilder maxExecutionTime(Duration limit) {
    this.maxExecutionTime = positive(limit);
    return this;
  }

  /**
   * The bound, in code points, on content sent for a row that needs it (a sounding's preview, a
   * phase named only in its content, a sub-cascade link, an error). Default {@value
   * ClickHouseLogSource#DEFAULT_CONTENT_LIMIT}. A JSON-string content cut there is closed again, so
   * the fold still reads its text; an object content longer than the bound reaches the fold as cut
   * raw text.
   */
  public ClickHouseLogSourceBuilder contentLimit(int codePoints) {
    if (codePoints < 1) {
      throw new IllegalArgumentException("content limit must be positive, was " + codePoints);
    }
    this.contentLimit = codePoints;
    return this;
  }

  /**
   * The vocabulary the listing classifies rows with and the session read decides which rows need
   * their content by (default {@link Vocabulary#defaults()}): give it the assembler's own.
   */
  public ClickHouseLogSourceBuilder vocabulary(Vocabulary vocabulary) {
    this.vocabulary = Objects.requireNonNull(vocabulary, "vocabulary");
    return this;
  }

  /**
   * Sends (cut) content for every row, not only for the rows the default {@code Vocabulary}
   * needs it for: for an assembler configured with a vocabulary of its own.
   */
  public ClickHouseLogSourceBuilder contentForEveryRow() {
    this.contentForEveryRow = true;
    return this;
  }

  /**
   * How a whole session read into an {@code ExecutionAssembler} is folded (default {@link
   * Strategy#AUTO}): every row streamed, most of the fold computed by the server ({@link
   * Strategy#PUSHDOWN}), or chosen by the session's size. The result is the same either way; a plain
   * {@code RowSink} always gets every row.
   */
  public ClickHouseLogSourceBuilder strategy(Strategy strategy) {
    this.strategy = Objects.requireNonNull(strategy, "strategy");
    return this;
  }

  /**
   * The session size (rows) from which {@link Strategy#AUTO} pushes down (default: never, see
   * {@link Strategy#DEFAULT_PUSHDOWN_ROWS}; auto then streams without counting).
   */
  public ClickHouseLogSourceBuilder pushdownThreshold(long rows) {
    if (rows < 0) {
      throw new IllegalArgumentException("pushdown threshold must not be negative, was " + rows);
    }
    this.pushdownThreshold = rows;
    return this;
  }

  /**
   * Streams a whole session into an {@code ExecutionAssembler} as {@code ranges} contiguous time
   * ranges read concurrently, each folded apart and merged in time order (default 1: one read).
   * At most {@code ranges} queries run at once; sessions below the pushdown threshold are read in one.
   */
  public ClickHouseLogSourceBuilder parallelRanges(int ranges) {
    if (ranges < 1 || ranges > 64) {
      throw new IllegalArgumentException("parallel ranges must be 1..64, was " + ranges);
    }
    this.parallelRanges = ranges;
    return this;
  }

  /**
   * Reads through a client the host already owns (its endpoint and credentials are used; close
   * it yourself: {@link ClickHouseLogSource#close()} leaves it open). Compression is still set
   * per query. {@link #endpoint} then only names the server in messages.
   */
  public ClickHouseLogSourceBuilder client(Client client) {
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
    return new ClickHouseLogSource(new Settings(endpoint, user, password, database, table, mapping, compression,
        connectTimeout, socketTimeout, maxExecutionTime, contentLimit, contentForEveryRow, vocabulary, client,
        strategy, pushdownThreshold, parallelRanges));
  }

  /**
   * Builds the source and connects it ({@link ClickHouseLogSource#connect}: the server, the table
   * and its columns are checked now), closing it again when that fails.
   *
   * @throws LogSourceException when the server or the table cannot be used (the reason says why)
   */
  public ClickHouseLogSource connect() {
    ClickHouseLogSource source = build();
    try {
      source.connect();
    } catch (RuntimeException e) {
      source.close();
      throw e;
    }
    return source;
  }

  private static Duration positive(Duration d) {
    if (d == null || d.isNegative() || d.isZero()) {
      throw new IllegalArgumentException("must be positive: " + d);
    }
    return d;
  }
}
