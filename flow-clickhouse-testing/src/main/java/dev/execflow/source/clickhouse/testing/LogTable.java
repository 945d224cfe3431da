package dev.execflow.source.clickhouse.testing;

import dev.execflow.spi.Column;
import dev.execflow.spi.LogRow;
import dev.execflow.spi.RowSink;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.StringJoiner;

/**
 * A {@code unified_logs}-like table in a test server: its DDL, and a bulk loader that streams rows
 * to it as {@code INSERT ... FORMAT RowBinary} (exact: a Float64 timestamp arrives bit for bit,
 * which a text format would not promise on 18.16), never holding them in memory.
 *
 * <pre>{@code
 * LogTable table = LogTable.windlass("logs_my_test");
 * table.create(server);
 * table.insert(server, rows);
 * }</pre>
 */
public final class LogTable {
  /**
   * One physical column: its name, its ClickHouse type, and the logical column it stores (null:
   * always written as the type's default).
   */
  public record Col(String name, String type, Column logical) {}

  private final String name;
  private final List<Col> columns;
  private final String orderBy;
  /** Whether inserts go through a Distributed table (and wait until the shards have the rows). */
  private final boolean distributed;

  private LogTable(String name, List<Col> columns, String orderBy) {
    this(name, columns, orderBy, false);
  }

  private LogTable(String name, List<Col> columns, String orderBy, boolean distributed) {
    this.name = name;
    this.columns = List.copyOf(columns);
    this.orderBy = orderBy;
    this.distributed = distributed;
  }

  /**
   * The first ("windlass") schema as the tests store it on every server, 18.16 included: Float64
   * timestamps, UInt8 {@code is_winner}, nullable everything else, every logical column present.
   */
  public static LogTable windlass(String name) {
    List<Col> cols = new ArrayList<>();
    for (Column c : Column.values()) {
      cols.add(new Col(c.name().toLowerCase(java.util.Locale.ROOT), windlassType(c), c));
    }
    return new LogTable(name, cols, "(session_id, timestamp)");
  }

  private static String windlassType(Column c) {
    switch (c) {
      case TIMESTAMP: return "Float64";
      case SESSION_ID: return "String";
      case DEPTH: case SOUNDING_INDEX: case WINNING_SOUNDING_INDEX: case REFORGE_STEP:
      case ATTEMPT_NUMBER: case TURN_NUMBER:
        return "Nullable(Int32)";
      case TOKENS_IN: case TOKENS_OUT: return "Nullable(Int64)";
      case IS_WINNER: return "Nullable(UInt8)";
      case COST: case DURATION_MS: return "Nullable(Float64)";
      default: return "Nullable(String)";
    }
  }

  /** Any layout: the columns in order, and the MergeTree sorting key. */
  public static LogTable of(String name, List<Col> columns, String orderBy) {
    return new LogTable(name, columns, orderBy);
  }

  public String name() {
    return name;
  }

  public List<Col> columns() {
    return columns;
  }

  /** Drops any table of this name in the server's test database and creates this one. */
  public LogTable create(ClickHouseServer server) {
    return create(server, server.database());
  }

  /** Drops any table of this name in {@code database} and creates this one there (a MergeTree). */
  public LogTable create(ClickHouseServer server, String database) {
    String qualified = ClickHouseServer.quote(database) + "." + ClickHouseServer.quote(name);
    server.execute("DROP TABLE IF EXISTS " + qualified);
    server.execute("CREATE TABLE " + qualified + " " + columnList() + " ENGINE = MergeTree ORDER BY " + orderBy);
    return this;
  }

  /**
   * This table in each database of {@link ClickHouseServer#SHARD_DATABASES} and, in the test
   * database, a {@code Distributed} table of the same name over them whose rows go to a shard by
   * {@code rand()} (not by session: one session's rows end up on both). Inserts go through it.
   */
  public LogTable createDistributed(ClickHouseServer server) {
    for (String shard : ClickHouseServer.SHARD_DATABASES) {
      create(server, shard);
    }
    server.execute("DROP TABLE IF EXISTS " + server.qualified(name));
    server.execute("CREATE TABLE " + server.qualified(name) + " " + columnList() + " ENGINE = Distributed("
        + ClickHouseServer.CLUSTER + ", '', " + ClickHouseServer.quote(name) + ", rand())");
    return new LogTable(name, columns, orderBy, true);
  }

  private String columnList() {
    StringJoiner cols = new StringJoiner(",\n  ", "(\n  ", "\n)");
    for (Col c : columns) {
      cols.add(ClickHouseServer.quote(c.name()) + " " + c.type());
    }
    return cols.toString();
  }

  /** Streams {@code rows} into the table in one INSERT; returns how many were sent. */
  public long insert(ClickHouseServer server, Iterable<? extends LogRow> rows) {
    return insert(server, rows.iterator());
  }

  /** Streams {@code rows} (each may be a reused flyweight) into the table in one INSERT. */
  public long insert(ClickHouseServer server, Iterator<? extends LogRow> rows) {
    long[] count = {0};
    server.stream(insertQuery(server), insertSettings(), out -> {
      byte[] scratch = new byte[8];
      while (rows.hasNext()) {
        writeRow(out, scratch, rows.next());
        count[0]++;
      }
    });
    return count[0];
  }

