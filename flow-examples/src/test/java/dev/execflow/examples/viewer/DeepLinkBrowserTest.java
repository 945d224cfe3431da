package dev.execflow.examples.viewer;

import static org.assertj.core.api.Assertions.assertThat;

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
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;
import org.openqa.selenium.By;

/**
 * Links to a view: {@code #session=<id>&tab=graph|timeline|phases&phase=<name>}, values
 * percent-encoded. Opening one restores the session, tab and phase; the address bar follows
 * what a person does; an unknown id says so, with the id.
 */
@ExtendWith(BrowserExtension.class)
class DeepLinkBrowserTest {
  /** The loop sample under an id and a phase name that need percent-encoding. */
  static final String ODD_SESSION = "run+1=a@b";
  static final String ODD_PHASE = "review & fix";

  @TempDir static Path dir;
  private static FlowServer server;
  private Browser browser;
  private ViewerPage page;

  @BeforeAll
  static void startServer() throws IOException {
    for (Samples.Sample s : Samples.all()) {
      try (InputStream in = DeepLinkBrowserTest.class.getClassLoader().getResourceAsStream(s.sessionResource())) {
        Files.write(dir.resolve(s.sessionId() + ".jsonl"), in.readAllBytes());
      }
    }
    String loop = Files.readString(dir.resolve("sample-loop.jsonl"), StandardCharsets.UTF_8);
    Files.writeString(dir.resolve("odd.jsonl"), loop.replace("\"sample-loop\"", "\"" + ODD_SESSION + "\"")
        .replace("\"review\"", "\"" + ODD_PHASE + "\"").replace("\\\"review\\\"", "\\\"" + ODD_PHASE + "\\\"")
        .replace("Phase: review", "Phase: " + ODD_PHASE), StandardCharsets.UTF_8);
    server = FlowServer.start(new ExecutionFlowService(JsonlLogSource.open(dir), CascadeCatalog.bundledSamples()), "127.0.0.1", 0);
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

  @Test
  void aLinkRestoresTheSessionTheTabAndThePhase() {
    page.openLink("#session=sample-loop&tab=timeline&phase=review");

    assertThat(page.modalOpen()).isTrue();
    assertThat(browser.driver.findElement(By.id("flow-subtitle")).getText()).startsWith("session sample-loop");
    assertThat(page.activeTab()).isEqualTo("Timeline");
    assertThat(page.panelPhase()).isEqualTo("review");
    assertThat(browser.driver.findElements(By.cssSelector("#view-timeline .bar.selected")))
        .extracting(b -> b.getAttribute("data-phase")).containsOnly("review");
    browser.screenshot("deep-link-timeline");
  }

  @Test
  void percentEncodedIdsAndPhaseNamesRoundTrip() {
    page.openLink("#session=run%2B1%3Da%40b&tab=phases&phase=review%20%26%20fix");

    assertThat(browser.driver.findElement(By.id("flow-subtitle")).getText()).startsWith("session " + ODD_SESSION);
    assertThat(page.activeTab()).isEqualTo("Phases");
    assertThat(page.panelPhase()).isEqualTo(ODD_PHASE);
    assertThat(page.fragment()).as("written back the same way").isEqualTo("#session=run%2B1%3Da%40b&tab=phases&phase=review%20%26%20fix");
  }

  @Test
  void theAddressBarFollowsTheTabAndThePhaseAPersonPicks() {
    page.openInstances().clickFlow("sample-simple");
    assertThat(page.fragment()).isEqualTo("#session=sample-simple&tab=graph");

    page.tab("Phases");
    browser.driver.findElement(By.cssSelector("#phases-table button[data-select='outline']")).click();

    assertThat(page.fragment()).isEqualTo("#session=sample-simple&tab=phases&phase=outline");
    String link = browser.driver.getCurrentUrl();
    page.pressEscape();
    assertThat(page.fragment()).as("closing the dialog ends the link").isEmpty();

    browser.driver.get("about:blank");
    browser.driver.get(link);
    page.waitUntil(d -> page.modalOpen() && "ready".equals(page.flowState()));
    assertThat(page.activeTab()).isEqualTo("Phases");
    assertThat(page.panelPhase()).isEqualTo("outline");
  }

  @Test
  void anUnknownSessionSaysNoSuchSessionWithTheId() {
    page.openLink("#session=nobody-42&tab=graph");

    assertThat(page.flowState()).isEqualTo("error");
    assertThat(page.flowMessage()).contains("No such session: “nobody-42”.");
    assertThat(browser.driver.findElement(By.id("flow-title")).getText()).isEqualTo("No such session");
    browser.screenshot("deep-link-no-such-session");
  }

  @Test
  void aLinkPastedIntoAnOpenPageOpensItsSession() {
    page.openLink("#session=sample-simple");

    page.script("window.location.hash = arguments[0];", "#session=sample-wards&tab=phases&phase=reply");

    page.waitUntil(d -> browser.driver.findElement(By.id("flow-subtitle")).getText().startsWith("session sample-wards")
        && "ready".equals(page.flowState()));
    assertThat(page.activeTab()).isEqualTo("Phases");
    assertThat(page.panelPhase()).isEqualTo("reply");
  }

  @Test
  void theOlderQueryFormOpensTheSessionToo() {
    browser.driver.get("about:blank");
    browser.driver.get(server.uri() + "?session=sample-failed");
    page.waitUntil(d -> page.modalOpen() && "ready".equals(page.flowState()));

    assertThat(page.panelPhase()).as("the failed phase first").isEqualTo("transform");
    assertThat(page.fragment()).isEqualTo("#session=sample-failed&tab=graph");
    assertThat(browser.driver.getCurrentUrl()).as("the query gave way to the fragment").doesNotContain("?session=");
  }
}
