package dev.execflow.source.clickhouse.internal;

import com.clickhouse.client.api.metadata.TableSchema;
import com.clickhouse.data.ClickHouseColumn;
import dev.execflow.spi.Column;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/**
 * What a session read delivers, whatever the table's layout: one fixed wire type per logical
 * column, in one order ({@link #READ} after {@code ts} and {@code bad}). {@link SelectPlan} casts
 * each table's columns onto it and {@link RowDecoder} reads it, so one reader serves every layout
 * and server version.
 */
public final class WireSchema {
  /** How a logical column travels. */
  enum Wire { STRING, INT, FLOAT, FLAG }

  /** The logical columns a read delivers, in wire order after {@code ts} and {@code bad}. */
  static final Column[] READ = {
      Column.TRACE_ID, Column.PARENT_ID, Column.MESSAGE_ID, Column.NODE_TYPE, Column.ROLE,
      Column.PHASE_NAME, Column.CASCADE_ID, Column.MODEL,
      Column.DEPTH, Column.SOUNDING_INDEX, Column.WINNING_SOUNDING_INDEX, Column.REFORGE_STEP,
      Column.ATTEMPT_NUMBER, Column.TURN_NUMBER, Column.IS_WINNER,
      Column.COST, Column.TOKENS_IN, Column.TOKENS_OUT, Column.DURATION_MS,
      Column.CONTENT_JSON, Column.METADATA_JSON};

  /** Wire index of the first {@link #READ} column (0 is the timestamp, 1 the bad-value flag). */
  static final int FIRST = 2;

  /** The reader schema of a session read: the same for every layout. */
  public static final TableSchema WIRE = wireSchema();

  /** The reader schema of a several-session read ({@link SelectPlan#sessionsSelect}): the session id, then {@link #WIRE}. */
  public static final TableSchema WIRE_WITH_SESSION = wireSchemaWithSession();

  private WireSchema() {}

  static Wire wire(Column column) {
    switch (column) {
      case DEPTH:
      case SOUNDING_INDEX:
      case WINNING_SOUNDING_INDEX:
      case REFORGE_STEP:
      case ATTEMPT_NUMBER:
      case TURN_NUMBER:
      case TOKENS_IN:
      case TOKENS_OUT:
        return Wire.INT;
      case IS_WINNER:
        return Wire.FLAG;
      case COST:
      case DURATION_MS:
      case TIMESTAMP:
        return Wire.FLOAT;
      default:
        return Wire.STRING;
    }
  }

  static String wireName(Column column) {
    return column.name().toLowerCase(Locale.ROOT);
  }

  static String wireType(Wire wire) {
    switch (wire) {
      case STRING:
        return "Nullable(String)";
      case FLOAT:
        return "Nullable(Float64)";
      default:
        return "Nullable(Int64)";
    }
  }

  private static TableSchema wireSchema() {
    List<ClickHouseColumn> columns = new ArrayList<>();
    columns.add(ClickHouseColumn.of("ts", "Float64"));
    columns.add(ClickHouseColumn.of("bad", "UInt32"));
    for (Column column : READ) {
      columns.add(ClickHouseColumn.of(wireName(column), wireType(wire(column))));
    }
    return new TableSchema(columns);
  }

  private static TableSchema wireSchemaWithSession() {
    List<ClickHouseColumn> columns = new ArrayList<>();
    columns.add(ClickHouseColumn.of("sid", "String"));
    columns.addAll(WIRE.getColumns());
    return new TableSchema(columns);
  }
}
