package dev.execflow.examples.viewer;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.execflow.cascade.CascadeCatalog;
import dev.execflow.examples.server.FlowServer;
import dev.execflow.examples.service.ExecutionFlowService;
import dev.execflow.source.jsonl.JsonlLogSource;
import dev.execflow.testing.Samples;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.function.Consumer;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;
import org.openqa.selenium.By;
import org.openqa.selenium.WebElement;
import org.openqa.selenium.support.ui.Select;

/**
 * The two views over the service's newer endpoints: a phase's log content, fetched only when the
 * person opens it, a page at a time and per visit, long content cut and saying so
 * ({@code /api/session/{id}/phase/{name}/rows}); and Compare, the per-phase deltas of cost,
 * duration and turns against another run of the cascade or the median of its last runs
 * ({@code /api/compare}).
 *
 * <p>The runs compared are the loop sample and copies of it an hour later and after, whose review
 * call (and second draft call) cost differently; the deltas below are worked out by hand from the
 * rows.
 */
@ExtendWith(BrowserExtension.class)
class ContentAndCompareBrowserTest {
  private static final ObjectMapper JSON = new ObjectMapper();
  /** Longer than the endpoint's content bound (65,536 characters). */
  private static final int LONG = 70_000;

  @TempDir static Path dir;
  private static FlowServer server;
  private Browser browser;
  private ViewerPage page;

  @BeforeAll
  static void startServer() throws IOException {
    List<String> loop = sampleLines("loop");
    write("sample-loop", loop, r -> {});
    // run b: an hour later; review cost 0.0009 (not 0.0005), the second draft call 0.0004 (not 0.0008)
    write("loop-b", rerun(loop, "loop-b", 3600, Map.of("loop-review-a1", 0.0009, "loop-draft-2-a1", 0.0004)), r -> {});
    // two more runs for a median of three review costs: 0.0007, 0.0009 (run b), 0.0011
    write("loop-c", rerun(loop, "loop-c", 7200, Map.of("loop-review-a1", 0.0007)), r -> {});
    write("loop-d", rerun(loop, "loop-d", 10800, Map.of("loop-review-a1", 0.0011)), r -> {});
    // the simple sample, with a research answer longer than the content bound
    write("sample-simple", sampleLines("simple"), r -> {
      if ("assistant".equals(r.path("role").asText()) && "research".equals(r.path("phase_name").asText())) {
        r.put("content_json", quote("x".repeat(LONG)));
      }
    });
    server = FlowServer.start(new ExecutionFlowService(JsonlLogSource.open(dir), CascadeCatalog.bundledSamples()),
        "127.0.0.1", 0);
  }

  @AfterAll
  static void stopServer() {
    server.close();
  }

  @BeforeEach
  void open(Browser shared) {
    browser = shared;
    page = new ViewerPage(browser.driver, server.uri());
  }

  // ---------- content on demand ----------

  @Test
  void aPhasesContentIsFetchedOnlyWhenOpenedAndPagesWithLoadMore() {
    page.openLink("?contentPage=2#session=sample-loop&tab=graph&phase=draft");
    WebElement section = contentSection("draft");
    assertThat(rowRequests()).as("nothing fetched before the person asks").isZero();

    section.findElement(By.tagName("summary")).click();

    ready(section);
    assertThat(rows(section)).hasSize(2);
    assertThat(rowRequests()).isOne();
    WebElement more = section.findElement(By.cssSelector("[data-action='more-rows']"));
    int pages = 1;
    while (more.isDisplayed() && pages < 20) {
      int before = rows(section).size();
      more.click(); // the click starts the request: the section says loading until the page is in
      pages++;
      ready(section);
      assertThat(rows(section).size()).as("page %d added rows", pages).isGreaterThan(before);
    }
    assertThat(more.isDisplayed()).as("the last page has no Load more").isFalse();
    assertThat(rowRequests()).isEqualTo(pages);
    assertThat(rows(section).size()).as("every row of both visits of draft, in pages of 2").isGreaterThan(2);
    assertThat(section.getText()).contains("draft").doesNotContain("Could not load");
    browser.screenshot("flow-content");
  }

