package dev.execflow.cascade;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.execflow.cascade.CascadeDefinitionReader.Format;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Nested;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

class CascadeDefinitionReaderTest {

  /** The cascade all four files under cascade/ describe, written out by hand. */
  static final CascadeDefinition BLOG_FLOW = new CascadeDefinition("blog_flow",
      "Research a topic, draft a post with three soundings, review it, publish.",
      List.of(
          new PhaseSpec("research", "Collect facts about {{ input.topic }}.", new Rules(3, null, null),
              null, null, WardsSpec.NONE, List.of(HandoffSpec.to("draft"))),
          new PhaseSpec("draft", "Write the post.", Rules.NONE,
              new SoundingsSpec(3, null, "Pick the clearest draft.", null, new ReforgeSpec(2, 2, null)),
              new ReforgeSpec(2, 2, null),
              new WardsSpec(
                  List.of(new WardSpec("facts_present", WardMode.BLOCKING)),
                  List.of(new WardSpec("length_check", WardMode.ADVISORY), new WardSpec("tone_check", WardMode.RETRY)),
                  List.of()),
              List.of(new HandoffSpec("review", "when a draft won"))),
          new PhaseSpec("review", "Review the draft; send it back if it is weak.", new Rules(2, 2, "approved"),
              null, null, WardsSpec.NONE, List.of(HandoffSpec.to("draft"), HandoffSpec.to("publish"))),
          new PhaseSpec("publish", "Format the post for the blog.", Rules.NONE, null, null, WardsSpec.NONE,
              List.of())),
      null);

  static SpecReadResult resource(String name) {
    try (InputStream in = CascadeDefinitionReaderTest.class.getResourceAsStream("/cascade/" + name)) {
      return CascadeDefinitionReader.read(in, Format.forFileName(name), name);
    } catch (IOException e) {
      throw new AssertionError(e);
    }
  }

  static SpecReadResult json(String text) {
    return CascadeDefinitionReader.read(text, Format.JSON, "test.json");
  }

  static SpecReadResult yaml(String text) {
    return CascadeDefinitionReader.read(text, Format.YAML, "test.yaml");
  }

  static CascadeDefinition withoutSource(CascadeDefinition spec) {
    return new CascadeDefinition(spec.cascadeId(), spec.description(), spec.phases(), null);
  }

  @Nested
  class BothFormatsAndGenerations {

    @ParameterizedTest
    @ValueSource(strings = {"blog_flow.json", "blog_flow.yaml", "blog_flow_cells.json", "blog_flow_cells.yaml"})
    void everyFileReadsAsTheSameCascade(String file) {
      SpecReadResult result = resource(file);

      assertThat(withoutSource(result.spec())).isEqualTo(BLOG_FLOW);
      assertThat(result.warnings()).isEmpty();
    }

    @Test
    void theSourceNamesWhereTheDefinitionCameFrom() {
      assertThat(resource("blog_flow.yaml").spec().source()).isEqualTo("blog_flow.yaml");
    }

    @Test
    void readsAFileByItsExtension(@TempDir Path dir) throws IOException {
      Path file = dir.resolve("tiny.yml");
      Files.writeString(file, "cascade_id: tiny\nphases:\n  - name: only\n");

      CascadeDefinition spec = CascadeDefinitionReader.read(file).spec();

      assertThat(spec.cascadeId()).isEqualTo("tiny");
      assertThat(spec.phaseNames()).containsExactly("only");
      assertThat(spec.source()).isEqualTo(file.toString());
    }

    @Test
    void handoffsMayMixNamesAndObjects() {
      CascadeDefinition spec = json("""
          {"cascade_id": "c", "phases": [
            {"name": "a", "handoffs": ["b", {"target": "c", "description": "on failure"}, {"target": "a"}]},
            {"name": "b"}, {"name": "c"}]}
          """).spec();

      assertThat(spec.phases().get(0).handoffs()).containsExactly(
          HandoffSpec.to("b"), new HandoffSpec("c", "on failure"), HandoffSpec.to("a"));
    }

