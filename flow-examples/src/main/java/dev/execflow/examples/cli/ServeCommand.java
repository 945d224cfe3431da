package dev.execflow.examples.cli;

import dev.execflow.examples.server.FlowServer;
import dev.execflow.examples.service.ExecutionFlowService;
import dev.execflow.examples.service.WaitingSource;
import dev.execflow.cascade.CascadeCatalog;
import dev.execflow.spi.LogSource;
import java.io.PrintWriter;
import java.nio.file.Path;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParameterException;
import picocli.CommandLine.Spec;

/** {@code execflow serve}: the HTTP API and the web viewer over one source. */
@Command(name = "serve", mixinStandardHelpOptions = true,
    description = "Serve the execution-flow API and the web viewer (instances page + Flow modal).")
final class ServeCommand implements Callable<Integer> {
  @Spec CommandSpec spec;

  @Mixin SourceOptions source;
  @Mixin ClickHouseWaits waits;
  @Mixin StrategyOptions strategy;

  @Option(names = "--cascades", paramLabel = "DIR",
      description = "Directory of cascade definitions (JSON/YAML). Default: the bundled ones when "
          + "serving the bundled samples, else none")
  Path cascades;

  @Option(names = "--port", paramLabel = "N", defaultValue = "8080",
      description = "Port to listen on, 0 for any free one (default ${DEFAULT-VALUE})")
  int port;

  @Option(names = "--host", paramLabel = "ADDR", defaultValue = "127.0.0.1",
      description = "Address to bind (default ${DEFAULT-VALUE}; 0.0.0.0 for all interfaces)")
  String host;

  @Option(names = "--wait-for-source",
      description = "Start serving at once and connect to the source in the background: until it "
          + "is reachable the API answers 503 (with Retry-After) and /api/health says waiting")
  boolean waitForSource;

  @Override
  public Integer call() throws InterruptedException {
    checkPort(spec, port);
    if (source.readsStdin()) {
      throw new CliException("--jsonl - (standard input) can be read only once; serve reads its source on"
          + " every request: give a file or directory");
    }
    PrintWriter out = spec.commandLine().getOut();
    PrintWriter err = spec.commandLine().getErr();
    CascadeCatalog catalog = SourceOptions.catalog(cascades, source.bundled(), err);
    strategy.applyTo(source);
    try (LogSource logs = waitForSource ? WaitingSource.start(waits.applyTo(source).opener(), source.describe())
        : waits.applyTo(source).open()) {
      serve(spec, logs, catalog, source.describe(), host, port, false);
    }
    return ExecflowCli.EXIT_OK;
  }

  static void checkPort(CommandSpec spec, int port) {
    if (port < 0 || port > 65535) {
      throw new ParameterException(spec.commandLine(), "--port must be between 0 and 65535, was " + port);
    }
  }

  /**
   * Starts the server, prints its URL, hands it to the CLI's hook, and stops it when the hook
   * returns.
   *
   * @param fallback whether to take any free port when {@code port} is in use
   */
  static void serve(CommandSpec spec, LogSource logs, CascadeCatalog catalog, String where,
      String host, int port, boolean fallback) throws InterruptedException {
    PrintWriter out = spec.commandLine().getOut();
    ExecutionFlowService service = new ExecutionFlowService(logs, catalog);
    FlowServer server;
    try {
      server = FlowServer.start(service, host, port);
    } catch (java.io.UncheckedIOException e) {
      if (!fallback) {
        throw new CliException(e.getMessage() + " (try another --port, or --port 0)");
      }
      server = FlowServer.start(service, host, 0);
    }
    try (FlowServer running = server) {
      out.println("execflow viewer: " + running.uri());
      out.println("  sessions from " + where + "; " + catalog.size() + " cascade definition"
          + (catalog.size() == 1 ? "" : "s") + "; API under " + running.uri() + "api/");
      if (logs instanceof WaitingSource w && !w.connected()) {
        out.println("  waiting for the source: the API answers 503 until it is reachable (see /api/health)");
      }
      out.println("  Ctrl+C stops it.");
      out.flush();
      root(spec).serverHook.started(running);
    }
  }

  private static ExecflowCli root(CommandSpec spec) {
    CommandSpec s = spec;
    while (s.parent() != null) {
      s = s.parent();
    }
    return (ExecflowCli) s.userObject();
  }
}
