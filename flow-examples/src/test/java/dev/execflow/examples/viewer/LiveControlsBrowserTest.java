package dev.execflow.examples.viewer;

import static org.assertj.core.api.Assertions.assertThat;

import dev.execflow.assemble.AssemblyOptions;
import dev.execflow.cascade.CascadeCatalog;
import dev.execflow.examples.service.ExecutionFlowService;
import dev.execflow.follow.FollowHub;
import dev.execflow.follow.FollowOptions;
import dev.execflow.source.jsonl.JsonlLogSource;
import dev.execflow.spi.LogSource;
import dev.execflow.spi.LogSourceException;
import dev.execflow.spi.RowSink;
import dev.execflow.spi.SessionListQuery;
import dev.execflow.spi.SessionPage;
import dev.execflow.spi.SessionQuery;
import dev.execflow.testing.Samples;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import org.assertj.core.data.Offset;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;
import org.openqa.selenium.By;
import org.openqa.selenium.WebElement;

/**
 * A person's controls over a live session and what the page says when things go wrong: the pause
 * toggle holds the picture while events keep coming; a failing source shows a short line in the
 * live indicator (the technical message behind Details, the title untouched) and clears when the
 * source answers again; a first load that fails is retried by itself, waiting longer each time.
 */
@ExtendWith(BrowserExtension.class)
class LiveControlsBrowserTest {
  @TempDir Path dir;
  private StreamingTestServer server;
  private FollowHub hub;

  @AfterEach
  void stop() {
    if (server != null) {
      server.close();
    }
    if (hub != null) {
      hub.close();
    }
  }

  private ViewerPage open(Browser b, LogSource source) throws IOException {
    FollowOptions options = FollowOptions.defaults().toBuilder().interval(Duration.ofMillis(100))
        .grace(Duration.ofMillis(500)).stallAfter(Duration.ofMinutes(5)).build();
    hub = new FollowHub(source, options);
    server = new StreamingTestServer(new ExecutionFlowService(source, CascadeCatalog.bundledSamples(),
        AssemblyOptions.defaults(), e -> { throw new AssertionError(e); }, hub));
    return new ViewerPage(b.driver, server.uri()).openInstances();
  }

  private Path growingLog(int firstRows) throws IOException {
    Path log = dir.resolve("live.jsonl");
    Files.write(log, rows().subList(0, firstRows), StandardCharsets.UTF_8);
    return log;
  }

  private static List<String> rows() throws IOException {
    try (InputStream in = LiveControlsBrowserTest.class.getClassLoader()
        .getResourceAsStream(Samples.get("simple").sessionResource())) {
      return new String(in.readAllBytes(), StandardCharsets.UTF_8).lines().filter(l -> !l.isBlank()).toList();
    }
  }

  private static String live(ViewerPage p) {
    return (String) p.script("return document.getElementById('flow-body').dataset.live || null;");
  }

  private static String indicator(ViewerPage p) {
    return (String) p.script("return document.querySelector('#live-indicator .text').textContent;");
  }

  @Test
  void pauseHoldsThePictureAndResumeShowsTheLatest(Browser b) throws Exception {
    Path log = growingLog(5);
    ViewerPage p = open(b, JsonlLogSource.open(log)).clickFlow("sample-simple");
    p.waitUntil(d -> "sse".equals(live(p)));
    WebElement pause = b.driver.findElement(By.id("live-pause"));

    pause.click();
    assertThat(pause.getAttribute("aria-pressed")).isEqualTo("true");
    assertThat(pause.getText()).isEqualTo("Resume");
    Files.write(log, rows().subList(5, 12), StandardCharsets.UTF_8, StandardOpenOption.APPEND);

    p.waitUntil(d -> indicator(p).matches("Paused · \\d+ updates? waiting"));
    assertThat(p.summaryCost()).as("the picture holds still").isEqualTo(0.001);
    assertThat(p.nodeStatus("research")).isEqualTo("running");
    b.screenshot("flow-live-paused");

    pause.click();
    assertThat(pause.getAttribute("aria-pressed")).isEqualTo("false");
    p.waitUntil(d -> p.summaryCost() > 0.001);
    assertThat(p.summaryCost()).isCloseTo(0.0024, Offset.offset(1e-9));
    assertThat(p.nodeStatus("outline")).isEqualTo("running");
    assertThat(indicator(p)).startsWith("Live");
  }

