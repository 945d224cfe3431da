package dev.execflow.examples.viewer;

import static org.assertj.core.api.Assertions.assertThat;

import dev.execflow.examples.server.FlowServer;
import dev.execflow.examples.service.ExecutionFlowService;
import dev.execflow.testing.Samples;
import dev.execflow.source.jsonl.JsonlLogSource;
import dev.execflow.cascade.CascadeCatalog;
import dev.execflow.cascade.CascadeDefinition;
import dev.execflow.cascade.PhaseSpec;
import dev.execflow.spi.LogSource;
import dev.execflow.spi.LogSourceException;
import dev.execflow.spi.RowSink;
import dev.execflow.spi.SessionListQuery;
import dev.execflow.spi.SessionPage;
import dev.execflow.spi.SessionQuery;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.util.List;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;
import org.openqa.selenium.By;
import org.openqa.selenium.WebElement;
import org.openqa.selenium.support.ui.Select;

/**
 * The viewer in a real headless Chromium, clicked through the way a person would: the instances
 * grid of the bundled samples, then the Flow modal of each sample, checking what a person checks
 * (statuses, the green executed path, winners, ward badges, pending phases, errors, a live session
 * that updates). Screenshots land in {@code target/screenshots/}.
 */
@ExtendWith(BrowserExtension.class)
class ViewerBrowserTest {
  private static final String GREEN = "rgb(22, 163, 74)";

  @RegisterExtension static final SamplesServer server = new SamplesServer();
  private Browser browser;
  private ViewerPage page;

  @BeforeEach
  void openInstances(Browser shared) {
    browser = shared;
    page = new ViewerPage(browser.driver, server.uri()).openInstances();
  }

  // ---------- instances page ----------

  @Test
  void instancesPageListsEverySampleWithAFlowButton() {
    assertThat(page.gridSessions()).containsExactlyInAnyOrderElementsOf(
        Samples.all().stream().map(Samples.Sample::sessionId).toList());
    assertThat(page.flowButtons()).hasSize(Samples.all().size())
        .allSatisfy(b -> assertThat(b.getText()).isEqualTo("Flow"));
    assertThat(page.gridSessions().get(0)).as("newest first").isEqualTo("sample-reforge");
    browser.screenshot("instances");
  }

  @Test
  void clickingCostSortsByCostBothWays() {
    WebElement cost = browser.driver.findElement(By.cssSelector("th[data-sort='cost']"));
    cost.click();
    assertThat(page.gridSessions().get(0)).as("most expensive first").isEqualTo("sample-simple");
    assertThat(cost.getAttribute("aria-sort")).isEqualTo("descending");

    cost.click();
    assertThat(page.gridSessions().get(0)).as("cheapest first").isEqualTo("sample-wards");
    assertThat(cost.getAttribute("aria-sort")).isEqualTo("ascending");
  }

  @Test
  void statusFilterShowsOnlyThatStatus() {
    new Select(browser.driver.findElement(By.id("status-filter"))).selectByValue("running");
    page.waitUntil(d -> page.gridSessions().size() == 1);

    assertThat(page.gridSessions()).containsExactly("sample-running");
  }

  @Test
  void loadMoreFetchesTheNextPageUntilThereIsNone() {
    page.openInstances("?pageSize=3");
    WebElement more = browser.driver.findElement(By.id("load-more"));
    assertThat(page.gridSessions()).hasSize(3);

    more.click();
    page.waitUntil(d -> page.gridSessions().size() == 6);
    more.click();
    page.waitUntil(d -> page.gridSessions().size() == 7);

    assertThat(more.isDisplayed()).isFalse();
    assertThat(page.gridSessions()).doesNotHaveDuplicates();
  }

  @Test
  void anEmptySourceShowsTheEmptyState(@TempDir Path empty) {
    try (FlowServer bare = FlowServer.start(new ExecutionFlowService(JsonlLogSource.open(empty)), "127.0.0.1", 0)) {
      ViewerPage p = new ViewerPage(browser.driver, bare.uri()).openInstances();

      assertThat(p.gridState()).isEqualTo("empty");
      assertThat(p.gridMessage()).isEqualTo("No sessions yet.");
      assertThat(p.gridSessions()).isEmpty();
    }
  }

