package dev.execflow.examples.viewer;

import static org.assertj.core.api.Assertions.assertThat;

import dev.execflow.testing.Samples;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.openqa.selenium.By;
import org.openqa.selenium.WebElement;

/**
 * The viewer in an 800 px wide window: every Flow button and the dialog's actions are in view,
 * the graph gets the width and the details panel opens over it on demand. Screenshots of each
 * view at that width.
 */
@ExtendWith(BrowserExtension.class)
class ResponsiveBrowserTest {
  @RegisterExtension static final SamplesServer server = new SamplesServer();
  private Browser browser;
  private ViewerPage page;

  @BeforeEach
  void narrow(Browser shared) {
    browser = shared;
    browser.viewport(800, 800);
    page = new ViewerPage(browser.driver, server.uri()).openInstances();
  }

  @AfterEach
  void wide() {
    browser.defaultViewport();
  }

  /** Whether the element's box lies within the window's width and height. */
  private boolean inView(WebElement e) {
    return Boolean.TRUE.equals(page.script("const r = arguments[0].getBoundingClientRect();"
        + "return r.width > 0 && r.left >= 0 && r.top >= 0 && r.right <= window.innerWidth && r.bottom <= window.innerHeight;", e));
  }

  @Test
  void everyFlowButtonIsInViewAt800Pixels() {
    assertThat(((Number) page.script("return window.innerWidth;")).intValue()).isEqualTo(800);

    assertThat(page.flowButtons()).hasSize(Samples.all().size()).allSatisfy(b -> assertThat(inView(b)).isTrue());
    browser.screenshot("instances-800");
  }

  @Test
  void theDialogsActionsAreInViewAndTheGraphGetsTheWidth() {
    page.clickFlow("sample-soundings");

    for (String id : List.of("flow-close", "tab-graph", "tab-timeline", "tab-phases", "tab-compare", "panel-toggle", "zoom-fit")) {
      assertThat(inView(browser.driver.findElement(By.id(id)))).as(id).isTrue();
    }
    WebElement panel = browser.driver.findElement(By.id("phase-panel"));
    assertThat(panel.isDisplayed()).as("the panel waits until asked for").isFalse();
    int graph = browser.driver.findElement(By.id("flow-graph")).getSize().getWidth();
    assertThat(graph).as("the graph's width").isGreaterThan(700);
    browser.screenshot("flow-800-graph");

    page.node("tagline").click();
    page.waitUntil(d -> panel.isDisplayed());
    assertThat(page.panelPhase()).isEqualTo("tagline");
    assertThat(inView(panel)).isTrue();
    browser.screenshot("flow-800-details");

    browser.driver.findElement(By.id("panel-toggle")).click();
    assertThat(panel.isDisplayed()).isFalse();
    assertThat(browser.driver.findElement(By.id("panel-toggle")).getAttribute("aria-expanded")).isEqualTo("false");
  }

  @Test
  void theTimelineAndThePhasesTableFit800Pixels() {
    page.clickFlow("sample-loop").tab("Timeline");
    List<WebElement> bars = browser.driver.findElements(By.cssSelector("#view-timeline .bar"));
    assertThat(bars).hasSize(4).allSatisfy(b -> assertThat(inView(b)).isTrue());
    browser.screenshot("flow-800-timeline");

    page.tab("Phases");
    WebElement table = browser.driver.findElement(By.id("phases-table"));
    assertThat(inView(table.findElement(By.xpath(".//button[normalize-space()='Cost']")))).isTrue();
    browser.screenshot("flow-800-phases");
  }
}
