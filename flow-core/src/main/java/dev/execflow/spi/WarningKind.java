package dev.execflow.spi;

import java.util.HashMap;
import java.util.Locale;
import java.util.Map;

/**
 * The kinds of warning execflow counts in an output's {@code warnings.byKind}: a public contract
 * (scripts alert on them), listed with their meaning in the README. The wire name is the
 * lower-case constant name; a source of another project may report kinds of its own by name
 * ({@link RowSink#warning(String, String)}), and they are counted as given.
 *
 * <pre>{@code
 * if (data.warnings().byKind().containsKey(WarningKind.PARENT_NOT_FOUND.wireName())) { ... }
 * }</pre>
 */
public enum WarningKind {
  // ---- reading rows (sources)
  /** A JSONL line is not a JSON object. */
  BAD_JSON_LINE,
  /** A JSONL line is longer than the source's line bound; skipped. */
  LINE_TOO_LONG,
  /** A file ends in the middle of a line or of a gzip member: rows may be missing. */
  TRUNCATED_FILE,
  /** Bytes after the last gzip member of a file (appended rows, garbage): not read. */
  TRAILING_DATA,
  /** A gzip member is corrupt or fails its checksum: the rest of the file is not read. */
  CORRUPT_GZIP,
  /** A field value beyond the bound the source keeps was cut while parsing. */
  VALUE_CUT,
  /** More rows at one timestamp than a source sorts at once: delivered sorted in parts. */
  TIE_RUN_LIMIT,
  /** A row's timestamp is earlier than the row before it in the same file. */
  OUT_OF_ORDER_ROW,
  /** A column holds a value its type cannot carry (e.g. text in a number column); the row is skipped. */
  BAD_VALUE,
  /** A followed file was truncated or replaced; the follow started over from its beginning. */
  FOLLOW_RESTARTED,
  /** A followed session's row became visible after the follower had closed its time; folded out of order. */
  LATE_ROW,
  // ---- the fold
  /** A row has no usable timestamp; it is folded at the previous row's time. */
  MISSING_TIMESTAMP,
  /** A node type / role pair the vocabulary does not know; the row is only counted. */
  UNKNOWN_NODE_TYPE,
  /** A row's metadata_json is not JSON; read as empty. */
  BAD_METADATA_JSON,
  /** A cost that is infinite, over a million dollars or otherwise unusable; ignored. */
  BAD_COST,
  /** Token counts that do not fit (negative or overflowing); capped. */
  BAD_TOKENS,
  /** A negative sounding index or reforge step; ignored. */
  NEGATIVE_INDEX,
  /** A phase start or declaration names no phase. */
  PHASE_START_WITHOUT_NAME,
  /** A sounding row has no sounding index. */
  SOUNDING_WITHOUT_INDEX,
  /** A reforge row names no step. */
  REFORGE_ROW_WITHOUT_STEP,
  /** A ward row names no validator. */
  WARD_WITHOUT_VALIDATOR,
  /** A ward row does not say whether it passed. */
  WARD_WITHOUT_VALID,
  /** A session-level row carries a cost; priced on the running phase. */
  COST_ON_SESSION_ROW,
  /** A cost_update row has no trace_id; priced on its parent's phase. */
  COST_UPDATE_WITHOUT_TRACE,
  /** A cost_update for a call never seen; priced on the phase running when it came. */
  COST_UPDATE_UNMATCHED,
  /** Rows whose parent never appeared; placed in the phase running when they came. */
  PARENT_NOT_FOUND,
  /** Cost that came before any phase started ({@code summary.unattributedCost}). */
  UNATTRIBUTED_COST,
  // ---- bounds (AssemblyOptions)
  /** More distinct phases than {@code maxPhases}. */
  PHASE_LIMIT,
  /** More phase visits than {@code maxVisits}; the path is cut. */
  VISIT_LIMIT,
  /** More sounding attempts (or reforge attempts) than the bound. */
  ATTEMPT_LIMIT,
  /** More reforge steps than {@code maxReforgeSteps}. */
  REFORGE_STEP_LIMIT,
  /** More wards of one kind than {@code maxWardsPerKind}. */
  WARD_LIMIT,
  /** More groups of unplaced rows than {@code maxPendingGroups}. */
  PENDING_LIMIT,
  /** Attempts, steps or wards that did not fit when merging parts. */
  MERGE_LIMIT,
  // ---- the cascade overlay
  /** A phase ran that the cascade definition does not declare. */
  PHASE_NOT_IN_SPEC,
  /** A ward ran that the definition does not declare. */
  WARD_NOT_IN_SPEC,
  /** The definition hands off to a phase it does not declare. */
  SPEC_HANDOFF_TO_UNKNOWN_PHASE,
  /** The session ran another cascade than the definition overlaid on it. */
  SPEC_CASCADE_MISMATCH;

  private static final Map<String, WarningKind> BY_WIRE_NAME = new HashMap<>();

  static {
    for (WarningKind kind : values()) {
      BY_WIRE_NAME.put(kind.wireName, kind);
    }
  }

  private final String wireName = name().toLowerCase(Locale.ROOT);

  /** The name in {@code warnings.byKind}, e.g. {@code parent_not_found}. */
  public String wireName() {
    return wireName;
  }

  /** The kind with this wire name, or null for a kind execflow does not define. */
  public static WarningKind ofWireName(String name) {
    return BY_WIRE_NAME.get(name);
  }
}