  @Test
  void aLoopedPhasesContentCanBeReadVisitByVisit() {
    page.openLink("#session=sample-loop&tab=graph&phase=draft");
    WebElement section = contentSection("draft");
    section.findElement(By.tagName("summary")).click();
    ready(section);
    int all = rows(section).size();

    new Select(section.findElement(By.cssSelector("[data-content='visit']"))).selectByVisibleText("visit 2");

    page.waitUntil(d -> "ready".equals(section.getAttribute("data-state")) && rows(section).size() < all);
    assertThat(rows(section)).isNotEmpty().allSatisfy(r ->
        assertThat(r.findElement(By.cssSelector(".row-meta")).getText()).contains("visit 2"));
  }

  @Test
  void contentLongerThanTheBoundArrivesCutAndSaysSo() {
    page.openLink("#session=sample-simple&tab=graph&phase=research");
    WebElement section = contentSection("research");
    section.findElement(By.tagName("summary")).click();
    ready(section);

    WebElement cut = section.findElement(By.cssSelector("[data-truncated='true']"));
    assertThat(cut.getText()).startsWith("Cut at 65,536 of ").endsWith(" characters.");
    assertThat(section.findElements(By.cssSelector(".row-content")))
        .extracting(c -> ((Number) page.script("return arguments[0].textContent.length;", c)).intValue())
        .as("the long answer, cut at the bound").contains(65_536);
  }

  // ---------- compare ----------

  @Test
  void comparingWithAnotherRunShowsEachPhasesDeltas() {
    page.openLink("#session=sample-loop&tab=graph");
    page.tab("Compare");
    Select other = new Select(browser.driver.findElement(By.cssSelector("[data-compare='session']")));
    page.waitUntil(d -> other.getOptions().stream().anyMatch(o -> "loop-b".equals(o.getAttribute("value"))));
    assertThat(other.getOptions()).extracting(o -> o.getAttribute("value")).doesNotContain("sample-loop");

    other.selectByValue("loop-b");
    browser.driver.findElement(By.cssSelector(".compare-form button[type='submit']")).click();

    ready(browser.driver.findElement(By.id("view-compare")));
    // draft: 0.0010 + 0.0008 against 0.0010 + 0.0004; review 0.0005 against 0.0009; publish the same
    assertThat(delta("draft", "cost")).isEqualTo("+$0.0004 ▲");
    assertThat(delta("review", "cost")).isEqualTo("−$0.0004 ▼");
    assertThat(delta("publish", "cost")).isEqualTo("±0");
    assertThat(delta("draft", "durationMs")).isEqualTo("±0");
    assertThat(delta("review", "turns")).isEqualTo("±0");
    assertThat(cell("review", "cost-a")).isEqualTo("$0.0005");
    assertThat(cell("review", "cost-b")).isEqualTo("$0.0009");
    assertThat(summaryDelta("cost")).as("+0.0004 and -0.0004").isEqualTo("±0");
    browser.screenshot("flow-compare");
  }

  @Test
  void comparingWithTheMedianOfTheLastRunsUsesThoseRuns() {
    page.openLink("#session=sample-loop&tab=graph");
    page.tab("Compare");
    browser.driver.findElement(By.cssSelector("input[name='compare-with'][value='median']")).click();
    WebElement n = browser.driver.findElement(By.cssSelector("[data-compare='median-n']"));
    n.clear();
    n.sendKeys("3");

    browser.driver.findElement(By.cssSelector(".compare-form button[type='submit']")).click();

    ready(browser.driver.findElement(By.id("view-compare")));
    String result = browser.driver.findElement(By.cssSelector(".compare-result")).getText();
    assertThat(result).contains("loop-b").contains("loop-c").contains("loop-d");
    // review's median is 0.0009: 0.0005 - 0.0009
    assertThat(delta("review", "cost")).isEqualTo("−$0.0004 ▼");
    assertThat(cell("review", "cost-b")).isEqualTo("$0.0009");
  }