    @Test
    void aWardMayBeJustAValidatorNameAndIsBlockingByDefault() {
      CascadeDefinition spec = yaml("""
          cascade_id: c
          phases:
            - name: a
              wards:
                pre: [non_empty]
                post: [{validator: json_valid}]
          """).spec();

      WardsSpec wards = spec.phases().get(0).wards();
      assertThat(wards.pre()).containsExactly(new WardSpec("non_empty", WardMode.BLOCKING));
      assertThat(wards.post()).containsExactly(new WardSpec("json_valid", WardMode.BLOCKING));
    }

    @Test
    void anInlineValidatorIsNamedAfterItsLanguage() {
      CascadeDefinition spec = yaml("""
          cascade_id: c
          phases:
            - name: a
              rules:
                loop_until:
                  python: "result = {'valid': True}"
              wards:
                post:
                  - validator:
                      sql: SELECT 1 AS valid
                    mode: advisory
          """).spec();

      assertThat(spec.phases().get(0).rules().loopUntil()).isEqualTo("inline:python");
      assertThat(spec.phases().get(0).wards().post())
          .containsExactly(new WardSpec("inline:sql", WardMode.ADVISORY));
    }

    @Test
    void aFactorComputedAtRunTimeIsKeptAsItsTemplate() {
      SoundingsSpec soundings = yaml("""
          cascade_id: c
          phases:
            - name: a
              soundings:
                factor: "{{ outputs.files | length }}"
          """).spec().phases().get(0).soundings();

      assertThat(soundings.factor()).isNull();
      assertThat(soundings.factorTemplate()).isEqualTo("{{ outputs.files | length }}");
    }

    @Test
    void numbersWrittenAsStringsOrWholeFloatsAreAccepted() {
      PhaseSpec phase = json("""
          {"cascade_id": "c", "phases": [
            {"name": "a", "rules": {"max_turns": "4", "max_attempts": 2.0}, "soundings": {"factor": "3"}}]}
          """).spec().phases().get(0);

      assertThat(phase.rules().maxTurns()).isEqualTo(4);
      assertThat(phase.rules().maxAttempts()).isEqualTo(2);
      assertThat(phase.soundings().factor()).isEqualTo(3);
    }

    @Test
    void soundingsWithoutFactorRunOnceAsInTheOriginal() {
      assertThat(json("""
          {"cascade_id": "c", "phases": [{"name": "a", "soundings": {"evaluator_instructions": "best"}}]}
          """).spec().phases().get(0).soundings().factor()).isEqualTo(1);
    }

    @Test
    void aReforgeOnThePhaseIsAcceptedLikeOneInsideTheSoundings() {
      PhaseSpec phase = json("""
          {"cascade_id": "c", "phases": [
            {"name": "a", "soundings": {"factor": 2}, "reforge": {"steps": 3, "threshold": "good_enough"}}]}
          """).spec().phases().get(0);

      assertThat(phase.reforge()).isEqualTo(new ReforgeSpec(3, null, new WardSpec("good_enough", WardMode.BLOCKING)));
    }

    @Test
    void nullCountsAsAbsent() {
      PhaseSpec phase = json("""
          {"cascade_id": "c", "description": null, "phases": [
            {"name": "a", "instructions": null, "rules": null, "soundings": null, "wards": null, "handoffs": null}]}
          """).spec().phases().get(0);

      assertThat(phase).isEqualTo(PhaseSpec.named("a"));
    }

    @Test
    void handoffCyclesAreLegalAndNotReported() {
      SpecReadResult result = json("""
          {"cascade_id": "loop", "phases": [
            {"name": "write", "handoffs": ["check"]},
            {"name": "check", "handoffs": ["write", "check", "done"]},
            {"name": "done"}]}
          """);

      assertThat(result.warnings()).isEmpty();
      assertThat(result.spec().phases().get(1).handoffTargets()).containsExactly("write", "check", "done");
    }
  }

  @Nested
  class Warnings {

