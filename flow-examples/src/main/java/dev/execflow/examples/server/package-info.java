/**
 * The server adapter that carries {@code ExecutionFlowService} over HTTP for {@code execflow serve}
 * and for embedding, and serves the viewer's static files.
 */
package dev.execflow.examples.server;
