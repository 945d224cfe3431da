package dev.execflow.examples.viewer;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Assertions;
import org.junit.jupiter.api.Assumptions;
import org.openqa.selenium.chrome.ChromeDriver;

/**
 * axe-core, the accessibility engine, run inside the page under test. It is vendored from the npm
 * registry at build time ({@code .ci/run}: {@code npm install --prefix flow-examples/target/npm
 * axe-core@4}) and read from that file: nothing is fetched while the tests run, and the viewer's
 * jar does not contain it. Without the file the accessibility tests are skipped with a loud
 * message, and fail when {@code CI=true}.
 */
final class Axe {
  static final Path SCRIPT = Path.of(System.getProperty("execflow.axe",
      "target/npm/node_modules/axe-core/axe.min.js"));
  private static final ObjectMapper JSON = new ObjectMapper();
  private static String source;

  /** One rule broken on the page: its id, impact, help text and the elements (CSS selectors). */
  record Violation(String id, String impact, String help, List<String> targets) {
    boolean serious() {
      return "serious".equals(impact) || "critical".equals(impact);
    }

    @Override
    public String toString() {
      return impact + " " + id + ": " + help + " " + targets;
    }
  }

  private Axe() {}

  static synchronized String source() {
    if (source != null) {
      return source;
    }
    if (!Files.isReadable(SCRIPT)) {
      String message = "ACCESSIBILITY TESTS NOT RUN: need axe-core at " + SCRIPT.toAbsolutePath()
          + " (run: npm install --no-save --prefix flow-examples/target/npm axe-core@4, as .ci/run does)";
      System.err.println("\n*** " + message + " ***\n");
      if ("true".equalsIgnoreCase(System.getenv("CI"))) {
        Assertions.fail(message);
      }
      Assumptions.abort(message);
    }
    try {
      source = Files.readString(SCRIPT, StandardCharsets.UTF_8);
      return source;
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  /** Runs every WCAG 2 A/AA rule (and axe's best practices) on the current page; all violations. */
  static List<Violation> run(ChromeDriver driver) {
    String script = source();
    if (!Boolean.TRUE.equals(driver.executeScript("return typeof window.axe === 'object';"))) {
      driver.executeScript(script);
    }
    String result = (String) driver.executeAsyncScript(
        "const done = arguments[arguments.length - 1];"
            + "axe.run(document, {resultTypes: ['violations']})"
            + ".then(r => done(JSON.stringify(r.violations)), e => done(JSON.stringify({error: String(e)})));");
    try {
      JsonNode tree = JSON.readTree(result);
      if (tree.has("error")) {
        throw new AssertionError("axe-core failed: " + tree.get("error").asText());
      }
      List<Violation> out = new ArrayList<>();
      for (JsonNode v : tree) {
        List<String> targets = new ArrayList<>();
        for (JsonNode n : v.path("nodes")) {
          targets.add(n.path("target").toString());
        }
        out.add(new Violation(v.path("id").asText(), v.path("impact").asText(), v.path("help").asText(), targets));
      }
      return out;
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  /** The serious and critical violations (the moderate and minor ones are printed, not failed on). */
  static List<Violation> serious(ChromeDriver driver, String where) {
    List<Violation> all = run(driver);
    System.out.println("axe-core on " + where + ": " + all.size() + " violation(s)"
        + (all.isEmpty() ? "" : ": " + all));
    return all.stream().filter(Violation::serious).toList();
  }
}
