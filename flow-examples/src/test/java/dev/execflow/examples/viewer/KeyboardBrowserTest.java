package dev.execflow.examples.viewer;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.function.Predicate;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.openqa.selenium.By;
import org.openqa.selenium.Keys;
import org.openqa.selenium.WebElement;

/**
 * The viewer without a mouse: Tab to a session's Flow button, open the dialog with Enter, walk
 * every control (focus never leaves the dialog, in either direction), switch tabs with the arrow
 * keys, show a phase from the graph and from the timeline, sort the Phases table, close with Esc
 * and land back on the Flow button.
 */
@ExtendWith(BrowserExtension.class)
class KeyboardBrowserTest {
  private static final int MAX_TABS = 80;
  @RegisterExtension static final SamplesServer server = new SamplesServer();
  private Browser browser;
  private ViewerPage page;

  @BeforeEach
  void open(Browser shared) {
    browser = shared;
    page = new ViewerPage(browser.driver, server.uri()).openInstances();
  }

  /** Presses Tab (or Shift+Tab) until the focused element matches; fails after MAX_TABS presses. */
  private WebElement tabUntil(Predicate<WebElement> wanted, boolean backwards) {
    for (int i = 0; i < MAX_TABS; i++) {
      if (backwards) {
        page.keys(Keys.chord(Keys.SHIFT, Keys.TAB));
      } else {
        page.keys(Keys.TAB);
      }
      WebElement f = page.focused();
      if (wanted.test(f)) {
        return f;
      }
    }
    throw new AssertionError("no element reached by " + MAX_TABS + " presses of Tab");
  }

  private ViewerPage openSoundingsByKeyboard() {
    tabUntil(e -> "flow".equals(e.getAttribute("data-action")) && "sample-soundings".equals(e.getAttribute("data-session")), false);
    page.keys(Keys.ENTER);
    page.waitUntil(d -> page.modalOpen() && "ready".equals(page.flowState()));
    return page;
  }

  @Test
  void tabAndShiftTabNeverLeaveTheOpenDialog() {
    openSoundingsByKeyboard();
    assertThat(page.focusInsideModal()).as("focus moves into the dialog").isTrue();

    for (int i = 0; i < 40; i++) {
      page.keys(Keys.TAB);
      assertThat(page.focusInsideModal()).as("after %d presses of Tab", i + 1).isTrue();
    }
    for (int i = 0; i < 40; i++) {
      page.keys(Keys.chord(Keys.SHIFT, Keys.TAB));
      assertThat(page.focusInsideModal()).as("after %d presses of Shift+Tab", i + 1).isTrue();
    }
  }

  @Test
  void escapeClosesTheDialogAndFocusReturnsToTheFlowButton() {
    openSoundingsByKeyboard();
    page.keys(Keys.TAB, Keys.TAB, Keys.TAB);

    page.keys(Keys.ESCAPE);

    page.waitUntil(d -> !page.modalOpen());
    WebElement f = page.focused();
    assertThat(f.getAttribute("data-action")).isEqualTo("flow");
    assertThat(f.getAttribute("data-session")).isEqualTo("sample-soundings");
  }

  @Test
  void aPhaseCardOpensItsDetailsWithEnterIncludingEverySoundingsPreview() {
    openSoundingsByKeyboard();

    WebElement card = tabUntil(e -> "tagline".equals(e.getAttribute("data-phase")), false);
    card.sendKeys(Keys.ENTER);

    page.waitUntil(d -> "tagline".equals(page.panelPhase()));
    assertThat(page.panel().findElements(By.cssSelector(".attempt .preview"))).hasSize(3)
        .allSatisfy(p -> assertThat(p.getText()).isNotBlank());
    assertThat(page.fragment()).isEqualTo("#session=sample-soundings&tab=graph&phase=tagline");
  }

  @Test
  void arrowKeysSwitchTabsAndTheTimelinesBarsShowTheirPhase() {
    openSoundingsByKeyboard();
    WebElement graphTab = tabUntil(e -> "tab".equals(e.getAttribute("role")), false);
    assertThat(graphTab.getText()).isEqualTo("Graph");

    page.keys(Keys.ARROW_RIGHT);
    assertThat(page.activeTab()).isEqualTo("Timeline");
    assertThat(page.focused().getText()).isEqualTo("Timeline");

    WebElement bar = tabUntil(e -> e.getAttribute("class") != null && e.getAttribute("class").contains("bar"), false);
    assertThat(bar.getAttribute("data-phase")).as("the bars' one tab stop: the selected phase's").isEqualTo(page.panelPhase());
    assertThat(bar.getAttribute("data-step")).isEqualTo("2");
    page.keys(Keys.ARROW_LEFT);
    assertThat(page.focused().getAttribute("data-step")).as("the step before").isEqualTo("1");
    page.keys(Keys.ENTER);
    page.waitUntil(d -> "brief".equals(page.panelPhase()));
    page.keys(Keys.ARROW_RIGHT, Keys.ARROW_RIGHT);
    assertThat(page.focused().getAttribute("data-phase")).isEqualTo("finalize");
  }

  @Test
  void thePhasesTableSortsFromTheKeyboardAndSaysHow() {
    openSoundingsByKeyboard();
    tabUntil(e -> "tab".equals(e.getAttribute("role")), false);
    page.keys(Keys.ARROW_RIGHT, Keys.ARROW_RIGHT);
    assertThat(page.activeTab()).isEqualTo("Phases");

    WebElement cost = tabUntil(e -> "Cost".equals(e.getText()) && "cost".equals(e.getAttribute("data-sort")), false);
    page.keys(Keys.ENTER);

    assertThat(cost.findElement(By.xpath("..")).getAttribute("aria-sort")).isEqualTo("descending");
    assertThat(browser.driver.findElement(By.cssSelector("#phases-table tbody tr")).getAttribute("data-phase"))
        .as("the most expensive phase first").isEqualTo("tagline");
    page.keys(Keys.SPACE);
    assertThat(cost.findElement(By.xpath("..")).getAttribute("aria-sort")).isEqualTo("ascending");
    assertThat(browser.driver.findElement(By.cssSelector("#phases-table tbody tr")).getAttribute("data-phase")).isEqualTo("brief");
  }

  @Test
  void theInstancesGridSortsFromTheKeyboard() {
    WebElement cost = tabUntil(e -> "Cost".equals(e.getText()), false);
    page.keys(Keys.ENTER);

    assertThat(cost.findElement(By.xpath("..")).getAttribute("aria-sort")).isEqualTo("descending");
    assertThat(page.gridSessions().get(0)).isEqualTo("sample-simple");
  }
}
