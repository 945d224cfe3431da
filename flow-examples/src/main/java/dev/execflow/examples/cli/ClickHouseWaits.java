package dev.execflow.examples.cli;

import picocli.CommandLine.Option;

/**
 * {@code --timeout} and {@code --max-execution-time} for a ClickHouse source, on {@code assemble},
 * {@code sessions} and {@code serve}. Apart from {@link SourceOptions} because {@code follow}'s
 * {@code --timeout} means how long to follow (both names are contracts).
 */
final class ClickHouseWaits {
  @Option(names = "--timeout", paramLabel = "SECONDS",
      description = "How long to wait for ClickHouse: to connect, and for each next part of an answer (default 60)")
  Integer timeoutSeconds;

  @Option(names = "--max-execution-time", paramLabel = "SECONDS",
      description = "Server-side limit on each ClickHouse query (max_execution_time); past it the read fails"
          + " (never returns part of a session). Default: none")
  Integer maxExecutionSeconds;

  /** {@code source} with these waits. */
  SourceOptions applyTo(SourceOptions source) {
    source.timeoutSeconds = timeoutSeconds;
    source.maxExecutionSeconds = maxExecutionSeconds;
    return source;
  }
}
