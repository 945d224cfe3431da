package dev.execflow.examples.viewer;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Comparator;
import java.util.stream.Stream;
import org.junit.jupiter.api.Assertions;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.extension.ExtensionContext;
import org.openqa.selenium.Dimension;
import org.openqa.selenium.OutputType;
import org.openqa.selenium.chrome.ChromeDriver;
import org.openqa.selenium.chrome.ChromeDriverService;
import org.openqa.selenium.chrome.ChromeOptions;

/**
 * One headless Debian Chromium for the whole test run (starting it is the slow part), driven
 * through Debian's chromedriver; nothing is downloaded (Selenium Manager is not used because both
 * the driver and the browser binary are given explicitly, and SE_OFFLINE is set).
 *
 * <p>Without the binaries the browser tests are skipped with a loud message, unless {@code
 * CI=true}, where they fail.
 */
final class Browser implements ExtensionContext.Store.CloseableResource, AutoCloseable {
  static final Path CHROMIUM = Path.of(System.getProperty("execflow.chromium", "/usr/bin/chromium"));
  static final Path CHROMEDRIVER =
      Path.of(System.getProperty("execflow.chromedriver", "/usr/bin/chromedriver"));
  static final Path SCREENSHOTS =
      Path.of(System.getProperty("execflow.screenshots", "target/screenshots"));

  final ChromeDriver driver;
  private final Path profile;

  private Browser(ChromeDriver driver, Path profile) {
    this.driver = driver;
    this.profile = profile;
  }

  /** The run's browser, started on first use and quit when the run ends. */
  static Browser shared(ExtensionContext context) {
    requireBinaries();
    return context.getRoot().getStore(ExtensionContext.Namespace.GLOBAL)
        .getOrComputeIfAbsent(Browser.class, k -> start(), Browser.class);
  }

  static void requireBinaries() {
    boolean present = Files.isExecutable(CHROMIUM) && Files.isExecutable(CHROMEDRIVER);
    if (present) {
      return;
    }
    String message = "BROWSER TESTS NOT RUN: need " + CHROMIUM + " and " + CHROMEDRIVER
        + " (Debian packages chromium and chromium-driver)";
    System.err.println("\n*** " + message + " ***\n");
    if ("true".equalsIgnoreCase(System.getenv("CI"))) {
      Assertions.fail(message);
    }
    Assumptions.abort(message);
  }

  private static Browser start() {
    try {
      Path profile = Files.createTempDirectory("execflow-chromium-");
      ChromeOptions options = new ChromeOptions();
      options.setBinary(CHROMIUM.toFile());
      options.addArguments("--headless=new", "--no-sandbox", "--disable-gpu",
          "--disable-dev-shm-usage", "--disable-background-networking",
          "--disable-component-update", "--disable-sync", "--no-first-run",
          "--disable-default-apps", "--disable-extensions", "--hide-scrollbars",
          "--window-size=1280,800", "--force-device-scale-factor=1",
          "--user-data-dir=" + profile);
      ChromeDriverService service = new ChromeDriverService.Builder()
          .usingDriverExecutable(CHROMEDRIVER.toFile())
          .usingAnyFreePort()
          .build();
      ChromeDriver driver = new ChromeDriver(service, options);
      driver.manage().timeouts().scriptTimeout(Duration.ofSeconds(10));
      sizeViewport(driver, 1280, 800);
      return new Browser(driver, profile);
    } catch (IOException e) {
      throw new IllegalStateException("cannot create a Chromium profile directory", e);
    }
  }

  /** Makes the page area {@code width} x {@code height} (the next page loaded gets it). */
  void viewport(int width, int height) {
    sizeViewport(driver, width, height);
  }

  /** Back to the default 1280x800. */
  void defaultViewport() {
    sizeViewport(driver, 1280, 800);
  }

  /** Makes the page area (not the window) 1280x800: headless windows count browser chrome too. */
  private static void sizeViewport(ChromeDriver driver, int width, int height) {
    driver.get("about:blank");
    @SuppressWarnings("unchecked")
    java.util.List<Number> extra = (java.util.List<Number>) driver.executeScript(
        "return [window.outerWidth - window.innerWidth, window.outerHeight - window.innerHeight];");
    driver.manage().window().setSize(new Dimension(width + extra.get(0).intValue(),
        height + extra.get(1).intValue()));
  }

  /** Saves a PNG of the current page under {@link #SCREENSHOTS}; returns its path. */
  Path screenshot(String name) {
    try {
      Files.createDirectories(SCREENSHOTS);
      Path file = SCREENSHOTS.resolve(name + ".png");
      Files.write(file, driver.getScreenshotAs(OutputType.BYTES));
      return file;
    } catch (IOException e) {
      throw new IllegalStateException("cannot save screenshot " + name, e);
    }
  }

  @Override
  public void close() {
    try {
      driver.quit();
    } finally {
      try (Stream<Path> files = Files.walk(profile)) {
        files.sorted(Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
      } catch (IOException e) {
        // a leftover temp profile is harmless
      }
    }
  }

}
