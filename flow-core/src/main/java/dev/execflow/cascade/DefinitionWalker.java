package dev.execflow.cascade;

import com.fasterxml.jackson.databind.JsonNode;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.Iterator;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;

/** Walks the parsed tree once, collecting warnings; throws at the first error. */
final class DefinitionWalker {
  // keys the original format defines that the flow view does not need: skipped without a warning
  private static final Set<String> CASCADE_OTHER = Set.of("inputs_schema", "soundings", "candidates",
      "memory", "token_budget", "tool_caching", "auto_context", "narrator", "triggers", "validators");
  private static final Set<String> PHASE_OTHER = Set.of("for_each_row", "tackle", "manifest_context",
      "model", "image_config", "use_native_tools", "output_schema", "rag", "output_extraction", "tool",
      "inputs", "routing", "on_error", "retry", "timeout", "sub_cascades", "async_cascades", "context",
      "human_input", "audibles", "decision_points", "callouts", "ui_mode", "narrator", "browser",
      "intra_context");
  private static final Set<String> RULES_OTHER = Set.of("loop_until_prompt", "loop_until_silent",
      "retry_instructions", "turn_prompt");
  private static final Set<String> SOUNDINGS_OTHER = Set.of("max_parallel", "mutate", "mutation_mode",
      "mutations", "aggregator_instructions", "aggregator_model", "validator", "models", "model_strategy",
      "cost_aware_evaluation", "pareto_frontier", "evaluator", "human_eval", "llm_prefilter",
      "llm_prefilter_instructions");
  private static final Set<String> REFORGE_OTHER = Set.of("honing_prompt", "mutate", "evaluator_override");
  private static final Set<String> WARD_OTHER = Set.of("max_attempts");

  private final String source;
  private final List<SpecProblem> warnings = new ArrayList<>();

  DefinitionWalker(String source) {
    this.source = source;
  }

  SpecReadResult cascade(JsonNode root) {
    if (!root.isObject()) {
      throw fail(null, "expected a cascade definition object with cascade_id and phases, found "
          + kind(root));
    }
    String cascadeId = requiredString(root, "cascade_id", "cascade_id");
    String description = optionalString(root, "description", "description");
    String phasesKey = generation(root, "phases", "cells", "");
    unknownKeys(root, "", Set.of("cascade_id", "description", "phases", "cells"), CASCADE_OTHER);
    JsonNode phasesNode = root.get(phasesKey);
    if (phasesNode == null || phasesNode.isNull()) {
      throw fail("phases", "missing: a cascade needs a list of phases (or cells)");
    }
    if (!phasesNode.isArray()) {
      throw fail(phasesKey, "expected a list of " + phasesKey + ", found " + kind(phasesNode));
    }
    if (phasesNode.isEmpty()) {
      warn(phasesKey, "no " + phasesKey + " declared");
    }
    List<PhaseSpec> phases = new ArrayList<>();
    Map<String, Integer> firstIndex = new HashMap<>();
    for (int i = 0; i < phasesNode.size(); i++) {
      String path = phasesKey + "[" + i + "]";
      PhaseSpec phase = phase(phasesNode.get(i), path);
      Integer earlier = firstIndex.putIfAbsent(phase.name(), i);
      if (earlier != null) {
        throw fail(path + ".name", "duplicate phase name '" + phase.name() + "' (first declared at "
            + phasesKey + "[" + earlier + "])");
      }
      phases.add(phase);
    }
    for (int i = 0; i < phases.size(); i++) {
      List<HandoffSpec> handoffs = phases.get(i).handoffs();
      List<String> seen = new ArrayList<>();
      for (int h = 0; h < handoffs.size(); h++) {
        String target = handoffs.get(h).target();
        String path = phasesKey + "[" + i + "].handoffs[" + h + "]";
        if (!firstIndex.containsKey(target)) {
          warn(path, "handoff to '" + target + "', which this cascade does not declare");
        }
        if (seen.contains(target)) {
          warn(path, "handoff to '" + target + "' is declared twice");
        }
        seen.add(target);
      }
    }
    return new SpecReadResult(new CascadeDefinition(cascadeId, description, phases, source), warnings);
  }

