package dev.execflow.source.clickhouse.internal;

import java.util.Locale;

/**
 * A column's ClickHouse type as {@code DESCRIBE TABLE} prints it, reduced to what decides how
 * execflow casts it onto the wire.
 *
 * @param text the type as the server printed it, e.g. {@code LowCardinality(Nullable(String))}
 * @param base the type without Nullable/LowCardinality wrappers, e.g. {@code String}
 * @param family the base type's family
 * @param nullable whether the column can hold NULL
 */
public record ColumnType(String text, String base, Family family, boolean nullable) {

  /** What a base type is, for casting. */
  public enum Family { STRING, INTEGER, FLOAT, BOOL, DATETIME, DATETIME64, OTHER }

  public static ColumnType parse(String text) {
    String t = text.trim();
    boolean nullable = false;
    boolean unwrapped = true;
    while (unwrapped) {
      unwrapped = false;
      for (String wrapper : new String[] {"Nullable(", "LowCardinality("}) {
        if (t.startsWith(wrapper) && t.endsWith(")")) {
          nullable |= wrapper.equals("Nullable(");
          t = t.substring(wrapper.length(), t.length() - 1).trim();
          unwrapped = true;
        }
      }
    }
    return new ColumnType(text.trim(), t, family(t), nullable);
  }

  /** Whether the base type is plain {@code String} (compared and cast without conversion). */
  public boolean plainString() {
    return base.equals("String");
  }

  private static Family family(String base) {
    String name = base.contains("(") ? base.substring(0, base.indexOf('(')) : base;
    switch (name) {
      case "String":
      case "FixedString":
      case "UUID":
      case "Enum8":
      case "Enum16":
      case "Enum":
        return Family.STRING;
      case "Bool":
      case "Boolean":
        return Family.BOOL;
      case "Float32":
      case "Float64":
      case "Decimal":
      case "Decimal32":
      case "Decimal64":
      case "Decimal128":
      case "Decimal256":
        return Family.FLOAT;
      case "DateTime":
        return Family.DATETIME;
      case "DateTime64":
        return Family.DATETIME64;
      default:
        String lower = name.toLowerCase(Locale.ROOT);
        if (lower.matches("u?int(8|16|32|64|128|256)")) {
          return Family.INTEGER;
        }
        return Family.OTHER;
    }
  }
}
