/**
 * The HTTP API as a framework-neutral service: {@link
 * dev.execflow.examples.service.ExecutionFlowService#handle} maps a method, path, query and
 * headers to an {@link dev.execflow.examples.service.ApiResponse}; a server adapter carries it.
 *
 * <pre>{@code
 * ApiResponse r = service.handle("GET", "/api/session/sess-42/execution-flow", "", name -> null);
 * }</pre>
 */
package dev.execflow.examples.service;
