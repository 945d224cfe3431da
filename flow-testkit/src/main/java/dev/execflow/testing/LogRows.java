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
        m.put(key(column), value(row, column));
      }
    }
    return m;
  }

  /** The key of {@code column} in {@link #asMap}: its name in lower case, e.g. {@code session_id}. */
  public static String key(Column column) {
    return column.name().toLowerCase(Locale.ROOT);
  }

  // an exhaustive switch: a new Column does not compile until it is mapped here
  private static Object value(LogRow row, Column column) {
    return switch (column) {
      case TIMESTAMP -> row.timestamp();
      case SESSION_ID -> row.sessionId();
      case TRACE_ID -> row.traceId();
      case PARENT_ID -> row.parentId();
      case MESSAGE_ID -> row.messageId();
      case NODE_TYPE -> row.nodeType();
      case ROLE -> row.role();
      case PHASE_NAME -> row.phaseName();
      case CASCADE_ID -> row.cascadeId();
      case MODEL -> row.model();
      case DEPTH -> row.depth();
      case SOUNDING_INDEX -> row.soundingIndex();
      case WINNING_SOUNDING_INDEX -> row.winningSoundingIndex();
      case REFORGE_STEP -> row.reforgeStep();
      case ATTEMPT_NUMBER -> row.attemptNumber();
      case TURN_NUMBER -> row.turnNumber();
      case IS_WINNER -> row.isWinner();
      case COST -> row.cost();
      case TOKENS_IN -> row.tokensIn();
      case TOKENS_OUT -> row.tokensOut();
      case DURATION_MS -> row.durationMs();
      case CONTENT_JSON -> row.contentJson();
      case METADATA_JSON -> row.metadataJson();
    };
  }
}