    @Test
    void unknownKeysAreIgnoredAndCountedWithTheirPlace() {
      SpecReadResult result = json("""
          {"cascade_id": "c", "colour": "blue", "phases": [
            {"name": "a", "priority": 1, "soundings": {"factor": 2, "weight": 3},
             "wards": {"pre": [{"validator": "v", "strictness": "high"}]}}]}
          """);

      assertThat(result.warnings()).extracting(SpecProblem::toString).containsExactly(
          "test.json: unknown key 'colour' ignored",
          "test.json: phases[0]: unknown key 'priority' ignored",
          "test.json: phases[0].soundings: unknown key 'weight' ignored",
          "test.json: phases[0].wards.pre[0]: unknown key 'strictness' ignored");
    }

    @Test
    void keysOfTheOriginalFormatThatTheFlowDoesNotUseAreNotWarnedAbout() {
      SpecReadResult result = yaml("""
          cascade_id: c
          inputs_schema: {topic: the topic}
          phases:
            - name: a
              model: some/model
              tackle: [search]
              output_schema: {type: object}
              rules: {max_turns: 2, turn_prompt: again}
              soundings: {factor: 2, max_parallel: 2, mutate: true}
          """);

      assertThat(result.warnings()).isEmpty();
    }

    @Test
    void aHandoffToAPhaseTheCascadeDoesNotDeclareIsAWarning() {
      SpecReadResult result = json("""
          {"cascade_id": "c", "phases": [{"name": "a", "handoffs": ["b", "ghost"]}, {"name": "b"}]}
          """);

      assertThat(result.warnings()).extracting(SpecProblem::toString).containsExactly(
          "test.json: phases[0].handoffs[1]: handoff to 'ghost', which this cascade does not declare");
      assertThat(result.spec().phases().get(0).handoffTargets()).containsExactly("b", "ghost");
    }

    @Test
    void theSameHandoffTwiceIsAWarning() {
      SpecReadResult result = json("""
          {"cascade_id": "c", "phases": [{"name": "a", "handoffs": ["b", {"target": "b"}]}, {"name": "b"}]}
          """);

      assertThat(result.warnings()).extracting(SpecProblem::toString).containsExactly(
          "test.json: phases[0].handoffs[1]: handoff to 'b' is declared twice");
      assertThat(result.spec().phases().get(0).handoffTargets()).containsExactly("b");
    }

    @Test
    void aCascadeWithoutPhasesIsAWarning() {
      SpecReadResult result = json("""
          {"cascade_id": "c", "cells": []}
          """);

      assertThat(result.spec().phases()).isEmpty();
      assertThat(result.warnings()).extracting(SpecProblem::toString).containsExactly("test.json: cells: no cells declared");
    }
  }

  @Nested
  class Errors {

    private void assertError(String definition, String expectedMessage) {
      assertThatThrownBy(() -> json(definition))
          .isInstanceOf(CascadeDefinitionException.class)
          .hasMessage(expectedMessage);
    }

    @Test
    void aHandoffThatIsNeitherANameNorATargetObject() {
      assertError("""
          {"cascade_id": "c", "phases": [{"name": "a"}, {"name": "b"},
            {"name": "x", "handoffs": [42]}]}
          """, "test.json: phases[2].handoffs[0]: expected a phase name or {target, description}, found the number 42");
    }

    @Test
    void aHandoffObjectWithoutTarget() {
      assertError("""
          {"cascade_id": "c", "phases": [{"name": "a", "handoffs": [{"to": "b"}]}]}
          """, "test.json: phases[0].handoffs[0]: expected a phase name or {target, description}, found an object");
    }

    @Test
    void handoffsThatAreNotAList() {
      assertError("""
          {"cascade_id": "c", "phases": [{"name": "a", "handoffs": "b"}]}
          """, "test.json: phases[0].handoffs: expected a list of phase names or {target, description}, found the string 'b'");
    }

    @Test
    void aMaxTurnsThatIsNotANumber() {
      assertError("""
          {"cascade_id": "c", "phases": [{"name": "a", "rules": {"max_turns": "many"}}]}
          """, "test.json: phases[0].rules.max_turns: expected a whole number, found the string 'many'");
    }

    @Test
    void aFactorThatIsABoolean() {
      assertError("""
          {"cascade_id": "c", "phases": [{"name": "a", "soundings": {"factor": true}}]}
          """, "test.json: phases[0].soundings.factor: expected a whole number, found true");
    }

