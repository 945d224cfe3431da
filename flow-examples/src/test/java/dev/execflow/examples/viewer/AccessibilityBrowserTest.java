package dev.execflow.examples.viewer;

import static org.assertj.core.api.Assertions.assertThat;

import dev.execflow.examples.server.FlowServer;
import dev.execflow.examples.service.ExecutionFlowService;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import org.openqa.selenium.By;

/**
 * axe-core (WCAG 2 A and AA rules, contrast included) finds no serious or critical violation on
 * the instances page, each tab of the Flow modal, and the error states.
 */
@ExtendWith(BrowserExtension.class)
class AccessibilityBrowserTest {
  @RegisterExtension static final SamplesServer server = new SamplesServer();
  private Browser browser;
  private ViewerPage page;

  @BeforeEach
  void open(Browser shared) {
    browser = shared;
    Axe.source(); // skips (or fails under CI) before any work when axe-core is not installed
    page = new ViewerPage(browser.driver, server.uri()).openInstances();
  }

  @Test
  void theInstancesPageHasNoSeriousViolations() {
    assertThat(Axe.serious(browser.driver, "the instances page")).isEmpty();
  }

  @ParameterizedTest
  @ValueSource(strings = {"Graph", "Timeline", "Phases", "Compare"})
  void eachTabOfTheModalHasNoSeriousViolations(String tab) {
    // the wards sample: passed, failed advisory and blocking wards, an error phase
    page.clickFlow("sample-wards").tab(tab);

    assertThat(Axe.serious(browser.driver, "the " + tab + " tab")).isEmpty();
  }

  @Test
  void aRunningSessionsModalHasNoSeriousViolations() {
    page.clickFlow("sample-running");

    assertThat(Axe.serious(browser.driver, "a running session")).isEmpty();
  }

  @Test
  void theNoSuchSessionErrorHasNoSeriousViolations() {
    page.openLink("#session=no-such-session");
    assertThat(page.flowState()).isEqualTo("error");
    browser.driver.findElement(By.cssSelector("#flow-message details summary")).click();

    assertThat(Axe.serious(browser.driver, "the no-such-session error")).isEmpty();
  }

  @Test
  void theSourceDownErrorHasNoSeriousViolations() {
    try (FlowServer down = FlowServer.start(new ExecutionFlowService(new ViewerBrowserTest.UnreachableStore()), "127.0.0.1", 0)) {
      ViewerPage p = new ViewerPage(browser.driver, down.uri()).openInstances();
      assertThat(p.gridState()).isEqualTo("error");

      assertThat(Axe.serious(browser.driver, "the source-down error")).isEmpty();
    }
  }
}
