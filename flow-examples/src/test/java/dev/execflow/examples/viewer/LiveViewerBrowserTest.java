package dev.execflow.examples.viewer;

import static org.assertj.core.api.Assertions.assertThat;

import dev.execflow.assemble.AssemblyOptions;
import dev.execflow.cascade.CascadeCatalog;
import dev.execflow.examples.service.ExecutionFlowService;
import dev.execflow.follow.FollowHub;
import dev.execflow.follow.FollowOptions;
import dev.execflow.source.jsonl.JsonlLogSource;
import dev.execflow.testing.Samples;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.time.Duration;
import java.util.List;
import org.assertj.core.data.Offset;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;

/**
 * The Flow modal of a growing session in a real headless Chromium, live over server-sent events:
 * it updates without polling, in place (focus and nodes survive), and shows a stalled session as
 * stalled. Rows are appended to a JSONL file the service follows.
 */
@ExtendWith(BrowserExtension.class)
class LiveViewerBrowserTest {
  @TempDir Path dir;
  private Browser browser;
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

  private ViewerPage open(Browser b, Path log, Duration stallAfter) throws IOException {
    browser = b;
    FollowOptions options = FollowOptions.defaults().toBuilder().interval(Duration.ofMillis(100))
        .grace(Duration.ofMillis(500)).stallAfter(stallAfter).build();
    JsonlLogSource source = JsonlLogSource.open(log);
    hub = new FollowHub(source, options);
    server = new StreamingTestServer(new ExecutionFlowService(source, CascadeCatalog.bundledSamples(),
        AssemblyOptions.defaults(), e -> { throw new AssertionError(e); }, hub));
    return new ViewerPage(b.driver, server.uri()).openInstances();
  }

  private static List<String> sampleLines(String sample) throws IOException {
    try (InputStream in = LiveViewerBrowserTest.class.getClassLoader()
        .getResourceAsStream(Samples.get(sample).sessionResource())) {
      return new String(in.readAllBytes(), StandardCharsets.UTF_8).lines().filter(l -> !l.isBlank()).toList();
    }
  }

  private static void append(Path file, List<String> lines) throws IOException {
    Files.write(file, lines, StandardCharsets.UTF_8, StandardOpenOption.APPEND);
  }

  private static String live(ViewerPage p) {
    return (String) p.script("return document.getElementById('flow-body').dataset.live || null;");
  }

  @Test
  void theModalOfAGrowingSessionUpdatesFromServerSentEventsWithoutPolling(Browser b) throws Exception {
    List<String> rows = sampleLines("simple");
    Path log = dir.resolve("live.jsonl");
    Files.write(log, rows.subList(0, 5), StandardCharsets.UTF_8);
    ViewerPage p = open(b, log, Duration.ofMinutes(5)).clickFlow("sample-simple");
    p.waitUntil(d -> "sse".equals(live(p)));
    int fetchedOnOpen = server.executionFlowRequests.get();
    // a mark on the drawn node: an update that rebuilt the graph would lose it
    p.script("document.querySelector(\"#flow-canvas .node[data-phase='research']\").dataset.mark = 'kept';");
    assertThat(p.nodeStatus("research")).isEqualTo("running");
    assertThat(p.nodeStatus("outline")).isEqualTo("pending");

    append(log, rows.subList(5, 12));
    p.waitUntil(d -> p.summaryCost() > 0.001);
    assertThat(p.summaryCost()).isCloseTo(0.0024, Offset.offset(1e-9));
    p.waitUntil(d -> "running".equals(p.nodeStatus("outline")));
    assertThat(p.nodeStatus("research")).isEqualTo("completed");
    assertThat(p.takenEdges()).containsExactly("research->outline");
    assertThat(p.script("return document.querySelector(\"#flow-canvas .node[data-phase='research']\").dataset.mark;"))
        .as("the node was updated in place").isEqualTo("kept");
    browser.screenshot("flow-live-sse");

    append(log, rows.subList(12, rows.size()));
    p.waitUntil(d -> "completed".equals(p.sessionStatus()) && "ended".equals(live(p)));
    assertThat(p.summaryCost()).isCloseTo(0.0048, Offset.offset(1e-9));
    assertThat(p.liveIndicatorShown()).isFalse();
    Thread.sleep(2_500);
    assertThat(server.executionFlowRequests.get()).as("no execution-flow polling while SSE works")
        .isEqualTo(fetchedOnOpen);
    assertThat(server.eventStreams.get()).isOne();
  }

  @Test
  void keyboardFocusOnAPhaseSurvivesThreeUpdates(Browser b) throws Exception {
    List<String> rows = sampleLines("simple");
    Path log = dir.resolve("live.jsonl");
    Files.write(log, rows.subList(0, 4), StandardCharsets.UTF_8);
    ViewerPage p = open(b, log, Duration.ofMinutes(5)).clickFlow("sample-simple");
    p.waitUntil(d -> "sse".equals(live(p)));
    p.script("document.querySelector(\"#flow-canvas .node[data-phase='research']\").focus();");

    int[] cuts = {7, 10, 13};
    int from = 4;
    for (int cut : cuts) {
      int before = p.updates();
      append(log, rows.subList(from, cut));
      from = cut;
      p.waitUntil(d -> p.updates() > before);

      assertThat(p.script("const a = document.activeElement; return a && a.dataset ? a.dataset.phase : null;"))
          .as("focus after the update to row %d", cut).isEqualTo("research");
    }
  }

  @Test
  void aSessionWithoutNewRowsShowsAsStalled(Browser b) throws Exception {
    List<String> rows = sampleLines("simple");
    Path log = dir.resolve("live.jsonl");
    Files.write(log, rows.subList(0, 5), StandardCharsets.UTF_8);
    ViewerPage p = open(b, log, Duration.ofSeconds(1)).clickFlow("sample-simple");

    p.waitUntil(d -> "stalled".equals(live(p)));

    assertThat((String) p.script("return document.querySelector('#live-indicator .text').textContent;"))
        .startsWith("Stalled");
    assertThat(p.liveIndicatorShown()).isTrue();
    browser.screenshot("flow-stalled");

    append(log, rows.subList(5, 8));
    p.waitUntil(d -> "sse".equals(live(p)));
    assertThat((String) p.script("return document.querySelector('#live-indicator .text').textContent;"))
        .startsWith("Live");
  }
}