  @Test
  void aSourceThatIsDownShowsTheErrorStateWithItsMessage() {
    try (FlowServer down = FlowServer.start(new ExecutionFlowService(new UnreachableStore()), "127.0.0.1", 0)) {
      ViewerPage p = new ViewerPage(browser.driver, down.uri()).openInstances();

      assertThat(p.gridState()).isEqualTo("error");
      assertThat(p.gridMessage()).as("a short message, the retry, no technical text")
          .contains("Could not load sessions.").contains("The log store is unavailable right now.")
          .contains("Retry").containsPattern("Retrying in \\d+ s").doesNotContain("connection refused");
      browser.driver.findElement(By.cssSelector("#grid-state details summary")).click();
      assertThat(p.gridMessage()).as("the technical message behind Details").contains("cannot reach ClickHouse: connection refused");
      browser.screenshot("instances-source-down");
    }
  }

  // ---------- the seed's five test cascades ----------

  @Test
  void simpleCascadeShowsEveryPhaseCompletedOnAGreenPath() {
    page.clickFlow("sample-simple");

    assertThat(page.nodes()).containsExactly("research", "outline", "write");
    assertThat(List.of("research", "outline", "write")).allSatisfy(p -> assertThat(page.nodeStatus(p)).isEqualTo("completed"));
    assertThat(page.takenEdges()).containsExactlyInAnyOrder("research->outline", "outline->write");
    assertThat(page.edgeColour("research", "outline")).isEqualTo(GREEN);
    assertThat(page.summary("status")).isEqualTo("completed");
    assertThat(page.summary("cost")).isEqualTo("$0.0048");
    assertThat(page.summary("phases")).isEqualTo("3 / 3");
    assertThat(page.node("outline").findElement(By.cssSelector("[data-metric='turns']")).getText()).isEqualTo("2 turns");
    assertThat(page.node("research").findElement(By.cssSelector("[data-metric='cost']")).getText()).isEqualTo("$0.0018");
    assertThat(page.node("research").findElement(By.cssSelector("[data-metric='duration']")).getText()).isEqualTo("5.0 s");
    browser.screenshot("flow-simple");
  }

  @Test
  void soundingsCascadeHighlightsTheWinnerAndShowsPreviews() {
    page.clickFlow("sample-soundings");

    WebElement tagline = page.node("tagline");
    List<WebElement> chips = tagline.findElements(By.cssSelector("[data-sounding]"));
    assertThat(chips).extracting(c -> c.getAttribute("data-sounding")).containsExactly("0", "1", "2");
    assertThat(tagline.findElements(By.cssSelector("[data-winner='true']")))
        .singleElement().satisfies(w -> assertThat(w.getAttribute("data-sounding")).isEqualTo("2"));

    page.selectPhase("tagline");
    List<WebElement> attempts = page.panel().findElements(By.cssSelector(".attempt"));
    assertThat(attempts).hasSize(3);
    WebElement winner = page.panel().findElement(By.cssSelector(".attempt[data-winner='true']"));
    assertThat(winner.getAttribute("data-attempt")).isEqualTo("2");
    assertThat(winner.getText()).contains("winner").contains("$0.0005");
    assertThat(winner.getCssValue("border-color")).isEqualTo(GREEN);
    assertThat(attempts.get(1).findElement(By.cssSelector(".preview")).getText()).as("cut at 50 characters").endsWith("...”");
    browser.screenshot("flow-soundings");
  }

  @Test
  void reforgeCascadeShowsEachStepsWinner() {
    page.clickFlow("sample-reforge");

    WebElement draft = page.node("draft");
    assertThat(draft.findElement(By.cssSelector("[data-inner='soundings'] [data-winner='true']")).getAttribute("data-sounding"))
        .isEqualTo("1");
    List<WebElement> steps = draft.findElements(By.cssSelector("[data-reforge-step]"));
    assertThat(steps).extracting(WebElement::getText).containsExactly("step 1 → #1", "step 2 → #0");

    page.selectPhase("draft");
    assertThat(page.panel().findElements(By.cssSelector(".step"))).extracting(WebElement::getText)
        .satisfiesExactly(
            s -> assertThat(s).contains("Step 1").contains("winner #1"),
            s -> assertThat(s).contains("Step 2").contains("winner #0"));
    browser.screenshot("flow-reforge");
  }

  @Test
  void runningCascadePulsesTheCurrentPhaseAndShowsTheRestPending() {
    page.clickFlow("sample-running");

    assertThat(page.nodeStatus("gather")).isEqualTo("completed");
    assertThat(page.nodeStatus("analyze")).isEqualTo("running");
    assertThat(page.script("return getComputedStyle(document.querySelector(\"#flow-canvas .node[data-phase='analyze']\")).animationName;"))
        .isEqualTo("pulse");
    assertThat(page.nodeStatus("write_report")).isEqualTo("pending");
    assertThat(page.nodeStatus("review")).isEqualTo("pending");
    assertThat(page.takenEdges()).containsExactly("gather->analyze");
    assertThat(page.untakenEdges()).contains("analyze->write_report", "write_report->review");
    assertThat(page.summary("status")).isEqualTo("running");
    assertThat(page.summary("phases")).isEqualTo("2 / 4");
    assertThat(page.liveIndicatorShown()).isTrue();
    browser.screenshot("flow-running");
  }

