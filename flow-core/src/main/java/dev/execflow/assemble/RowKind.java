package dev.execflow.assemble;

import java.util.Collections;
import java.util.EnumSet;
import java.util.Set;

/** What a log row means to the fold, decided by {@link Vocabulary} from its node type and role. */
public enum RowKind {
  SESSION_START(Scope.SESSION),
  SESSION_COMPLETED(Scope.SESSION),
  SESSION_FAILED(Scope.SESSION),
  /** role {@code structure} on a phase: the phase is about to run; may list its handoffs. */
  PHASE_DECLARED(Scope.PHASE),
  PHASE_START(Scope.PHASE),
  PHASE_COMPLETE(Scope.PHASE),
  PHASE_ERROR(Scope.PHASE),
  /** role {@code structure} on a turn: metadata {@code {turn_number (1-based), max_turns}}. */
  TURN(Scope.PHASE),
  LLM_CALL(Scope.PHASE),
  /** the late cost of the LLM call with the same {@code trace_id}. */
  COST_UPDATE(Scope.PHASE),
  SUB_CASCADE(Scope.PHASE),
  SOUNDING_ATTEMPT(Scope.PHASE),
  SOUNDING_ERROR(Scope.PHASE),
  SOUNDING_RESULT(Scope.PHASE),
  REFORGE_START(Scope.PHASE),
  REFORGE_STEP(Scope.PHASE),
  REFORGE_ATTEMPT(Scope.PHASE),
  REFORGE_EVALUATION(Scope.PHASE),
  REFORGE_WINNER(Scope.PHASE),
  REFORGE_THRESHOLD_MET(Scope.PHASE),
  PRE_WARD(Scope.PHASE),
  POST_WARD(Scope.PHASE),
  TURN_WARD(Scope.PHASE),
  PRE_WARD_BLOCKED(Scope.PHASE),
  POST_WARD_BLOCKED(Scope.PHASE),
  /** a ward block whose kind (pre/post) the row does not say. */
  WARD_BLOCKED(Scope.PHASE),
  /** role {@code error} inside a phase. */
  ERROR(Scope.PHASE),
  /** tool calls, tool results, user input, follow-ups, system prompts: counted only. */
  CONVERSATION(Scope.PHASE),
  UNKNOWN(Scope.PHASE);

  /** Whether a row of this kind belongs to the session as a whole or to one phase. */
  public enum Scope {
    SESSION,
    PHASE
  }

  private final Scope scope;

  RowKind(Scope scope) {
    this.scope = scope;
  }

  public Scope scope() {
    return scope;
  }

  private static final Set<RowKind> READS_CONTENT =
      Collections.unmodifiableSet(EnumSet.of(SOUNDING_ATTEMPT, SUB_CASCADE, PHASE_ERROR, ERROR, SESSION_FAILED));
  private static final Set<RowKind> NAMED_BY_CONTENT = Collections.unmodifiableSet(EnumSet.of(PHASE_START, PHASE_DECLARED));

  /**
   * Kinds whose content the fold reads (a sounding's preview, a sub-cascade's child id, an error
   * message): a source may leave the content of every other row out.
   */
  public static Set<RowKind> readsContent() {
    return READS_CONTENT;
  }

  /** Kinds whose content the fold reads when the row names no phase (the content names it). */
  public static Set<RowKind> namedByContent() {
    return NAMED_BY_CONTENT;
  }

  /** The kinds of the fold's hot path: most rows of a session are one of these. */
  boolean isCallOrConversation() {
    return this == LLM_CALL || this == CONVERSATION || this == TURN;
  }

  boolean isWard() {
    return this == PRE_WARD || this == POST_WARD || this == TURN_WARD;
  }

  boolean isWardBlock() {
    return this == PRE_WARD_BLOCKED || this == POST_WARD_BLOCKED || this == WARD_BLOCKED;
  }

  boolean isReforge() {
    return this == REFORGE_START || this == REFORGE_STEP || this == REFORGE_ATTEMPT
        || this == REFORGE_EVALUATION || this == REFORGE_WINNER || this == REFORGE_THRESHOLD_MET;
  }
}