  private PhaseSpec phase(JsonNode node, String path) {
    if (!node.isObject()) {
      throw fail(path, "expected a phase object with a name, found " + kind(node));
    }
    String name = requiredString(node, "name", path + ".name");
    String instructions = optionalString(node, "instructions", path + ".instructions");
    unknownKeys(node, path, Set.of("name", "instructions", "rules", "soundings", "candidates", "reforge",
        "wards", "handoffs"), PHASE_OTHER);
    Rules rules = rules(node.get("rules"), path + ".rules");
    String soundingsKey = generation(node, "soundings", "candidates", path);
    SoundingsSpec soundings = soundings(node.get(soundingsKey), path + "." + soundingsKey);
    ReforgeSpec reforge = reforge(node.get("reforge"), path + ".reforge");
    if (reforge != null && soundings != null && soundings.reforge() != null) {
      throw fail(path + ".reforge", "reforge is given both here and in " + soundingsKey + "; keep one");
    }
    if (reforge == null && soundings != null) {
      reforge = soundings.reforge();
    }
    WardsSpec wards = wards(node.get("wards"), path + ".wards");
    List<HandoffSpec> handoffs = handoffs(node.get("handoffs"), path + ".handoffs");
    return new PhaseSpec(name, instructions, rules, soundings, reforge, wards, handoffs);
  }

  private Rules rules(JsonNode node, String path) {
    if (absent(node)) {
      return Rules.NONE;
    }
    if (!node.isObject()) {
      throw fail(path, "expected an object with max_turns, max_attempts, loop_until, found " + kind(node));
    }
    unknownKeys(node, path, Set.of("max_turns", "max_attempts", "loop_until"), RULES_OTHER);
    Integer maxTurns = positiveInt(node.get("max_turns"), path + ".max_turns", Integer.MAX_VALUE);
    Integer maxAttempts = positiveInt(node.get("max_attempts"), path + ".max_attempts", Integer.MAX_VALUE);
    JsonNode loop = node.get("loop_until");
    String loopUntil = absent(loop) ? null : validatorName(loop, path + ".loop_until");
    return new Rules(maxTurns, maxAttempts, loopUntil);
  }

  private SoundingsSpec soundings(JsonNode node, String path) {
    if (absent(node)) {
      return null;
    }
    if (!node.isObject()) {
      throw fail(path, "expected an object with factor and evaluator_instructions, found " + kind(node));
    }
    unknownKeys(node, path, Set.of("factor", "evaluator_instructions", "mode", "reforge"), SOUNDINGS_OTHER);
    Integer factor = 1; // the original's default
    String template = null;
    JsonNode factorNode = node.get("factor");
    if (factorNode != null && factorNode.isTextual() && !isInteger(factorNode.asText().trim())) {
      // a template computed at run time, e.g. "{{ outputs.files | length }}"
      factor = null;
      template = factorNode.asText();
    } else if (!absent(factorNode)) {
      factor = positiveInt(factorNode, path + ".factor", CascadeDefinitionReader.MAX_FACTOR);
    }
    String evaluator = optionalString(node, "evaluator_instructions", path + ".evaluator_instructions");
    String mode = optionalString(node, "mode", path + ".mode");
    ReforgeSpec reforge = reforge(node.get("reforge"), path + ".reforge");
    return new SoundingsSpec(factor, template, evaluator, mode, reforge);
  }

