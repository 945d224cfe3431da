package dev.execflow.source.clickhouse;

import dev.execflow.source.clickhouse.testing.ClickHouseServer;
import dev.execflow.source.clickhouse.testing.LogTable;
import dev.execflow.spi.Column;
import dev.execflow.spi.ColumnMapping;
import dev.execflow.spi.LogRow;
import dev.execflow.spi.MutableLogRow;
import java.util.ArrayList;
import java.util.List;

import java.util.Map;
import java.util.UUID;

/**
 * The later ("RVBBIT") schema for tests: cells and candidates instead of phases and soundings, a
 * message id per row (a row logged twice keeps its id), and on servers that have them a
 * DateTime64(6) timestamp and a UUID id (18.16: Float64 and String).
 */
final class LaterSchema {
  private static final Map<String, String> WORDS = Map.of(
      "phase", "cell", "phase_start", "cell_start", "phase_complete", "cell_complete", "phase_error", "cell_error",
      "sounding_attempt", "candidate_attempt", "sounding_error", "candidate_error", "soundings_result",
      "candidates_result");

  private LaterSchema() {}

  /** The same rows as the later schema's logger writes them. */
  static List<LogRow> translate(List<LogRow> rows) {
    List<LogRow> out = new ArrayList<>(rows.size());
    LogRow previous = null;
    int n = 0;
    for (LogRow row : rows) {
      MutableLogRow r = new MutableLogRow().copyFrom(row);
      r.nodeType(word(row.nodeType())).role(word(row.role()));
      boolean twice = previous != null && previous.timestamp() == row.timestamp()
          && java.util.Objects.equals(previous.traceId(), row.traceId())
          && java.util.Objects.equals(previous.nodeType(), row.nodeType());
      r.messageId(twice ? previous.messageId() : new UUID(row.sessionId().hashCode(), n++).toString());
      out.add(r);
      previous = r;
    }
    return out;
  }

  private static String word(String w) {
    return w == null ? null : WORDS.getOrDefault(w, w);
  }

  /** Creates {@code name} in the later schema's names (and types, where the server has them) and loads {@code rows}. */
  static void load(ClickHouseServer server, String name, List<LogRow> rows) {
    boolean modern = server.majorVersion() >= 21;
    String staging = modern ? name + "_staging" : name;
    List<LogTable.Col> cols = new ArrayList<>();
    for (Column c : Column.values()) {
      String physical = ColumnMapping.RVBBIT.name(c);
      cols.add(new LogTable.Col(physical, LogTable.windlass("x").columns().get(c.ordinal()).type(), c));
    }
    LogTable.of(staging, cols, "(session_id, timestamp)").create(server).insert(server, rows);
    if (!modern) {
      return;
    }
    StringBuilder ddl = new StringBuilder();
    for (LogTable.Col c : cols) {
      String type = c.logical() == Column.TIMESTAMP ? "DateTime64(6, 'UTC')"
          : c.logical() == Column.MESSAGE_ID ? "Nullable(UUID)" : c.type();
      ddl.append(ddl.length() == 0 ? "" : ", ").append('`').append(c.name()).append("` ").append(type);
    }
    server.execute("DROP TABLE IF EXISTS " + server.qualified(name));
    server.execute("CREATE TABLE " + server.qualified(name) + " (" + ddl + ") ENGINE = MergeTree"
        + " ORDER BY (session_id, timestamp)");
    server.execute("INSERT INTO " + server.qualified(name) + " SELECT * REPLACE (toDateTime64(timestamp, 6, 'UTC')"
        + " AS timestamp, toUUIDOrNull(message_id) AS message_id) FROM " + server.qualified(staging));
  }

}
