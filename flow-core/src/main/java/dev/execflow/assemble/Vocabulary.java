package dev.execflow.assemble;

import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import java.util.StringJoiner;
import java.util.function.Function;
import java.util.stream.Collectors;

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

  /** Roles that decide a row's kind whatever its node type (rule 1). */
  private final Map<String, RowKind> roles;
  /** Role {@code structure} with these node types (rule 2). */
  private final Map<String, RowKind> structures;
  /** Node types (rule 3; a {@link RowKind#CONVERSATION} node type gives way to rule 4). */
  private final Map<String, RowKind> nodeTypes;
  /** Roles that decide a row's kind when its node type is conversation or unknown (rule 4). */
  private final Map<String, RowKind> fallbackRoles;

  private Vocabulary(Map<String, RowKind> roles, Map<String, RowKind> structures, Map<String, RowKind> nodeTypes,
      Map<String, RowKind> fallbackRoles) {
    this.roles = Map.copyOf(roles);
    this.structures = Map.copyOf(structures);
    this.nodeTypes = Map.copyOf(nodeTypes);
    this.fallbackRoles = Map.copyOf(fallbackRoles);
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

    Map<String, RowKind> structures = new HashMap<>();
    structures.put("phase", RowKind.PHASE_DECLARED);
    structures.put("cell", RowKind.PHASE_DECLARED);
    structures.put("turn", RowKind.TURN);

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

    Map<String, RowKind> fallbackRoles = new HashMap<>();
    fallbackRoles.put("assistant", RowKind.LLM_CALL);
    fallbackRoles.put("error", RowKind.ERROR);
    return new Vocabulary(roles, structures, nodes, fallbackRoles);
  }

  /** A copy in which rows with this node type are {@code kind} (unless their role decides). */
  public Vocabulary withNodeType(String nodeType, RowKind kind) {
    Map<String, RowKind> copy = new HashMap<>(nodeTypes);
    copy.put(Objects.requireNonNull(nodeType), Objects.requireNonNull(kind));
    return new Vocabulary(roles, structures, copy, fallbackRoles);
  }

  /** A copy in which rows with this role are {@code kind} whatever their node type. */
  public Vocabulary withRole(String role, RowKind kind) {
    Map<String, RowKind> copy = new HashMap<>(roles);
    copy.put(Objects.requireNonNull(role), Objects.requireNonNull(kind));
    return new Vocabulary(copy, structures, nodeTypes, fallbackRoles);
  }

  /**
   * The kind of a row with this node type and role (either may be null). The rules, in order:
   * <ol>
   *   <li>a role in {@link #roleRules()} decides;
   *   <li>role {@code structure} with a node type in {@link #structureRules()} decides;
   *   <li>a node type in {@link #nodeTypeRules()} decides, unless it is {@link RowKind#CONVERSATION};
   *   <li>a role in {@link #fallbackRoleRules()} decides;
   *   <li>else the node type's kind ({@code CONVERSATION}) or {@link RowKind#UNKNOWN}.
   * </ol>
   */
  public RowKind classify(String nodeType, String role) {
    if (role != null) {
      RowKind byRole = roles.get(role);
      if (byRole != null) {
        return byRole;
      }
      if (role.equals(STRUCTURE) && nodeType != null) {
        RowKind structure = structures.get(nodeType);
        if (structure != null) {
          return structure;
        }
      }
    }
    RowKind byNode = nodeType == null ? null : nodeTypes.get(nodeType);
    if (byNode != null && byNode != RowKind.CONVERSATION) {
      return byNode;
    }
    RowKind byFallback = role == null ? null : fallbackRoles.get(role);
    if (byFallback != null) {
      return byFallback;
    }
    return byNode != null ? byNode : RowKind.UNKNOWN;
  }

  /** The role that, with a node type of {@link #structureRules()}, makes a structure row. */
  public static final String STRUCTURE = "structure";

  /** Rule 1 of {@link #classify}: role → kind, whatever the node type. */
  public Map<String, RowKind> roleRules() {
    return roles;
  }

  /** Rule 2: node type → kind for rows with role {@value #STRUCTURE}. */
  public Map<String, RowKind> structureRules() {
    return structures;
  }

  /** Rule 3: node type → kind. */
  public Map<String, RowKind> nodeTypeRules() {
    return nodeTypes;
  }

  /** Rule 4: role → kind when the node type is conversation or unknown. */
  public Map<String, RowKind> fallbackRoleRules() {
    return fallbackRoles;
  }

  /**
   * The rules of {@link #classify} compiled into a SQL condition that is true exactly for the rows
   * whose kind is one of {@code kinds}: a {@code CASE} over {@code IN} lists, portable across
   * ClickHouse, DuckDB and SQLite, with NULL columns treated as {@link #classify} treats null.
   *
   * <pre>{@code
   * String isCall = Vocabulary.defaults().sqlCondition(EnumSet.of(RowKind.LLM_CALL),
   *     "node_type", "role", Sql::literal);
   * }</pre>
   *
   * @param nodeType the SQL expression of the row's node type
   * @param role the SQL expression of the row's role
   * @param literal quotes a string as the dialect's SQL literal
   */
  public String sqlCondition(Set<RowKind> kinds, String nodeType, String role, Function<String, String> literal) {
    StringBuilder sql = new StringBuilder("(CASE");
    when(sql, role + " IN ", roles, kinds, true, literal);
    when(sql, role + " IN ", roles, kinds, false, literal);
    when(sql, role + " = " + literal.apply(STRUCTURE) + " AND " + nodeType + " IN ", structures, kinds, true, literal);
    when(sql, role + " = " + literal.apply(STRUCTURE) + " AND " + nodeType + " IN ", structures, kinds, false, literal);
    Map<String, RowKind> decisive = new HashMap<>(nodeTypes);
    decisive.values().removeIf(k -> k == RowKind.CONVERSATION);
    when(sql, nodeType + " IN ", decisive, kinds, true, literal);
    when(sql, nodeType + " IN ", decisive, kinds, false, literal);
    when(sql, role + " IN ", fallbackRoles, kinds, true, literal);
    when(sql, role + " IN ", fallbackRoles, kinds, false, literal);
    Map<String, RowKind> conversation = new HashMap<>(nodeTypes);
    conversation.values().removeIf(k -> k != RowKind.CONVERSATION);
    when(sql, nodeType + " IN ", conversation, kinds, kinds.contains(RowKind.CONVERSATION), literal);
    sql.append(" ELSE ").append(kinds.contains(RowKind.UNKNOWN) ? 1 : 0).append(" END) = 1");
    return sql.toString();
  }

  /**
   * The rules of {@link #classify} compiled into one SQL expression whose value is the row kind's
   * {@link RowKind#ordinal()}: for a query that tests a row's kind several ways, where one
   * expression computed once is cheaper than a {@link #sqlCondition} per test. Each rule is one
   * lookup of the node type or role; {@code lookup} renders it in the dialect's fastest form (given
   * the value's SQL and the ordinal per word, an expression that is the word's ordinal, or -1 for
   * any other value or NULL).
   *
   * <pre>{@code
   * String kind = Vocabulary.defaults().sqlKind("node_type", "role", Sql::literal, Vocabulary::caseLookup);
   * String isCall = kind + " = " + RowKind.LLM_CALL.ordinal();
   * }</pre>
   */
  public String sqlKind(String nodeType, String role, Function<String, String> literal,
      java.util.function.BiFunction<String, Map<String, Integer>, String> lookup) {
    Map<String, RowKind> decisive = new HashMap<>(nodeTypes);
    decisive.values().removeIf(k -> k == RowKind.CONVERSATION);
    Map<String, RowKind> conversation = new HashMap<>(nodeTypes);
    conversation.values().removeIf(k -> k != RowKind.CONVERSATION);
    List<String> rules = List.of(
        lookup.apply(role, ordinals(roles)),
        "(CASE WHEN " + role + " = " + literal.apply(STRUCTURE) + " THEN " + lookup.apply(nodeType, ordinals(structures))
            + " ELSE -1 END)",
        lookup.apply(nodeType, ordinals(decisive)),
        lookup.apply(role, ordinals(fallbackRoles)),
        lookup.apply(nodeType, ordinals(conversation)));
    StringBuilder sql = new StringBuilder("(CASE");
    for (String rule : rules) {
      sql.append(" WHEN ").append(rule).append(" >= 0 THEN ").append(rule);
    }
    return sql.append(" ELSE ").append(RowKind.UNKNOWN.ordinal()).append(" END)").toString();
  }

  /**
   * The portable form of a {@link #sqlKind} lookup: {@code CASE WHEN value = 'word' THEN n ... ELSE
   * -1 END}, with words quoted by {@code literal}.
   */
  public static java.util.function.BiFunction<String, Map<String, Integer>, String> caseLookup(
      Function<String, String> literal) {
    return (value, words) -> {
      if (words.isEmpty()) {
        return "-1";
      }
      StringBuilder sql = new StringBuilder("(CASE");
      words.keySet().stream().sorted().forEach(w -> sql.append(" WHEN ").append(value).append(" = ")
          .append(literal.apply(w)).append(" THEN ").append(words.get(w)));
      return sql.append(" ELSE -1 END)").toString();
    };
  }

  private static Map<String, Integer> ordinals(Map<String, RowKind> rule) {
    Map<String, Integer> out = new java.util.TreeMap<>();
    rule.forEach((word, kind) -> out.put(word, kind.ordinal()));
    return out;
  }

  /** One {@code WHEN prefix (values) THEN 1|0} for the values whose kind is (or is not) wanted. */
  private static void when(StringBuilder sql, String prefix, Map<String, RowKind> rule, Set<RowKind> kinds,
      boolean wanted, Function<String, String> literal) {
    List<String> values = rule.entrySet().stream()
        .filter(e -> kinds.contains(e.getValue()) == wanted)
        .map(Map.Entry::getKey).sorted().collect(Collectors.toList());
    if (values.isEmpty()) {
      return;
    }
    StringJoiner list = new StringJoiner(", ", "(", ")");
    values.forEach(v -> list.add(literal.apply(v)));
    sql.append(" WHEN ").append(prefix).append(list).append(" THEN ").append(wanted ? 1 : 0);
  }
}
