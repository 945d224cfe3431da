package dev.execflow.spi;

/**
 * The logical columns of {@code unified_logs} that execflow reads, named after the first
 * ("windlass") schema. A {@link ColumnMapping} gives each its physical name in a table or file.
 */
public enum Column {
  TIMESTAMP,
  SESSION_ID,
  TRACE_ID,
  PARENT_ID,
  MESSAGE_ID,
  NODE_TYPE,
  ROLE,
  PHASE_NAME,
  CASCADE_ID,
  MODEL,
  DEPTH,
  SOUNDING_INDEX,
  WINNING_SOUNDING_INDEX,
  REFORGE_STEP,
  ATTEMPT_NUMBER,
  TURN_NUMBER,
  IS_WINNER,
  COST,
  TOKENS_IN,
  TOKENS_OUT,
  DURATION_MS,
  CONTENT_JSON,
  METADATA_JSON
}
