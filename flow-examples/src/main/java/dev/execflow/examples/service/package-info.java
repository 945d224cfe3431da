/**
 * The execution-flow HTTP API without an HTTP server: {@link
 * dev.execflow.examples.service.ExecutionFlowService} takes a method, path, query and headers and
 * answers an {@link dev.execflow.examples.service.ApiResponse}, so that any framework (or the
 * bundled {@code FlowServer}) can mount it; {@link dev.execflow.examples.service.SourceHealth} is
 * what {@code /api/health} reports, {@link dev.execflow.examples.service.WaitingSource} a source
 * connected to in the background.
 *
 * <pre>{@code
 * ApiResponse r = new ExecutionFlowService(source, catalog).handle("GET", "/api/health", null);
 * }</pre>
 */
package dev.execflow.examples.service;