  /**
   * Streams the rows a producer pushes (e.g. {@code sink -> generator.generate(n, sink)}) into the
   * table in one INSERT; returns how many were sent.
   */
  public long insert(ClickHouseServer server, java.util.function.Consumer<RowSink> producer) {
    long[] count = {0};
    server.stream(insertQuery(server), insertSettings(), out -> {
      byte[] scratch = new byte[8];
      try {
        producer.accept(row -> {
          try {
            writeRow(out, scratch, row);
          } catch (IOException e) {
            throw new java.io.UncheckedIOException(e);
          }
          count[0]++;
        });
      } catch (java.io.UncheckedIOException e) {
        throw e.getCause();
      }
    });
    return count[0];
  }

  /** A Distributed table forwards the rows to its shards before the INSERT returns. */
  private java.util.Map<String, String> insertSettings() {
    return distributed ? java.util.Map.of("insert_distributed_sync", "1") : java.util.Map.of();
  }

  private String insertQuery(ClickHouseServer server) {
    StringJoiner names = new StringJoiner(", ", "(", ")");
    columns.forEach(c -> names.add(ClickHouseServer.quote(c.name())));
    return "INSERT INTO " + server.qualified(name) + " " + names + " FORMAT RowBinary";
  }

  private void writeRow(OutputStream out, byte[] scratch, LogRow row) throws IOException {
    for (Col c : columns) {
      write(out, scratch, c.type(), c.logical() == null ? null : value(row, c.logical()));
    }
  }

  /** The logical value of {@code column} in {@code row} as String, Integer, Long, Double, Boolean or null. */
  static Object value(LogRow row, Column column) {
    switch (column) {
      case TIMESTAMP: return nan(row.timestamp());
      case SESSION_ID: return row.sessionId();
      case TRACE_ID: return row.traceId();
      case PARENT_ID: return row.parentId();
      case MESSAGE_ID: return row.messageId();
      case NODE_TYPE: return row.nodeType();
      case ROLE: return row.role();
      case PHASE_NAME: return row.phaseName();
      case CASCADE_ID: return row.cascadeId();
      case MODEL: return row.model();
      case DEPTH: return integer(row.depth());
      case SOUNDING_INDEX: return integer(row.soundingIndex());
      case WINNING_SOUNDING_INDEX: return integer(row.winningSoundingIndex());
      case REFORGE_STEP: return integer(row.reforgeStep());
      case ATTEMPT_NUMBER: return integer(row.attemptNumber());
      case TURN_NUMBER: return integer(row.turnNumber());
      case IS_WINNER: return row.isWinner();
      case COST: return nan(row.cost());
      case TOKENS_IN: return row.tokensIn() == LogRow.NO_LONG ? null : row.tokensIn();
      case TOKENS_OUT: return row.tokensOut() == LogRow.NO_LONG ? null : row.tokensOut();
      case DURATION_MS: return nan(row.durationMs());
      case CONTENT_JSON: return row.contentJson();
      case METADATA_JSON: return row.metadataJson();
      default: throw new IllegalArgumentException(column.name());
    }
  }

  private static Integer integer(int v) {
    return v == LogRow.NO_INT ? null : v;
  }

  private static Double nan(double v) {
    return Double.isNaN(v) ? null : v;
  }

  private static void write(OutputStream out, byte[] b, String type, Object value) throws IOException {
    if (type.startsWith("Nullable(")) {
      if (value == null) {
        out.write(1);
        return;
      }
      out.write(0);
      type = type.substring("Nullable(".length(), type.length() - 1);
    }
    switch (type) {
      case "String":
        byte[] bytes = value == null ? new byte[0] : text(value).getBytes(StandardCharsets.UTF_8);
        long n = bytes.length;
        while ((n & ~0x7FL) != 0) {
          out.write((int) ((n & 0x7F) | 0x80));
          n >>>= 7;
        }
        out.write((int) n);
        out.write(bytes);
        break;
      case "Float64":
        le(out, b, Double.doubleToRawLongBits(value == null ? 0 : ((Number) value).doubleValue()), 8);
        break;
      case "Int64":
        le(out, b, value == null ? 0 : ((Number) value).longValue(), 8);
        break;
      case "Int32":
        le(out, b, value == null ? 0 : ((Number) value).intValue(), 4);
        break;
      case "UInt8":
        out.write(value == null ? 0 : value instanceof Boolean ? ((Boolean) value ? 1 : 0) : ((Number) value).intValue());
        break;
      case "DateTime":
        le(out, b, value == null ? 0 : (long) Math.floor(((Number) value).doubleValue()), 4);
        break;
      default:
        throw new IllegalArgumentException("LogTable cannot write type " + type);
    }
  }

  private static String text(Object value) {
    if (value instanceof Boolean) {
      return (Boolean) value ? "1" : "0";
    }
    if (value instanceof Double && ((Double) value) == Math.rint((Double) value)
        && Math.abs((Double) value) < 1e15) {
      return Long.toString(((Double) value).longValue());
    }
    return value.toString();
  }

  private static void le(OutputStream out, byte[] b, long v, int size) throws IOException {
    for (int i = 0; i < size; i++) {
      b[i] = (byte) (v >>> (8 * i));
    }
    out.write(b, 0, size);
  }
}