  private ReforgeSpec reforge(JsonNode node, String path) {
    if (absent(node)) {
      return null;
    }
    if (!node.isObject()) {
      throw fail(path, "expected an object with steps, factor_per_step, threshold, found " + kind(node));
    }
    unknownKeys(node, path, Set.of("steps", "factor_per_step", "threshold"), REFORGE_OTHER);
    Integer steps = positiveInt(node.get("steps"), path + ".steps", CascadeDefinitionReader.MAX_REFORGE_STEPS);
    Integer perStep = positiveInt(node.get("factor_per_step"), path + ".factor_per_step", CascadeDefinitionReader.MAX_FACTOR);
    JsonNode threshold = node.get("threshold");
    WardSpec thresholdWard = absent(threshold) ? null : ward(threshold, path + ".threshold");
    return new ReforgeSpec(steps == null ? 1 : steps, perStep, thresholdWard);
  }

  private WardsSpec wards(JsonNode node, String path) {
    if (absent(node)) {
      return WardsSpec.NONE;
    }
    if (!node.isObject()) {
      throw fail(path, "expected an object with pre, post and turn lists, found " + kind(node));
    }
    unknownKeys(node, path, Set.of("pre", "post", "turn"), Set.of());
    return new WardsSpec(wardList(node.get("pre"), path + ".pre"),
        wardList(node.get("post"), path + ".post"), wardList(node.get("turn"), path + ".turn"));
  }

  private List<WardSpec> wardList(JsonNode node, String path) {
    if (absent(node)) {
      return List.of();
    }
    if (!node.isArray()) {
      throw fail(path, "expected a list of {validator, mode}, found " + kind(node));
    }
    List<WardSpec> wards = new ArrayList<>();
    for (int i = 0; i < node.size(); i++) {
      wards.add(ward(node.get(i), path + "[" + i + "]"));
    }
    return wards;
  }

  private WardSpec ward(JsonNode node, String path) {
    if (node.isTextual()) {
      return new WardSpec(nonBlank(node.asText(), path), null);
    }
    if (!node.isObject()) {
      throw fail(path, "expected a validator name or {validator, mode}, found " + kind(node));
    }
    unknownKeys(node, path, Set.of("validator", "mode"), WARD_OTHER);
    JsonNode validator = node.get("validator");
    if (absent(validator)) {
      throw fail(path + ".validator", "missing: a ward needs a validator");
    }
    String name = validatorName(validator, path + ".validator");
    WardMode mode = null;
    JsonNode modeNode = node.get("mode");
    if (!absent(modeNode)) {
      if (!modeNode.isTextual()) {
        throw fail(path + ".mode", "expected blocking, advisory or retry, found " + kind(modeNode));
      }
      mode = WardMode.parse(modeNode.asText());
      if (mode == null) {
        throw fail(path + ".mode", "expected blocking, advisory or retry, found '" + modeNode.asText() + "'");
      }
    }
    return new WardSpec(name, mode);
  }

  /** A validator's name: the string, or {@code inline:<language>} for an inline validator. */
  private String validatorName(JsonNode node, String path) {
    if (node.isTextual()) {
      return nonBlank(node.asText(), path);
    }
    if (node.isObject()) {
      for (String language : List.of("python", "javascript", "sql", "clojure", "bash")) {
        if (node.has(language)) {
          return "inline:" + language;
        }
      }
      JsonNode tool = node.get("tool");
      return tool != null && tool.isTextual() ? "inline:" + tool.asText() : "inline";
    }
    throw fail(path, "expected a validator name or an inline validator object, found " + kind(node));
  }

  private List<HandoffSpec> handoffs(JsonNode node, String path) {
    if (absent(node)) {
      return List.of();
    }
    if (!node.isArray()) {
      throw fail(path, "expected a list of phase names or {target, description}, found " + kind(node));
    }
    List<HandoffSpec> handoffs = new ArrayList<>();
    for (int i = 0; i < node.size(); i++) {
      JsonNode item = node.get(i);
      String itemPath = path + "[" + i + "]";
      if (item.isTextual()) {
        handoffs.add(HandoffSpec.to(nonBlank(item.asText(), itemPath)));
      } else if (item.isObject() && item.has("target")) {
        unknownKeys(item, itemPath, Set.of("target", "description"), Set.of());
        String target = requiredString(item, "target", itemPath + ".target");
        handoffs.add(new HandoffSpec(target, optionalString(item, "description", itemPath + ".description")));
      } else {
        throw fail(itemPath, "expected a phase name or {target, description}, found " + kind(item));
      }
    }
    return handoffs;
  }