  @Test
  void failedCascadeShowsTheErrorAndThePhaseNeverReached() {
    page.clickFlow("sample-failed");

    assertThat(page.nodeStatus("extract")).as("its error was recovered").isEqualTo("completed");
    assertThat(page.nodeStatus("transform")).isEqualTo("error");
    assertThat(page.nodeStatus("load")).isEqualTo("pending");
    assertThat(page.summary("status")).isEqualTo("error");
    assertThat(page.takenEdges()).containsExactly("extract->transform");
    assertThat(page.liveIndicatorShown()).isFalse();

    page.selectPhase("transform");
    assertThat(page.panel().findElement(By.cssSelector("[data-phase-error]")).getText()).contains("Schema mismatch");
    browser.screenshot("flow-failed");

    page.selectPhase("extract");
    assertThat(page.panel().findElement(By.cssSelector("[data-phase-error]")).getText()).startsWith("Recovered error: ");
  }

  // ---------- wards and loops ----------

  @Test
  void wardsShowPassFailBlockedAndTheReasonOnHover() {
    page.clickFlow("sample-wards");

    WebElement classify = page.node("classify");
    assertThat(ward(classify, "pre_0").getAttribute("data-valid")).isEqualTo("true");
    assertThat(ward(classify, "post_0").getAttribute("data-valid")).isEqualTo("true");
    assertThat(ward(classify, "post_1").getAttribute("data-valid")).isEqualTo("false");
    assertThat(ward(classify, "post_1").getAttribute("data-blocked")).as("advisory").isEqualTo("false");

    WebElement reply = page.node("reply");
    assertThat(page.nodeStatus("reply")).isEqualTo("error");
    WebElement blocking = ward(reply, "post_0");
    assertThat(blocking.getAttribute("data-valid")).isEqualTo("false");
    assertThat(blocking.getAttribute("data-blocked")).isEqualTo("true");
    assertThat(blocking.getAttribute("title")).contains("no_refund_promises").contains("failed")
        .contains("Reply promises a refund without approval");
    assertThat(ward(reply, "turn_0").getAttribute("data-valid")).isEqualTo("true");
    browser.screenshot("flow-wards");
  }

  @Test
  void aLoopShowsTheRevisitedPhaseAndTheBackEdgeInGreen() {
    page.clickFlow("sample-loop");

    assertThat(page.node("draft").findElement(By.cssSelector(".visits")).getText()).isEqualTo("×2");
    assertThat(page.takenEdges()).contains("draft->review", "review->draft", "draft->publish");
    assertThat(page.edgeColour("review", "draft")).isEqualTo(GREEN);
    assertThat(List.of("draft", "review", "publish")).allSatisfy(p -> assertThat(page.nodeStatus(p)).isEqualTo("completed"));
    browser.screenshot("flow-loop");
  }

  @Test
  void aHandoffThatSkipsAPhaseIsDrawnAroundItNotThroughIt() {
    // blog_post as if research could also hand off straight to write
    CascadeDefinition branching = new CascadeDefinition("blog_post", "research may skip the outline", List.of(
        PhaseSpec.named("research", "outline", "write"), PhaseSpec.named("outline", "write"),
        PhaseSpec.named("write")), null);
    try (FlowServer branched = FlowServer.start(new ExecutionFlowService(Samples.source(),
        CascadeCatalog.of(List.of(branching))), "127.0.0.1", 0)) {
      ViewerPage p = new ViewerPage(browser.driver, branched.uri()).openInstances().clickFlow("sample-simple");

      assertThat(p.untakenEdges()).containsExactly("research->write");
      assertThat(p.takenEdges()).containsExactlyInAnyOrder("research->outline", "outline->write");
      Number pointsInsideOutline = (Number) p.script(
          "const e = document.querySelector(\"#flow-edges path[data-edge-from='research'][data-edge-to='write']\");"
              + "const n = document.querySelector(\"#flow-canvas .node[data-phase='outline']\");"
              + "const r = {x: n.offsetLeft, y: n.offsetTop, w: n.offsetWidth, h: n.offsetHeight};"
              + "let inside = 0; const len = e.getTotalLength();"
              + "for (let i = 0; i <= 100; i++) { const q = e.getPointAtLength(len * i / 100);"
              + "  if (q.x >= r.x && q.x <= r.x + r.w && q.y >= r.y && q.y <= r.y + r.h) inside++; }"
              + "return inside;");
      assertThat(pointsInsideOutline.intValue()).as("points of research->write inside the outline node").isZero();
      browser.screenshot("flow-branching");
    }
  }