    @Test
    void aFactorBelowOne() {
      assertError("""
          {"cascade_id": "c", "cells": [{"name": "a", "candidates": {"factor": 0}}]}
          """, "test.json: cells[0].candidates.factor: expected at least 1, found 0");
    }

    @Test
    void aFactorBeyondTheBoundTheOverlayDraws() {
      assertError("""
          {"cascade_id": "c", "phases": [{"name": "a", "soundings": {"factor": 2000000000}}]}
          """, "test.json: phases[0].soundings.factor: 2000000000 is over the supported maximum of 1000");
    }

    @Test
    void anUnknownWardMode() {
      assertError("""
          {"cascade_id": "c", "phases": [{"name": "a", "wards": {"post": [{"validator": "v", "mode": "strict"}]}}]}
          """, "test.json: phases[0].wards.post[0].mode: expected blocking, advisory or retry, found 'strict'");
    }

    @Test
    void aWardWithoutValidator() {
      assertError("""
          {"cascade_id": "c", "phases": [{"name": "a", "wards": {"pre": [{"mode": "advisory"}]}}]}
          """, "test.json: phases[0].wards.pre[0].validator: missing: a ward needs a validator");
    }

    @Test
    void phasesThatAreNotAList() {
      assertError("""
          {"cascade_id": "c", "phases": {"name": "a"}}
          """, "test.json: phases: expected a list of phases, found an object");
    }

    @Test
    void aPhaseThatIsNotAnObject() {
      assertError("""
          {"cascade_id": "c", "phases": ["a"]}
          """, "test.json: phases[0]: expected a phase object with a name, found the string 'a'");
    }

    @Test
    void aPhaseWithoutName() {
      assertError("""
          {"cascade_id": "c", "phases": [{"instructions": "hi"}]}
          """, "test.json: phases[0].name: missing: expected a non-empty string");
    }

    @Test
    void duplicatePhaseNames() {
      assertError("""
          {"cascade_id": "c", "phases": [{"name": "a"}, {"name": "b"}, {"name": "a"}]}
          """, "test.json: phases[2].name: duplicate phase name 'a' (first declared at phases[0])");
    }

    @Test
    void aMissingCascadeId() {
      assertError("""
          {"phases": [{"name": "a"}]}
          """, "test.json: cascade_id: missing: expected a non-empty string");
    }

    @Test
    void aCascadeIdThatIsNotAString() {
      assertError("""
          {"cascade_id": 7, "phases": [{"name": "a"}]}
          """, "test.json: cascade_id: expected a string, found the number 7");
    }

    @Test
    void missingPhases() {
      assertError("""
          {"cascade_id": "c"}
          """, "test.json: phases: missing: a cascade needs a list of phases (or cells)");
    }

    @Test
    void bothGenerationsAtOnce() {
      assertError("""
          {"cascade_id": "c", "phases": [{"name": "a"}], "cells": [{"name": "b"}]}
          """, "test.json: cells: both 'phases' and 'cells' are given (the same thing in two generations of the format); keep one");
    }

    @Test
    void aReforgeBothOnThePhaseAndInItsSoundings() {
      assertError("""
          {"cascade_id": "c", "phases": [{"name": "a", "soundings": {"factor": 2, "reforge": {"steps": 1}},
            "reforge": {"steps": 2}}]}
          """, "test.json: phases[0].reforge: reforge is given both here and in soundings; keep one");
    }

    @Test
    void aDefinitionThatIsNotAnObject() {
      assertError("[1, 2]", "test.json: expected a cascade definition object with cascade_id and phases, found a list");
    }

    @Test
    void invalidJsonNamesLineAndColumn() {
      assertThatThrownBy(() -> json("{\"cascade_id\": \"c\",\n  \"phases\": [}\n"))
          .isInstanceOf(CascadeDefinitionException.class)
          .hasMessage("test.json: invalid JSON: line 2, column 14: Unexpected close marker '}': "
              + "expected ']' (for Array starting at [line: 2, column: 13])");
    }

