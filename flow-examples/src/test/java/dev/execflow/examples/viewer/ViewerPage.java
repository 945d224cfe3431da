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
    driver.get(base.toString());
    waitUntil(d -> !"loading".equals(gridState()));
    return this;
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

  String summary(String key) {
    return driver.findElement(By.cssSelector("#flow-summary [data-summary='" + key + "']")).getText();
  }

  double summaryCost() {
    return Double.parseDouble(driver.findElement(By.cssSelector("#flow-summary [data-summary='cost']")).getAttribute("data-value"));
  }

  WebElement node(String phase) {
    return driver.findElement(By.cssSelector("#flow-canvas .node[data-phase='" + phase + "']"));
  }

  List<String> nodes() {
    return driver.findElements(By.cssSelector("#flow-canvas .node")).stream()
        .map(n -> n.getAttribute("data-phase")).toList();
  }

  String nodeStatus(String phase) {
    return node(phase).getAttribute("data-status");
  }

  /** "from->to" of every drawn edge the session took (green). */
  List<String> takenEdges() {
    return edges("true");
  }

  List<String> untakenEdges() {
    return edges("false");
  }

  private List<String> edges(String taken) {
    return driver.findElements(By.cssSelector("#flow-edges path[data-edge-taken='" + taken + "']")).stream()
        .map(e -> e.getAttribute("data-edge-from") + "->" + e.getAttribute("data-edge-to")).toList();
  }

  String edgeColour(String from, String to) {
    WebElement e = driver.findElement(By.cssSelector("#flow-edges path[data-edge-from='" + from + "'][data-edge-to='" + to + "']"));
    return e.getCssValue("stroke");
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
    new WebDriverWait(driver, Duration.ofSeconds(10)).until(condition::apply);
  }

}
