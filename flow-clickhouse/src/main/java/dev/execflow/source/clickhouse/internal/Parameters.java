package dev.execflow.source.clickhouse.internal;

import java.util.HashMap;
import java.util.Map;

/**
 * String values for one query: bound as query parameters ({@code {name:String}}) where the server
 * supports them, else inlined with {@link Sql#literal}. The SQL is written once either way.
 */
public final class Parameters {
  private final boolean bind;
  private final Map<String, Object> values = new HashMap<>();

  public Parameters(boolean bind) {
    this.bind = bind;
  }

  /** The SQL text standing for {@code value}: a placeholder or a literal. */
  public String string(String name, String value) {
    if (bind) {
      // the same check as for a literal: an unpaired surrogate would be sent as '?'
      Sql.requireWellFormed(value);
      values.put(name, escaped(value));
      return "{" + name + ":String}";
    }
    return Sql.literal(value);
  }

  /**
   * A value in the form the server parses {@code param_<name>} in: ClickHouse's "escaped" text form
   * (that of a TabSeparated field), which client-v2 leaves to the caller (it sends the value as it
   * is). Unescaped, a backslash starts an escape ({@code a\x41} would select session {@code aA}) and
   * a tab or newline ends the value (the server refuses it as not parsed completely).
   */
  static String escaped(String value) {
    StringBuilder out = null;
    for (int i = 0; i < value.length(); i++) {
      char c = value.charAt(i);
      String replacement = c == '\\' ? "\\\\" : c == '\t' ? "\\t" : c == '\n' ? "\\n" : null;
      if (replacement != null && out == null) {
        out = new StringBuilder(value.length() + 8).append(value, 0, i);
      }
      if (out != null) {
        if (replacement != null) {
          out.append(replacement);
        } else {
          out.append(c);
        }
      }
    }
    return out == null ? value : out.toString();
  }

  /** The values to send with the query (empty when inlined). */
  public Map<String, Object> values() {
    return values;
  }
}