  @Test
  void statusAndCostChangesAreAnnouncedToScreenReaders(Browser b) throws Exception {
    Path log = growingLog(5);
    ViewerPage p = open(b, JsonlLogSource.open(log)).clickFlow("sample-simple");
    p.waitUntil(d -> "sse".equals(live(p)));
    WebElement announcer = b.driver.findElement(By.id("announcer"));
    assertThat(announcer.getAttribute("aria-live")).isEqualTo("polite");

    // each update's announcement replaces the last: collect them as they come
    p.script("window.heard = []; new MutationObserver(() => window.heard.push(arguments[0].textContent))"
        + ".observe(arguments[0], {childList: true, characterData: true, subtree: true});", announcer);

    Files.write(log, rows().subList(5, rows().size()), StandardCharsets.UTF_8, StandardOpenOption.APPEND);

    p.waitUntil(d -> heard(p).contains("Session completed"));
    assertThat(heard(p)).contains("Phase research completed").contains("Phase outline started")
        .contains("Session completed. total cost $0.0048.");
  }

  private static String heard(ViewerPage p) {
    return String.valueOf(p.script("return window.heard.join(' | ');"));
  }

  @Test
  void aSourceThatFailsWhileFollowedSaysSoBrieflyWithDetailsAndClearsWhenItAnswers(Browser b) throws Exception {
    Path log = growingLog(5);
    Switchable source = new Switchable(JsonlLogSource.open(log));
    ViewerPage p = open(b, source).clickFlow("sample-simple");
    p.waitUntil(d -> "sse".equals(live(p)));
    String title = b.driver.findElement(By.id("flow-title")).getText();

    source.failing.set(true);

    p.waitUntil(d -> indicator(p).startsWith("Live · the log source is failing"));
    assertThat(indicator(p)).doesNotContain("127.0.0.1").doesNotContain("ClickHouse");
    assertThat(b.driver.findElement(By.id("flow-title")).getText()).as("the title stays").isEqualTo(title);
    WebElement details = b.driver.findElement(By.cssSelector("#live-indicator details"));
    details.findElement(By.tagName("summary")).click();
    assertThat(details.getText()).contains("cannot reach ClickHouse at http://clickhouse.internal:8123: connection refused");
    b.screenshot("flow-live-source-failing");

    source.failing.set(false);
    p.waitUntil(d -> indicator(p).startsWith("Live · updated"));
    assertThat(b.driver.findElement(By.cssSelector("#live-indicator details")).isDisplayed()).isFalse();
  }

  @Test
  void aFirstLoadThatFailsIsRetriedByItselfWaitingLongerEachTime(Browser b) throws Exception {
    Switchable source = new Switchable(Samples.source());
    ViewerPage p = open(b, source);
    source.failReads.set(2);

    b.driver.findElement(By.cssSelector("button[data-action='flow'][data-session='sample-soundings']")).click();

    p.waitUntil(d -> "error".equals(p.flowState()));
    assertThat(p.flowMessage()).contains("Could not load the execution flow.").contains("The log store is unavailable right now.")
        .contains("Retrying in 1 s").doesNotContain("connection refused");
    p.waitUntil(d -> p.flowMessage().contains("Retrying in 2 s"));
    b.screenshot("flow-load-retrying");
    p.waitUntil(d -> "ready".equals(p.flowState()));
    assertThat(source.reads.get()).as("two failures, then the read that worked").isEqualTo(3);
    assertThat(p.nodes()).contains("tagline");
  }

  /** A source whose store can be made unreachable, or fail the next N reads. */
  static final class Switchable implements LogSource {
    final LogSource delegate;
    final AtomicBoolean failing = new AtomicBoolean();
    final AtomicInteger failReads = new AtomicInteger();
    final AtomicInteger reads = new AtomicInteger();

    Switchable(LogSource delegate) {
      this.delegate = delegate;
    }

    @Override
    public long read(SessionQuery query, RowSink sink) {
      reads.incrementAndGet();
      if (failing.get() || failReads.getAndUpdate(n -> Math.max(0, n - 1)) > 0) {
        throw new LogSourceException(LogSourceException.Reason.UNAVAILABLE,
            "cannot reach ClickHouse at http://clickhouse.internal:8123: connection refused");
      }
      return delegate.read(query, sink);
    }

    @Override
    public SessionPage listSessions(SessionListQuery query) {
      return delegate.listSessions(query);
    }
  }
}
