package dev.execflow.cascade;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.UncheckedIOException;
import java.util.Collection;
import java.util.List;

/**
 * Writes cascade definitions as JSON in the original format's (first generation's) names: what
 * the seed's {@code /api/cascade-definitions} returns and its viewer reads
 * ({@code cascades.find(c => c.cascade_id === cascadeId)}).
 *
 * <p>Shape of one definition (absent values are left out):
 *
 * <pre>{@code
 * {"cascade_id": "blog_flow", "description": "...",
 *  "phases": [
 *    {"name": "draft", "instructions": "...",
 *     "rules": {"max_turns": 3, "max_attempts": 2, "loop_until": "has_title"},
 *     "soundings": {"factor": 3, "evaluator_instructions": "...", "mode": "evaluate",
 *                   "reforge": {"steps": 2, "factor_per_step": 2,
 *                               "threshold": {"validator": "good_enough", "mode": "advisory"}}},
 *     "wards": {"pre": [{"validator": "input_ok", "mode": "blocking"}], "post": [], "turn": []},
 *     "handoffs": ["review", {"target": "publish", "description": "when approved"}]}]}
 * }</pre>
 *
 * Later-generation files ({@code cells}, {@code candidates}) are written with {@code phases} and
 * {@code soundings}. A handoff is written as the target's name, or as {@code {target,
 * description}} when it has a description, as definitions write them. A reforge is written inside
 * {@code soundings} (as the original nests it), or on the phase when the phase has no soundings.
 * A soundings factor computed at run time is written as its template string. {@code wards} is
 * left out when the phase has none; when present all three lists are written.
 */
public final class CascadeDefinitionJson {
  private static final ObjectMapper MAPPER = new ObjectMapper();
  private static final JsonNodeFactory NODES = JsonNodeFactory.instance;

  private CascadeDefinitionJson() {}

  /** One definition as a JSON string. */
  public static String write(CascadeDefinition spec) {
    return text(toNode(spec));
  }

  /**
   * A JSON array of definitions, in the given order: the body of {@code /api/cascade-definitions}.
   *
   * <pre>{@code
   * String body = CascadeDefinitionJson.writeAll(catalog.specs()); // same as catalog.definitionsJson()
   * }</pre>
   */
  public static String writeAll(Collection<CascadeDefinition> specs) {
    return text(toArray(specs));
  }

  /** The definitions as a Jackson array (to embed in a larger response). */
  public static ArrayNode toArray(Collection<CascadeDefinition> specs) {
    ArrayNode array = NODES.arrayNode();
    for (CascadeDefinition spec : specs) {
      array.add(toNode(spec));
    }
    return array;
  }

  /** One definition as a Jackson object. */
  public static ObjectNode toNode(CascadeDefinition spec) {
    ObjectNode node = NODES.objectNode();
    node.put("cascade_id", spec.cascadeId());
    putIfPresent(node, "description", spec.description());
    ArrayNode phases = node.putArray("phases");
    for (PhaseSpec phase : spec.phases()) {
      phases.add(phase(phase));
    }
    return node;
  }

  private static ObjectNode phase(PhaseSpec phase) {
    ObjectNode node = NODES.objectNode();
    node.put("name", phase.name());
    putIfPresent(node, "instructions", phase.instructions());
    Rules rules = phase.rules();
    if (!rules.equals(Rules.NONE)) {
      ObjectNode r = node.putObject("rules");
      if (rules.maxTurns() != null) {
        r.put("max_turns", rules.maxTurns());
      }
      if (rules.maxAttempts() != null) {
        r.put("max_attempts", rules.maxAttempts());
      }
      putIfPresent(r, "loop_until", rules.loopUntil());
    }
    SoundingsSpec soundings = phase.soundings();
    if (soundings != null) {
      ObjectNode s = node.putObject("soundings");
      if (soundings.factor() != null) {
        s.put("factor", soundings.factor());
      } else {
        putIfPresent(s, "factor", soundings.factorTemplate());
      }
      putIfPresent(s, "evaluator_instructions", soundings.evaluatorInstructions());
      putIfPresent(s, "mode", soundings.mode());
      if (phase.reforge() != null) {
        s.set("reforge", reforge(phase.reforge()));
      }
    } else if (phase.reforge() != null) {
      node.set("reforge", reforge(phase.reforge()));
    }
    if (!phase.wards().isEmpty()) {
      ObjectNode w = node.putObject("wards");
      for (String kind : List.of("pre", "post", "turn")) {
        ArrayNode list = w.putArray(kind);
        for (WardSpec ward : phase.wards().ofKind(kind)) {
          list.add(ward(ward));
        }
      }
    }
    ArrayNode handoffs = node.putArray("handoffs");
    for (HandoffSpec handoff : phase.handoffs()) {
      if (handoff.description() == null) {
        handoffs.add(handoff.target());
      } else {
        handoffs.addObject().put("target", handoff.target()).put("description", handoff.description());
      }
    }
    return node;
  }

  private static ObjectNode reforge(ReforgeSpec reforge) {
    ObjectNode node = NODES.objectNode();
    node.put("steps", reforge.steps());
    if (reforge.factorPerStep() != null) {
      node.put("factor_per_step", reforge.factorPerStep());
    }
    if (reforge.threshold() != null) {
      node.set("threshold", ward(reforge.threshold()));
    }
    return node;
  }

  private static ObjectNode ward(WardSpec ward) {
    return NODES.objectNode().put("validator", ward.validator()).put("mode", ward.mode().json());
  }

  private static void putIfPresent(ObjectNode node, String key, String value) {
    if (value != null) {
      node.put(key, value);
    }
  }

  private static String text(Object node) {
    try {
      return MAPPER.writeValueAsString(node);
    } catch (JsonProcessingException e) {
      // a tree of plain nodes always serializes; this would be a Jackson bug
      throw new UncheckedIOException(e);
    }
  }
}