  // ---------- modal behaviour ----------

  @Test
  void escapeClosesTheModal() {
    page.clickFlow("sample-simple");
    assertThat(page.modalOpen()).isTrue();

    page.pressEscape();

    assertThat(page.modalOpen()).isFalse();
  }

  @Test
  void aSessionWithoutRowsShowsAnErrorInTheModal() {
    page.script("window.execflow.onVisualize('no-such-session', 'blog_post')");
    page.waitUntil(d -> !"loading".equals(page.flowState()));

    assertThat(page.flowState()).isEqualTo("error");
    assertThat(page.flowMessage()).contains("No such session: “no-such-session”.").doesNotContain("unknown session");
    browser.driver.findElement(By.cssSelector("#flow-message details summary")).click();
    assertThat(page.flowMessage()).contains("unknown session: no-such-session");
  }

  @Test
  void aRunningSessionRefreshesItselfUntilItEnds(@TempDir Path dir) throws Exception {
    List<String> rows = sampleLines("simple");
    Path log = dir.resolve("live.jsonl");
    Files.write(log, rows.subList(0, 5), StandardCharsets.UTF_8);
    try (FlowServer live = FlowServer.start(
        new ExecutionFlowService(JsonlLogSource.open(log), CascadeCatalog.bundledSamples()), "127.0.0.1", 0)) {
      ViewerPage p = new ViewerPage(browser.driver, live.uri()).openInstances();
      p.clickFlow("sample-simple");
      assertThat(p.sessionStatus()).isEqualTo("running");
      assertThat(p.nodeStatus("research")).isEqualTo("running");
      assertThat(p.nodeStatus("outline")).isEqualTo("pending");
      assertThat(p.summaryCost()).isEqualTo(0.001);
      assertThat(p.liveIndicatorShown()).isTrue();

      append(log, rows.subList(5, 12));
      p.waitUntil(d -> p.summaryCost() > 0.001);
      assertThat(p.summaryCost()).isCloseTo(0.0024, org.assertj.core.data.Offset.offset(1e-9));
      assertThat(p.nodeStatus("research")).isEqualTo("completed");
      assertThat(p.nodeStatus("outline")).isEqualTo("running");
      assertThat(p.takenEdges()).containsExactly("research->outline");
      browser.screenshot("flow-live-updating");

      append(log, rows.subList(12, rows.size()));
      p.waitUntil(d -> "completed".equals(p.sessionStatus()));
      assertThat(p.summaryCost()).isCloseTo(0.0048, org.assertj.core.data.Offset.offset(1e-9));
      assertThat(p.liveIndicatorShown()).as("stops polling once the session ended").isFalse();
      int updates = p.updates();
      Thread.sleep(2500);
      assertThat(p.updates()).as("no more refreshes after the end").isEqualTo(updates);
    }
  }

  private static WebElement ward(WebElement node, String key) {
    return node.findElement(By.cssSelector("[data-ward='" + key + "']"));
  }

  private static List<String> sampleLines(String sample) throws IOException {
    try (InputStream in = ViewerBrowserTest.class.getClassLoader().getResourceAsStream(Samples.get(sample).sessionResource())) {
      return new String(in.readAllBytes(), StandardCharsets.UTF_8).lines().filter(l -> !l.isBlank()).toList();
    }
  }

  /**
   * Appends rows the way a log shipper's batch lands: all at once. (The new content is written
   * beside the file and moved over it, so a refresh never reads half a batch.)
   */
  private static void append(Path file, List<String> lines) throws IOException {
    Path next = file.resolveSibling(file.getFileName() + ".next");
    Files.copy(file, next, StandardCopyOption.REPLACE_EXISTING);
    Files.write(next, lines, StandardCharsets.UTF_8, StandardOpenOption.APPEND);
    Files.move(next, file, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
  }

  /** A store that cannot be reached, reporting it the way sources do. */
  static final class UnreachableStore implements LogSource {
    @Override
    public long read(SessionQuery query, RowSink sink) {
      throw new LogSourceException(LogSourceException.Reason.UNAVAILABLE, "cannot reach ClickHouse: connection refused");
    }

    @Override
    public SessionPage listSessions(SessionListQuery query) {
      throw new LogSourceException(LogSourceException.Reason.UNAVAILABLE, "cannot reach ClickHouse: connection refused");
    }
  }
}