    @Test
    void aKeyWrittenTwiceIsInvalid() {
      assertThatThrownBy(() -> json("{\"cascade_id\": \"c\", \"cascade_id\": \"d\", \"phases\": []}"))
          .isInstanceOf(CascadeDefinitionException.class)
          .hasMessageContaining("test.json: invalid JSON: line 1")
          .hasMessageContaining("Duplicate field 'cascade_id'");
    }

    @Test
    void invalidYamlNamesLine() {
      assertThatThrownBy(() -> yaml("cascade_id: c\nphases:\n  - name: a\n   bad: [\n"))
          .isInstanceOf(CascadeDefinitionException.class)
          .hasMessage("test.yaml: invalid YAML: line 4, column 4: while parsing a block collection; "
              + "expected <block end>, but found '<block mapping start>'");
    }

    @Test
    void anEmptyFile(@TempDir Path dir) throws IOException {
      Path file = dir.resolve("empty.json");
      Files.writeString(file, "");

      assertThatThrownBy(() -> CascadeDefinitionReader.read(file))
          .isInstanceOf(CascadeDefinitionException.class)
          .hasMessage(file + ": file is empty: expected a cascade definition with cascade_id and phases");
    }

    @Test
    void aYamlFileWithOnlyAComment() {
      assertThatThrownBy(() -> yaml("# nothing here yet\n"))
          .isInstanceOf(CascadeDefinitionException.class)
          .hasMessage("test.yaml: file is empty: expected a cascade definition with cascade_id and phases");
    }

    @Test
    void aFiveMegabyteFileIsRefusedBeforeReading(@TempDir Path dir) throws IOException {
      Path file = dir.resolve("huge.json");
      String phase = "{\"name\": \"p%d\", \"instructions\": \"" + "x".repeat(1000) + "\"}";
      StringBuilder text = new StringBuilder("{\"cascade_id\": \"huge\", \"phases\": [");
      for (int i = 0; text.length() < 5 * 1024 * 1024; i++) {
        text.append(i == 0 ? "" : ",").append(String.format(phase, i));
      }
      Files.writeString(file, text.append("]}"));

      assertThatThrownBy(() -> CascadeDefinitionReader.read(file))
          .isInstanceOf(CascadeDefinitionException.class)
          .hasMessage(file + ": file is 5.0 MB, over the 2 MB limit for a cascade definition; refusing to read it");
    }

    @Test
    void anEndlessStreamIsCutAtTheLimit() {
      InputStream endless = new InputStream() {
        @Override
        public int read() {
          return ' ';
        }
      };

      assertThatThrownBy(() -> CascadeDefinitionReader.read(endless, Format.JSON, "stream"))
          .isInstanceOf(CascadeDefinitionException.class)
          .hasMessage("stream: file is more than 2 MB, over the 2 MB limit for a cascade definition; refusing to read it");
    }

    @Test
    void aFileOfAnotherKind(@TempDir Path dir) throws IOException {
      Path file = dir.resolve("notes.txt");
      Files.writeString(file, "hello", StandardCharsets.UTF_8);

      assertThatThrownBy(() -> CascadeDefinitionReader.read(file))
          .isInstanceOf(CascadeDefinitionException.class)
          .hasMessage(file + ": not a definition file: expected a name ending in .json, .yaml or .yml");
    }

    @Test
    void aMissingFile(@TempDir Path dir) {
      Path file = dir.resolve("gone.yaml");

      assertThatThrownBy(() -> CascadeDefinitionReader.read(file))
          .isInstanceOf(CascadeDefinitionException.class)
          .hasMessage(file + ": no such file");
    }

    @Test
    void theProblemCarriesFileAndFieldSeparately() {
      assertThatThrownBy(() -> json("{\"cascade_id\": \"c\", \"phases\": [{\"name\": \"a\", \"handoffs\": [1]}]}"))
          .isInstanceOfSatisfying(CascadeDefinitionException.class, e -> {
            assertThat(e.problem().source()).isEqualTo("test.json");
            assertThat(e.problem().field()).isEqualTo("phases[0].handoffs[0]");
          });
    }
  }
}
