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
      values.put(name, value);
      return "{" + name + ":String}";
    }
    return Sql.literal(value);
  }

  /** The values to send with the query (empty when inlined). */
  public Map<String, Object> values() {
    return values;
  }
}
