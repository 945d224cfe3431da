package dev.execflow.assemble;

import dev.execflow.spi.LogRow;

/** How warnings quote a row's values: short, and null as {@code null}. */
final class RowText {
  private RowText() {}

  static String nonEmpty(String s) {
    return s == null || s.isBlank() ? null : s;
  }

  /** {@code 'node_type'/'role'} of a row. */
  static String describe(LogRow row) {
    return quote(row.nodeType()) + "/" + quote(row.role());
  }

  static String quote(String s) {
    return s == null ? "null" : "'" + RowJson.preview(s, 60) + "'";
  }
}
