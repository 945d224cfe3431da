package dev.execflow.testing;

import dev.execflow.spi.Column;
import dev.execflow.spi.LogRow;
import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.Map;

/**
 * Rows as maps, so tests compare them with a readable diff.
 *
 * <pre>{@code
 * assertThat(LogRows.asMap(read, true)).isEqualTo(LogRows.asMap(written, true));
 * }</pre>
 */
public final class LogRows {
  private LogRows() {}

  /**
   * Every logical column of {@code row} in {@link Column} order, keyed by {@link #key}, nulls
   * included; {@code content_json} only if {@code includeContent}.
   */
  public static Map<String, Object> asMap(LogRow row, boolean includeContent) {
    Map<String, Object> m = new LinkedHashMap<>();
    for (Column column : Column.values()) {
      if (includeContent || column != Column.CONTENT_JSON) {
        m.put(key(column), row.value(column));
      }
    }
    return m;
  }

  /** The key of {@code column} in {@link #asMap}: its name in lower case, e.g. {@code session_id}. */
  public static String key(Column column) {
    return column.name().toLowerCase(Locale.ROOT);
  }

}
