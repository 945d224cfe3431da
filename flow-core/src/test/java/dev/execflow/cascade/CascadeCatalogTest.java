package dev.execflow.cascade;

import static dev.execflow.cascade.Sessions.phase;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.ObjectMapper;
import dev.execflow.model.ExecutionData;
import dev.execflow.model.Status;
import java.io.IOException;
import java.io.OutputStream;
import java.net.URL;
import java.net.URLClassLoader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.jar.JarEntry;
import java.util.jar.JarOutputStream;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Nested;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class CascadeCatalogTest {

  static final String ALPHA = "{\"cascade_id\": \"alpha\", \"phases\": [{\"name\": \"one\", \"handoffs\": [\"two\"]}, {\"name\": \"two\"}]}";
  static final String BETA = "cascade_id: beta\nphases:\n  - name: only\n    colour: blue\n";

  @Nested
  class ADirectoryWithGoodDuplicateAndBrokenFiles {
    @TempDir Path dir;
    CascadeCatalog catalog;

    @BeforeEach
    void writeFiles() throws IOException {
      Files.writeString(dir.resolve("a.json"), ALPHA);
      Files.writeString(dir.resolve("b.yaml"), BETA);
      Files.writeString(dir.resolve("c_copy_of_alpha.json"), ALPHA);
      Files.writeString(dir.resolve("d_broken.json"), "{\"cascade_id\": \"delta\", \"phases\": [");
      Files.writeString(dir.resolve("e_empty.yml"), "");
      Files.writeString(dir.resolve("f_bad_field.json"), "{\"cascade_id\": \"phi\", \"phases\": [{\"name\": 3}]}");
      Files.writeString(dir.resolve("notes.md"), "# not a definition");
      Files.writeString(dir.resolve(".editor-backup.json"), "{");
      Files.createDirectory(dir.resolve("nested"));
      Files.writeString(dir.resolve("nested/gamma.json"), "{\"cascade_id\": \"gamma\", \"phases\": []}");
      catalog = CascadeCatalog.load(dir);
    }

    @Test
    void servesTheGoodDefinitionsByCascadeId() {
      assertThat(catalog.specs()).extracting(CascadeDefinition::cascadeId).containsExactly("alpha", "beta");
      assertThat(catalog.size()).isEqualTo(2);
      assertThat(catalog.find("beta")).get().extracting(CascadeDefinition::phaseNames).isEqualTo(List.of("only"));
    }

    @Test
    void theFirstFileInNameOrderWinsADuplicateId() {
      assertThat(catalog.find("alpha")).get().extracting(CascadeDefinition::source).isEqualTo("a.json");
    }

    @Test
    void reportsDuplicateAndUnreadableFilesByName() {
      assertThat(catalog.problems()).extracting(SpecProblem::toString).containsExactly(
          "c_copy_of_alpha.json: cascade_id: duplicate cascade_id 'alpha', already defined by a.json; this definition is ignored",
          "d_broken.json: invalid JSON: line 1, column 36: Unexpected end-of-input: expected close marker for Array "
              + "(start marker at [line: 1, column: 35])",
          "e_empty.yml: file is empty: expected a cascade definition with cascade_id and phases",
          "f_bad_field.json: phases[0].name: expected a string, found the number 3");
    }

    @Test
    void keepsTheWarningsOfTheDefinitionsItLoaded() {
      assertThat(catalog.warnings()).extracting(SpecProblem::toString)
          .containsExactly("b.yaml: phases[0]: unknown key 'colour' ignored");
    }

    @Test
    void ignoresOtherFilesHiddenFilesAndSubdirectories() {
      assertThat(catalog.find("gamma")).isEmpty();
      assertThat(catalog.problems()).noneMatch(p -> p.source().contains("notes") || p.source().contains("editor"));
    }

    @Test
    void anUnknownOrMissingIdFindsNothing() {
      assertThat(catalog.find("delta")).isEmpty();
      assertThat(catalog.find(null)).isEmpty();
    }

    @Test
    void overlaysASessionOnItsCascade() {
      ExecutionData data = Sessions.of("alpha").ran("one", phase(Status.RUNNING, 0.01)).build();

      ExecutionData overlaid = catalog.overlay(data);

      assertThat(overlaid.phases().keySet()).containsExactly("one", "two");
      assertThat(overlaid.phases().get("two").status()).isEqualTo(Status.PENDING);
      assertThat(overlaid.summary().totalPhases()).isEqualTo(2);
    }

    @Test
    void aSessionOfAnUnknownCascadeIsReturnedUnchanged() {
      ExecutionData data = Sessions.of("zeta").ran("one", phase(Status.RUNNING, 0.01)).build();

      assertThat(catalog.overlay(data)).isSameAs(data);
    }
  }

  @Test
  void aMissingDirectoryIsAnError(@TempDir Path dir) {
    Path missing = dir.resolve("nope");

    assertThatThrownBy(() -> CascadeCatalog.load(missing))
        .isInstanceOf(CascadeDefinitionException.class)
        .hasMessage(missing + ": no such directory");
  }

  @Test
  void aFileInsteadOfADirectoryIsAnError(@TempDir Path dir) throws IOException {
    Path file = Files.writeString(dir.resolve("a.json"), ALPHA);

    assertThatThrownBy(() -> CascadeCatalog.load(file))
        .isInstanceOf(CascadeDefinitionException.class)
        .hasMessage(file + ": not a directory of cascade definitions");
  }

  @Test
  void anEmptyDirectoryIsAnEmptyCatalog(@TempDir Path dir) {
    CascadeCatalog catalog = CascadeCatalog.load(dir);

    assertThat(catalog.specs()).isEmpty();
    assertThat(catalog.problems()).isEmpty();
    assertThat(catalog.definitionsJson()).isEqualTo("[]");
  }

  @Test
  void readsAClasspathFolderInADirectory() {
    CascadeCatalog catalog = CascadeCatalog.fromClasspath("cascade/catalog");

    assertThat(catalog.specs()).extracting(CascadeDefinition::cascadeId).containsExactly("alpha", "beta");
    assertThat(catalog.find("beta")).get().extracting(CascadeDefinition::source).isEqualTo("cascade/catalog/beta.yaml");
  }

  @Test
  void readsAClasspathFolderInAJar(@TempDir Path dir) throws IOException {
    Path jar = dir.resolve("definitions.jar");
    try (JarOutputStream out = new JarOutputStream(Files.newOutputStream(jar))) {
      put(out, "defs/", null);
      put(out, "defs/alpha.json", ALPHA);
      put(out, "defs/beta.yaml", BETA);
      put(out, "defs/broken.json", "{");
      put(out, "defs/more/gamma.json", "{\"cascade_id\": \"gamma\", \"phases\": []}");
      put(out, "other/delta.json", "{\"cascade_id\": \"delta\", \"phases\": []}");
    }

    try (URLClassLoader loader = new URLClassLoader(new URL[] {jar.toUri().toURL()}, null)) {
      CascadeCatalog catalog = CascadeCatalog.fromClasspath("defs/", loader);

      assertThat(catalog.specs()).extracting(CascadeDefinition::cascadeId).containsExactly("alpha", "beta");
      assertThat(catalog.problems()).extracting(SpecProblem::source).containsExactly("defs/broken.json");
    }
  }

  @Test
  void aClasspathFolderThatDoesNotExistIsEmpty() {
    assertThat(CascadeCatalog.fromClasspath("no/such/folder").specs()).isEmpty();
  }

  @Test
  void aCatalogBuiltInCodeReportsRepeatedIds() {
    CascadeDefinition first = new CascadeDefinition("c", "first", List.of(PhaseSpec.named("a")), null);
    CascadeDefinition second = new CascadeDefinition("c", "second", List.of(PhaseSpec.named("b")), null);

    CascadeCatalog catalog = CascadeCatalog.of(List.of(first, second));

    assertThat(catalog.find("c")).contains(first);
    assertThat(catalog.problems()).extracting(SpecProblem::toString)
        .containsExactly("c: cascade_id: duplicate cascade_id 'c', already defined by c; this definition is ignored");
  }

  @Test
  void definitionsJsonIsAnArrayOfTheDefinitionsByCascadeId() throws IOException {
    CascadeCatalog catalog = CascadeCatalog.fromClasspath("cascade/catalog");
    ObjectMapper json = new ObjectMapper();

    assertThat(json.readTree(catalog.definitionsJson())).isEqualTo(json.readTree("""
        [
          {"cascade_id": "alpha", "phases": [
             {"name": "one", "handoffs": ["two"]},
             {"name": "two", "handoffs": []}]},
          {"cascade_id": "beta", "description": "one phase only", "phases": [
             {"name": "only", "handoffs": []}]}
        ]
        """));
  }

  private static void put(JarOutputStream out, String name, String content) throws IOException {
    out.putNextEntry(new JarEntry(name));
    if (content != null) {
      OutputStream stream = out;
      stream.write(content.getBytes(StandardCharsets.UTF_8));
    }
    out.closeEntry();
  }
}