  /** Which of the two generations' keys the object uses; both at once is an error. */
  private String generation(JsonNode node, String first, String later, String path) {
    boolean hasFirst = !absent(node.get(first));
    boolean hasLater = !absent(node.get(later));
    if (hasFirst && hasLater) {
      throw fail(join(path, later), "both '" + first + "' and '" + later
          + "' are given (the same thing in two generations of the format); keep one");
    }
    return hasLater ? later : first;
  }

  private void unknownKeys(JsonNode node, String path, Set<String> known, Set<String> skipped) {
    Iterator<String> names = node.fieldNames();
    while (names.hasNext()) {
      String key = names.next();
      if (!known.contains(key) && !skipped.contains(key)) {
        warn(path, "unknown key '" + key + "' ignored");
      }
    }
  }

  private String requiredString(JsonNode node, String key, String path) {
    JsonNode value = node.get(key);
    if (absent(value)) {
      throw fail(path, "missing: expected a non-empty string");
    }
    if (!value.isTextual()) {
      throw fail(path, "expected a string, found " + kind(value));
    }
    return nonBlank(value.asText(), path);
  }

  private String optionalString(JsonNode node, String key, String path) {
    JsonNode value = node.get(key);
    if (absent(value)) {
      return null;
    }
    if (!value.isTextual()) {
      throw fail(path, "expected a string, found " + kind(value));
    }
    return value.asText();
  }

  private String nonBlank(String text, String path) {
    if (text.isBlank()) {
      throw fail(path, "expected a non-empty string, found an empty one");
    }
    return text.strip();
  }

  /** A whole number in 1..max, or null when absent; "3" and 3.0 are accepted as 3. */
  private Integer positiveInt(JsonNode node, String path, int max) {
    if (absent(node)) {
      return null;
    }
    long value;
    if (node.isIntegralNumber() && node.canConvertToLong()) {
      value = node.longValue();
    } else if (node.isFloatingPointNumber() && node.doubleValue() == Math.rint(node.doubleValue())
        && Math.abs(node.doubleValue()) < 1e15) {
      value = (long) node.doubleValue();
    } else if (node.isTextual() && isInteger(node.asText().trim())) {
      value = Long.parseLong(node.asText().trim());
    } else {
      throw fail(path, "expected a whole number, found " + kind(node));
    }
    if (value < 1) {
      throw fail(path, "expected at least 1, found " + value);
    }
    if (value > max) {
      throw fail(path, value + " is over the supported maximum of " + max);
    }
    return (int) value;
  }

  private static boolean isInteger(String text) {
    return !text.isEmpty() && text.length() < 18 && text.chars().allMatch(c -> c >= '0' && c <= '9');
  }

  private static boolean absent(JsonNode node) {
    return node == null || node.isNull() || node.isMissingNode();
  }

  private static String kind(JsonNode node) {
    if (node.isTextual()) {
      String text = node.asText();
      return "the string '" + (text.length() > 40 ? text.substring(0, 40) + "..." : text) + "'";
    }
    if (node.isNumber()) {
      return "the number " + node.asText();
    }
    if (node.isBoolean()) {
      return node.asText();
    }
    if (node.isArray()) {
      return "a list";
    }
    if (node.isObject()) {
      return "an object";
    }
    if (node.isNull()) {
      return "null";
    }
    return node.getNodeType().name().toLowerCase(Locale.ROOT);
  }

  private static String join(String path, String key) {
    return path.isEmpty() ? key : path + "." + key;
  }

  private void warn(String field, String message) {
    warnings.add(new SpecProblem(source, field.isEmpty() ? null : field, message));
  }

  private CascadeDefinitionException fail(String field, String message) {
    return CascadeDefinitionReader.error(source, field, message);
  }
}
