/**
 * The production HTTP server: {@link dev.execflow.examples.server.FlowServer} runs the
 * framework-neutral {@link dev.execflow.examples.service.ExecutionFlowService} and the web viewer
 * on Jetty 12, with timeouts against slow clients, bounded pools with load shedding, per-request
 * deadlines and cancellation of a read whose client went away.
 *
 * <pre>{@code
 * try (FlowServer server = FlowServer.start(service, "127.0.0.1", 8080, FlowServer.Options.defaults())) {
 *   server.awaitStop();
 * }
 * }</pre>
 */
package dev.execflow.examples.server;
