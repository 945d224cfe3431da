package dev.execflow.clickhouse;

import dev.execflow.spi.Column;
import dev.execflow.spi.LogRow;
import dev.execflow.spi.MutableLogRow;
import dev.execflow.spi.RowSink;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/** Test helpers: rows as comparable maps, and a sink that keeps copies. */
final class Rows {
  private Rows() {}

  /** Every logical column of {@code row} (nulls included), for equality checks with a readable diff. */
  static Map<String, Object> asMap(LogRow row) {
    Map<String, Object> m = new LinkedHashMap<>();
    m.put("timestamp", row.timestamp());
    m.put("session_id", row.sessionId());
    m.put("trace_id", row.traceId());
    m.put("parent_id", row.parentId());
    m.put("message_id", row.messageId());
    m.put("node_type", row.nodeType());
    m.put("role", row.role());
    m.put("phase_name", row.phaseName());
    m.put("cascade_id", row.cascadeId());
    m.put("model", row.model());
    m.put("depth", row.depth());
    m.put("sounding_index", row.soundingIndex());
    m.put("winning_sounding_index", row.winningSoundingIndex());
    m.put("reforge_step", row.reforgeStep());
    m.put("attempt_number", row.attemptNumber());
    m.put("turn_number", row.turnNumber());
    m.put("is_winner", row.isWinner());
    m.put("cost", row.cost());
    m.put("tokens_in", row.tokensIn());
    m.put("tokens_out", row.tokensOut());
    m.put("duration_ms", row.durationMs());
    m.put("content_json", row.contentJson());
    m.put("metadata_json", row.metadataJson());
    return m;
  }

  /** The column names of {@link #asMap}, for {@link Column}. */
  static String key(Column column) {
    return column.name().toLowerCase(java.util.Locale.ROOT);
  }

  /** Keeps a copy of every row and every warning. */
  static final class Collect implements RowSink {
    final List<MutableLogRow> rows = new ArrayList<>();
    final List<String> warnings = new ArrayList<>();

    @Override
    public void accept(LogRow row) {
      rows.add(new MutableLogRow().copyFrom(row));
    }

    @Override
    public void warning(String kind, String detail) {
      warnings.add(kind + ": " + detail);
    }

    List<Map<String, Object>> maps() {
      List<Map<String, Object>> out = new ArrayList<>();
      rows.forEach(r -> out.add(asMap(r)));
      return out;
    }
  }
}
