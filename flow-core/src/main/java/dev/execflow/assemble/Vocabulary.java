package dev.execflow.assemble;

import java.util.HashMap;
import java.util.Map;
import java.util.Objects;

/**
 * Maps a row's {@code node_type} and {@code role} to a {@link RowKind}. The default vocabulary
 * knows both generations of the original system (phases/soundings and cells/candidates); add
 * aliases for your own logger rather than copying the assembler.
 *
 * <pre>{@code
 * Vocabulary mine = Vocabulary.defaults().withNodeType("llm_response", RowKind.LLM_CALL);
 * AssemblyOptions options = AssemblyOptions.defaults().withVocabulary(mine);
 * }</pre>
 */
public final class Vocabulary {
  private static final Vocabulary DEFAULTS = buildDefaults();

  /** Roles that decide a row's kind whatever its node type. */
  private final Map<String, RowKind> roles;
  private final Map<String, RowKind> nodeTypes;

  private Vocabulary(Map<String, RowKind> roles, Map<String, RowKind> nodeTypes) {
    this.roles = roles;
    this.nodeTypes = nodeTypes;
  }

  public static Vocabulary defaults() {
    return DEFAULTS;
  }

  private static Vocabulary buildDefaults() {
    Map<String, RowKind> roles = new HashMap<>();
    roles.put("phase_start", RowKind.PHASE_START);
    roles.put("cell_start", RowKind.PHASE_START);
    roles.put("phase_complete", RowKind.PHASE_COMPLETE);
    roles.put("cell_complete", RowKind.PHASE_COMPLETE);
    roles.put("phase_error", RowKind.PHASE_ERROR);
    roles.put("cell_error", RowKind.PHASE_ERROR);
    roles.put("pre_ward_blocked", RowKind.PRE_WARD_BLOCKED);
    roles.put("post_ward_blocked", RowKind.POST_WARD_BLOCKED);
    roles.put("sub_cascade_start", RowKind.SUB_CASCADE);

    Map<String, RowKind> nodes = new HashMap<>();
    nodes.put("cascade", RowKind.SESSION_START);
    nodes.put("cascade_start", RowKind.SESSION_START);
    nodes.put("cascade_completed", RowKind.SESSION_COMPLETED);
    nodes.put("cascade_complete", RowKind.SESSION_COMPLETED);
    nodes.put("cascade_failed", RowKind.SESSION_FAILED);
    nodes.put("cascade_error", RowKind.SESSION_FAILED);
    nodes.put("phase_start", RowKind.PHASE_START);
    nodes.put("cell_start", RowKind.PHASE_START);
    nodes.put("phase_complete", RowKind.PHASE_COMPLETE);
    nodes.put("cell_complete", RowKind.PHASE_COMPLETE);
    nodes.put("phase_error", RowKind.PHASE_ERROR);
    nodes.put("cell_error", RowKind.PHASE_ERROR);
    nodes.put("cost_update", RowKind.COST_UPDATE);
    nodes.put("link", RowKind.SUB_CASCADE);
    nodes.put("sub_cascade", RowKind.SUB_CASCADE);
    for (String prefix : new String[] {"sounding", "candidate"}) {
      nodes.put(prefix + "_attempt", RowKind.SOUNDING_ATTEMPT);
      nodes.put(prefix + "_error", RowKind.SOUNDING_ERROR);
      nodes.put(prefix + "s_result", RowKind.SOUNDING_RESULT);
    }
    nodes.put("evaluator", RowKind.SOUNDING_RESULT);
    nodes.put("reforge_start", RowKind.REFORGE_START);
    nodes.put("reforge_step", RowKind.REFORGE_STEP);
    nodes.put("reforge_attempt", RowKind.REFORGE_ATTEMPT);
    nodes.put("reforge_evaluation", RowKind.REFORGE_EVALUATION);
    nodes.put("reforge_winner", RowKind.REFORGE_WINNER);
    nodes.put("reforge_threshold_met", RowKind.REFORGE_THRESHOLD_MET);
    nodes.put("pre_ward", RowKind.PRE_WARD);
    nodes.put("post_ward", RowKind.POST_WARD);
    nodes.put("turn_ward", RowKind.TURN_WARD);
    nodes.put("ward_block", RowKind.WARD_BLOCKED);
    nodes.put("agent", RowKind.LLM_CALL);
    nodes.put("error", RowKind.ERROR);
    for (String detail : new String[] {"tool_call", "tool_result", "user", "turn_input", "follow_up",
        "system", "message", "turn", "phase", "cell", "structure", "assistant", "tool"}) {
      nodes.put(detail, RowKind.CONVERSATION);
    }
    return new Vocabulary(Map.copyOf(roles), Map.copyOf(nodes));
  }

  /** A copy in which rows with this node type are {@code kind} (unless their role decides). */
  public Vocabulary withNodeType(String nodeType, RowKind kind) {
    Map<String, RowKind> copy = new HashMap<>(nodeTypes);
    copy.put(Objects.requireNonNull(nodeType), Objects.requireNonNull(kind));
    return new Vocabulary(roles, Map.copyOf(copy));
  }

  /** A copy in which rows with this role are {@code kind} whatever their node type. */
  public Vocabulary withRole(String role, RowKind kind) {
    Map<String, RowKind> copy = new HashMap<>(roles);
    copy.put(Objects.requireNonNull(role), Objects.requireNonNull(kind));
    return new Vocabulary(Map.copyOf(copy), nodeTypes);
  }

  /** The kind of a row with this node type and role (either may be null). */
  public RowKind classify(String nodeType, String role) {
    if (role != null) {
      RowKind byRole = roles.get(role);
      if (byRole != null) {
        return byRole;
      }
      if (role.equals("structure")) {
        if ("phase".equals(nodeType) || "cell".equals(nodeType)) {
          return RowKind.PHASE_DECLARED;
        }
        if ("turn".equals(nodeType)) {
          return RowKind.TURN;
        }
      }
    }
    RowKind byNode = nodeType == null ? null : nodeTypes.get(nodeType);
    if (byNode != null && byNode != RowKind.CONVERSATION) {
      return byNode;
    }
    if ("assistant".equals(role)) {
      return RowKind.LLM_CALL;
    }
    if ("error".equals(role)) {
      return RowKind.ERROR;
    }
    return byNode != null ? byNode : RowKind.UNKNOWN;
  }
}
