package dev.execflow.spi;

/**
 * One row of {@code unified_logs}, as a flyweight: a source may reuse the same instance for every
 * row, so a consumer must copy out what it keeps before the next row arrives.
 *
 * <p>Accessors are typed and null-aware without boxing: a null string is {@code null}, a null
 * integer is {@link #NO_INT} (or {@link #NO_LONG}), a null float is {@code NaN}, a null flag is
 * {@code null}. Sources normalise the wire forms (integers written as {@code 1.0} or {@code "1"},
 * {@code DateTime64} timestamps) before handing a row on. Names follow the first ("windlass")
 * schema; the later schema's {@code cell_name}, {@code candidate_index} and {@code
 * winning_candidate_index} map onto {@link #phaseName()}, {@link #soundingIndex()} and {@link
 * #winningSoundingIndex()} (see {@link ColumnMapping}).
 */
public interface LogRow {
  /** The value of a null integer column. */
  int NO_INT = Integer.MIN_VALUE;

  /** The value of a null 64-bit integer column. */
  long NO_LONG = Long.MIN_VALUE;

  /** Seconds since the epoch (UTC), with fraction; NaN when null. */
  double timestamp();

  String sessionId();

  String traceId();

  String parentId();

  /** A unique id of the row (later schema only), or null. */
  String messageId();

  String nodeType();

  String role();

  String phaseName();

  String cascadeId();

  String model();

  int depth();

  int soundingIndex();

  int winningSoundingIndex();

  int reforgeStep();

  int attemptNumber();

  int turnNumber();

  /** {@code is_winner}: TRUE, FALSE, or null when the column is null. */
  Boolean isWinner();

  /** Dollars; NaN when null (often null at insert: see {@code cost_update} rows). */
  double cost();

  long tokensIn();

  long tokensOut();

  /** NaN when null (mostly null: durations are taken from timestamps). */
  double durationMs();

  /** The row's content as JSON text (often a JSON string), or null; may be cut by the source. */
  String contentJson();

  /** The row's metadata as JSON text, or null. */
  String metadataJson();

  /**
   * The value of {@code column} as a {@code String}, {@code Integer}, {@code Long}, {@code Double}
   * or {@code Boolean}, or null when the row has none (null text, {@link #NO_INT}, {@link
   * #NO_LONG}, NaN): for code that handles columns generically (writers, tests), not the fold.
   *
   * <pre>{@code
   * for (Column c : Column.values()) {
   *   Object v = row.value(c);   // e.g. PHASE_NAME -> "generate", COST -> 0.0012, TURN_NUMBER -> null
   * }
   * }</pre>
   */
  default Object value(Column column) {
    // an exhaustive switch: a new Column does not compile until it is read here
    return switch (column) {
      case TIMESTAMP -> orNull(timestamp());
      case SESSION_ID -> sessionId();
      case TRACE_ID -> traceId();
      case PARENT_ID -> parentId();
      case MESSAGE_ID -> messageId();
      case NODE_TYPE -> nodeType();
      case ROLE -> role();
      case PHASE_NAME -> phaseName();
      case CASCADE_ID -> cascadeId();
      case MODEL -> model();
      case DEPTH -> orNull(depth());
      case SOUNDING_INDEX -> orNull(soundingIndex());
      case WINNING_SOUNDING_INDEX -> orNull(winningSoundingIndex());
      case REFORGE_STEP -> orNull(reforgeStep());
      case ATTEMPT_NUMBER -> orNull(attemptNumber());
      case TURN_NUMBER -> orNull(turnNumber());
      case IS_WINNER -> isWinner();
      case COST -> orNull(cost());
      case TOKENS_IN -> orNull(tokensIn());
      case TOKENS_OUT -> orNull(tokensOut());
      case DURATION_MS -> orNull(durationMs());
      case CONTENT_JSON -> contentJson();
      case METADATA_JSON -> metadataJson();
    };
  }

  private static Double orNull(double v) {
    return Double.isNaN(v) ? null : v;
  }

  private static Integer orNull(int v) {
    return v == NO_INT ? null : v;
  }

  private static Long orNull(long v) {
    return v == NO_LONG ? null : v;
  }
}
