package dev.execflow.cascade;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.util.List;
import org.junit.jupiter.api.Test;

/** The JSON the viewer gets from /api/cascade-definitions; expected JSON written by hand. */
class CascadeDefinitionJsonTest {
  private final ObjectMapper json = new ObjectMapper();

  private JsonNode tree(String text) throws IOException {
    return json.readTree(text);
  }

  @Test
  void writesADefinitionInTheOriginalFormatsNames() throws IOException {
    CascadeDefinition spec = CascadeDefinitionReaderTest.resource("blog_flow_cells.yaml").spec();

    assertThat(tree(CascadeDefinitionJson.write(spec))).isEqualTo(tree("""
        {"cascade_id": "blog_flow",
         "description": "Research a topic, draft a post with three soundings, review it, publish.",
         "phases": [
           {"name": "research", "instructions": "Collect facts about {{ input.topic }}.",
            "rules": {"max_turns": 3}, "handoffs": ["draft"]},
           {"name": "draft", "instructions": "Write the post.",
            "soundings": {"factor": 3, "evaluator_instructions": "Pick the clearest draft.",
                          "reforge": {"steps": 2, "factor_per_step": 2}},
            "wards": {"pre": [{"validator": "facts_present", "mode": "blocking"}],
                      "post": [{"validator": "length_check", "mode": "advisory"},
                               {"validator": "tone_check", "mode": "retry"}],
                      "turn": []},
            "handoffs": [{"target": "review", "description": "when a draft won"}]},
           {"name": "review", "instructions": "Review the draft; send it back if it is weak.",
            "rules": {"max_turns": 2, "max_attempts": 2, "loop_until": "approved"},
            "handoffs": ["draft", "publish"]},
           {"name": "publish", "instructions": "Format the post for the blog.", "handoffs": []}]}
        """));
  }

  @Test
  void aRunTimeFactorIsWrittenAsItsTemplateAndALoneReforgeOnThePhase() throws IOException {
    CascadeDefinition spec = new CascadeDefinition("c", null, List.of(
        new PhaseSpec("a", null, Rules.NONE, new SoundingsSpec(null, "{{ n }}", null, "aggregate", null), null,
            WardsSpec.NONE, List.of()),
        new PhaseSpec("b", null, Rules.NONE, null, new ReforgeSpec(1, null, new WardSpec("good", WardMode.ADVISORY)),
            WardsSpec.NONE, List.of())), null);

    assertThat(tree(CascadeDefinitionJson.write(spec))).isEqualTo(tree("""
        {"cascade_id": "c", "phases": [
          {"name": "a", "soundings": {"factor": "{{ n }}", "mode": "aggregate"}, "handoffs": []},
          {"name": "b", "reforge": {"steps": 1, "threshold": {"validator": "good", "mode": "advisory"}}, "handoffs": []}]}
        """));
  }

  @Test
  void whatItWritesReadsBackAsTheSameDefinition() {
    CascadeDefinition spec = CascadeDefinitionReaderTest.resource("blog_flow.yaml").spec();

    CascadeDefinition again = CascadeDefinitionReader.read(CascadeDefinitionJson.write(spec), CascadeDefinitionReader.Format.JSON, null).spec();

    assertThat(again).isEqualTo(CascadeDefinitionReaderTest.withoutSource(spec));
  }
}
