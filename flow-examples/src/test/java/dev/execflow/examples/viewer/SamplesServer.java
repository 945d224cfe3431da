package dev.execflow.examples.viewer;

import dev.execflow.cascade.CascadeCatalog;
import dev.execflow.examples.server.FlowServer;
import dev.execflow.examples.service.ExecutionFlowService;
import dev.execflow.testing.Samples;
import java.net.URI;
import org.junit.jupiter.api.extension.AfterAllCallback;
import org.junit.jupiter.api.extension.BeforeAllCallback;
import org.junit.jupiter.api.extension.ExtensionContext;

/**
 * The viewer's server on the bundled sample sessions and cascades, one per test class: started
 * before the class's first test, closed after its last.
 *
 * <pre>{@code
 * @RegisterExtension static final SamplesServer server = new SamplesServer();
 * ...
 * ViewerPage page = new ViewerPage(browser.driver, server.uri()).openInstances();
 * }</pre>
 */
final class SamplesServer implements BeforeAllCallback, AfterAllCallback {
  private FlowServer server;

  @Override
  public void beforeAll(ExtensionContext context) {
    server = FlowServer.start(
        new ExecutionFlowService(Samples.source(), CascadeCatalog.bundledSamples()), "127.0.0.1", 0);
  }

  @Override
  public void afterAll(ExtensionContext context) {
    if (server != null) {
      server.close();
      server = null;
    }
  }

  /** The server's base address. */
  URI uri() {
    if (server == null) {
      throw new IllegalStateException("the server runs between the class's first and last test");
    }
    return server.uri();
  }
}
