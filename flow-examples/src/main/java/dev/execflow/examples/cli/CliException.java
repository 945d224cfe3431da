package dev.execflow.examples.cli;

/**
 * A failure the CLI reports as one line on stderr with exit code {@link ExecflowCli#EXIT_FAILURE}
 * (missing file, unknown session, unreachable source): the user's input or environment, not a bug.
 */
final class CliException extends RuntimeException {
  private static final long serialVersionUID = 1L;

  CliException(String message) {
    super(message, null, false, false);
  }
}
