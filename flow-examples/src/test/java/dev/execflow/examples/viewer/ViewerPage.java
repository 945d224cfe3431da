package dev.execflow.examples.viewer;

import java.net.URI;
import java.time.Duration;
import java.util.List;
import org.openqa.selenium.By;
import org.openqa.selenium.JavascriptExecutor;
import org.openqa.selenium.WebElement;
import org.openqa.selenium.chrome.ChromeDriver;
import org.openqa.selenium.support.ui.WebDriverWait;

/** What a person does and sees on the viewer, in the words of the page (page object). */
final class ViewerPage {
  private final ChromeDriver driver;
  private final URI base;

  ViewerPage(ChromeDriver driver, URI base) {
    this.driver = driver;
    this.base = base;
  }

  /** Opens the instances page and waits until the grid (or its empty or error state) shows. */
  ViewerPage openInstances() {
    return openInstances("");
  }

  /** Opens the instances page with a query string (e.g. {@code ?pageSize=3}). */
  ViewerPage openInstances(String query) {
    driver.get(base.toString() + query);
    waitUntil(d -> !"loading".equals(gridState()));
    return this;
  }

  /**
   * Opens the page fresh (not a same-page fragment change) at {@code fragment}, e.g. {@code
   * #session=s1&tab=timeline}, and waits for the modal's data or its error.
   */
  ViewerPage openLink(String fragment) {
    driver.get("about:blank");
    driver.get(base.toString() + fragment);
    waitUntil(d -> modalOpen() && !"loading".equals(flowState()));
    return this;
  }

  /** The address bar's fragment, with its '#'. */
  String fragment() {
    return (String) script("return window.location.hash;");
  }

  /** Clicks a tab of the modal ("Graph", "Timeline", "Phases", "Compare") and waits for its view. */
  ViewerPage tab(String name) {
    WebElement tab = driver.findElement(By.xpath("//div[@id='flow-modal']//button[@role='tab' and normalize-space()='" + name + "']"));
    tab.click();
    waitUntil(d -> "true".equals(tab.getAttribute("aria-selected"))
        && driver.findElement(By.id(tab.getAttribute("aria-controls"))).isDisplayed());
    return this;
  }

  /** The selected tab's name. */
  String activeTab() {
    return driver.findElement(By.cssSelector("#flow-modal [role='tab'][aria-selected='true']")).getText();
  }

  /** The phase the details panel shows. */
  String panelPhase() {
    return driver.findElement(By.id("phase-panel")).getAttribute("data-phase");
  }

  /** The element that has keyboard focus. */
  WebElement focused() {
    return driver.switchTo().activeElement();
  }

  /** Whether the focused element is inside the modal dialog. */
  boolean focusInsideModal() {
    return Boolean.TRUE.equals(script("return document.querySelector('#flow-modal .modal').contains(document.activeElement);"));
  }

  /** Presses keys on whatever has focus, as a keyboard does. */
  void keys(CharSequence... keys) {
    new org.openqa.selenium.interactions.Actions(driver).sendKeys(keys).perform();
  }

  /** The Graph tab's mode button ("Definition", "As run"). */
  void graphMode(String name) {
    driver.findElement(By.xpath("//section[@id='view-graph']//button[@data-mode and normalize-space()='" + name + "']")).click();
  }

  void clickButton(String id) {
    driver.findElement(By.id(id)).click();
  }

  String gridState() {
    return driver.findElement(By.id("grid-state")).getAttribute("data-state");
  }

  String gridMessage() {
    return driver.findElement(By.id("grid-state")).getText();
  }

  List<String> gridSessions() {
    return driver.findElements(By.cssSelector("#instances-grid tbody tr")).stream()
        .map(r -> r.getAttribute("data-session")).toList();
  }

  List<WebElement> flowButtons() {
    return driver.findElements(By.cssSelector("#instances-grid button[data-action='flow']"));
  }

  /** Clicks the Flow button of a session's row and waits for the modal's data (or its error). */
  ViewerPage clickFlow(String sessionId) {
    driver.findElement(By.cssSelector("#instances-grid button[data-action='flow'][data-session='" + sessionId + "']")).click();
    waitUntil(d -> !"loading".equals(flowState()));
    return this;
  }

  boolean modalOpen() {
    return driver.findElement(By.id("flow-modal")).isDisplayed();
  }

  String flowState() {
    return driver.findElement(By.id("flow-body")).getAttribute("data-state");
  }

  String flowMessage() {
    return driver.findElement(By.id("flow-message")).getText();
  }

  String sessionStatus() {
    return driver.findElement(By.id("flow-body")).getAttribute("data-session-status");
  }

  int updates() {
    String u = driver.findElement(By.id("flow-body")).getAttribute("data-updates");
    return u == null ? 0 : Integer.parseInt(u);
  }

  // Values that a live refresh re-renders are read in one script call, so that a refresh between
  // finding an element and reading it cannot leave a stale reference.

  String summary(String key) {
    return (String) script("return document.querySelector(\"#flow-summary [data-summary='\" + arguments[0] + \"']\").innerText;", key);
  }

  double summaryCost() {
    return Double.parseDouble((String) script(
        "return document.querySelector(\"#flow-summary [data-summary='cost']\").dataset.value;"));
  }

  WebElement node(String phase) {
    return driver.findElement(By.cssSelector("#flow-canvas .node[data-phase='" + phase + "']"));
  }

  List<String> nodes() {
    return driver.findElements(By.cssSelector("#flow-canvas .node")).stream()
        .map(n -> n.getAttribute("data-phase")).toList();
  }

  String nodeStatus(String phase) {
    return (String) script("const n = document.querySelector(\"#flow-canvas .node[data-phase='\" + arguments[0] + \"']\");"
        + "return n ? n.dataset.status : null;", phase);
  }

  /** "from->to" of every drawn edge the session took (green). */
  List<String> takenEdges() {
    return edges("true");
  }

  List<String> untakenEdges() {
    return edges("false");
  }

  @SuppressWarnings("unchecked")
  private List<String> edges(String taken) {
    return (List<String>) script("return [...document.querySelectorAll(\"#flow-edges path[data-edge-taken='\" + arguments[0] + \"']\")]"
        + ".map(e => e.dataset.edgeFrom + '->' + e.dataset.edgeTo);", taken);
  }

  String edgeColour(String from, String to) {
    return (String) script("return getComputedStyle(document.querySelector(\"#flow-edges path[data-edge-from='\" + arguments[0]"
        + " + \"'][data-edge-to='\" + arguments[1] + \"']\")).stroke;", from, to);
  }

  boolean liveIndicatorShown() {
    return driver.findElement(By.id("live-indicator")).isDisplayed();
  }

  void pressEscape() {
    driver.findElement(By.tagName("body")).sendKeys(org.openqa.selenium.Keys.ESCAPE);
    waitUntil(d -> !modalOpen());
  }

  void selectPhase(String phase) {
    node(phase).click();
    waitUntil(d -> phase.equals(driver.findElement(By.id("phase-panel")).getAttribute("data-phase")));
  }

  WebElement panel() {
    return driver.findElement(By.id("phase-panel"));
  }

  Object script(String js, Object... args) {
    return ((JavascriptExecutor) driver).executeScript(js, args);
  }

  void waitUntil(java.util.function.Function<org.openqa.selenium.WebDriver, Boolean> condition) {
    new WebDriverWait(driver, Duration.ofSeconds(10))
        .ignoring(org.openqa.selenium.StaleElementReferenceException.class)
        .until(condition::apply);
  }

}
