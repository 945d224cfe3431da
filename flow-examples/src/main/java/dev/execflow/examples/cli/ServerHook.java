package dev.execflow.examples.cli;

import dev.execflow.examples.server.FlowServer;

/**
 * What {@code serve} and {@code demo} do once the server runs. The default keeps it running until
 * the JVM is stopped (Ctrl+C); tests pass one that returns at once and stops the server themselves.
 */
@FunctionalInterface
public interface ServerHook {
  void started(FlowServer server) throws InterruptedException;

  /** Runs until Ctrl+C (or another JVM shutdown), then closes the server. */
  static ServerHook untilShutdown() {
    return server -> {
      Runtime.getRuntime().addShutdownHook(new Thread(server::close, "execflow-shutdown"));
      server.awaitStop();
    };
  }
}