  @Test
  void aComparisonAndOpenContentHaveNoSeriousAccessibilityViolations() {
    Axe.source();
    page.openLink("#session=sample-loop&tab=graph&phase=draft");
    WebElement section = contentSection("draft");
    section.findElement(By.tagName("summary")).click();
    ready(section);
    assertThat(Axe.serious(browser.driver, "open log content")).isEmpty();

    page.tab("Compare");
    Select other = new Select(browser.driver.findElement(By.cssSelector("[data-compare='session']")));
    page.waitUntil(d -> other.getOptions().stream().anyMatch(o -> "loop-b".equals(o.getAttribute("value"))));
    other.selectByValue("loop-b");
    browser.driver.findElement(By.cssSelector(".compare-form button[type='submit']")).click();
    ready(browser.driver.findElement(By.id("view-compare")));
    assertThat(Axe.serious(browser.driver, "a comparison")).isEmpty();
  }

  // ---------- helpers ----------

  /** Waits for a view's data-state ready; an error state fails at once, with what the page says. */
  private void ready(WebElement view) {
    page.waitUntil(d -> {
      String state = view.getAttribute("data-state");
      if ("error".equals(state)) {
        throw new AssertionError("the view shows an error: " + view.getAttribute("textContent"));
      }
      return "ready".equals(state);
    });
  }

  private WebElement contentSection(String phase) {
    return browser.driver.findElement(By.cssSelector("#phase-panel details[data-content-phase='" + phase + "']"));
  }

  private static List<WebElement> rows(WebElement section) {
    return section.findElements(By.cssSelector("li.row-item"));
  }

  private long rowRequests() {
    return ((Number) page.script("return performance.getEntriesByType('resource').filter(e => e.name.includes('/rows')).length;"))
        .longValue();
  }

  private String cell(String phase, String col) {
    return browser.driver.findElement(By.cssSelector(".compare-table tr[data-phase='" + phase + "'] [data-col='" + col + "']")).getText();
  }

  private String delta(String phase, String metric) {
    return cell(phase, metric + "-delta");
  }

  private String summaryDelta(String metric) {
    return browser.driver.findElement(By.cssSelector(".compare-table tfoot [data-col='" + metric + "-delta']")).getText();
  }

  private static List<String> sampleLines(String name) throws IOException {
    try (InputStream in = ContentAndCompareBrowserTest.class.getClassLoader()
        .getResourceAsStream(Samples.get(name).sessionResource())) {
      return new String(in.readAllBytes(), StandardCharsets.UTF_8).lines().filter(l -> !l.isBlank()).toList();
    }
  }

  /** The rows of a run again under another session id, {@code shift} seconds later, some calls priced anew. */
  private static List<String> rerun(List<String> lines, String session, double shift, Map<String, Double> costs)
      throws IOException {
    List<String> out = new ArrayList<>();
    for (String line : lines) {
      ObjectNode r = (ObjectNode) JSON.readTree(line);
      r.put("session_id", session);
      r.put("timestamp", r.get("timestamp").asDouble() + shift);
      Double cost = costs.get(r.path("trace_id").asText());
      if (cost != null) {
        r.put("cost", cost);
      }
      out.add(JSON.writeValueAsString(r));
    }
    return out;
  }

  private static void write(String name, List<String> lines, Consumer<ObjectNode> change) throws IOException {
    List<String> out = new ArrayList<>();
    for (String line : lines) {
      ObjectNode r = (ObjectNode) JSON.readTree(line);
      change.accept(r);
      out.add(JSON.writeValueAsString(r));
    }
    Files.write(dir.resolve(name + ".jsonl"), out, StandardCharsets.UTF_8);
  }

  private static String quote(String s) {
    try {
      return JSON.writeValueAsString(s);
    } catch (IOException e) {
      throw new IllegalStateException(e);
    }
  }
}
