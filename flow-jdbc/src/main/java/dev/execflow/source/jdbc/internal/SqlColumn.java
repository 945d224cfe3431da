package dev.execflow.source.jdbc.internal;

import java.sql.ResultSetMetaData;
import java.sql.SQLException;
import java.sql.Types;
import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.Map;

/**
 * One column of the relation as the driver describes it, reduced to what decides how its values
 * are read.
 *
 * @param name the column's name as the database spells it
 * @param typeName the driver's type name, e.g. {@code DOUBLE}, {@code Nullable(String)}, {@code
 *     TIMESTAMP WITH TIME ZONE}
 * @param kind how values are read
 * @param blankIsNull whether the column is declared NOT NULL, so that an empty string stands for
 *     "no value" (as ClickHouse's non-Nullable String columns store it)
 */
public record SqlColumn(String name, String typeName, Kind kind, boolean blankIsNull) {

  /** How a column's values are read. */
  public enum Kind { TEXT, JSON, INTEGER, FLOAT, BOOLEAN, TEMPORAL, OTHER }

  /** The columns of a result, in order, by name. */
  public static Map<String, SqlColumn> of(ResultSetMetaData md) throws SQLException {
    Map<String, SqlColumn> columns = new LinkedHashMap<>();
    for (int i = 1; i <= md.getColumnCount(); i++) {
      String label = md.getColumnLabel(i);
      String name = label == null || label.isEmpty() ? md.getColumnName(i) : label;
      String typeName = md.getColumnTypeName(i);
      columns.put(name, new SqlColumn(name, typeName == null ? "" : typeName,
          kind(md.getColumnType(i), typeName), md.isNullable(i) == ResultSetMetaData.columnNoNulls));
    }
    return columns;
  }

  static Kind kind(int jdbcType, String typeName) {
    if ("JSON".equalsIgnoreCase(typeName)) {
      // DuckDB's type for a JSON Lines field whose values differ in type: its text is JSON
      return Kind.JSON;
    }
    switch (jdbcType) {
      case Types.CHAR:
      case Types.VARCHAR:
      case Types.LONGVARCHAR:
      case Types.NCHAR:
      case Types.NVARCHAR:
      case Types.LONGNVARCHAR:
      case Types.CLOB:
      case Types.NCLOB:
        return Kind.TEXT;
      case Types.TINYINT:
      case Types.SMALLINT:
      case Types.INTEGER:
      case Types.BIGINT:
        return Kind.INTEGER;
      case Types.REAL:
      case Types.FLOAT:
      case Types.DOUBLE:
      case Types.DECIMAL:
      case Types.NUMERIC:
        return Kind.FLOAT;
      case Types.BIT:
      case Types.BOOLEAN:
        return Kind.BOOLEAN;
      case Types.DATE:
      case Types.TIMESTAMP:
      case Types.TIMESTAMP_WITH_TIMEZONE:
        return Kind.TEMPORAL;
      default:
        String t = typeName == null ? "" : typeName.toUpperCase(Locale.ROOT);
        // UUID, ENUM and the like arrive as text through getString
        if (t.contains("UUID") || t.contains("JSON") || t.contains("ENUM") || t.contains("STRING")
            || t.contains("CHAR") || t.contains("TEXT")) {
          return Kind.TEXT;
        }
        if (t.contains("TIMESTAMP") || t.contains("DATETIME")) {
          return Kind.TEMPORAL;
        }
        return Kind.OTHER;
    }
  }

  /** Whether the column holds numbers (read with getLong/getDouble). */
  public boolean numeric() {
    return kind == Kind.INTEGER || kind == Kind.FLOAT;
  }
}
