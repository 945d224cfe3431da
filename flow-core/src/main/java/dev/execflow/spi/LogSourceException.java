package dev.execflow.spi;

/**
 * A {@link LogSource} could not deliver a session: the store is unreachable, refused the
 * credentials, lacks a table or column, or failed mid-stream. Unchecked so that it can cross
 * {@link RowSink} callbacks; the message names what failed and is safe to show a user.
 */
public class LogSourceException extends RuntimeException {
  private static final long serialVersionUID = 1L;

  /** What went wrong, so a service can pick a response (e.g. 503 for {@link #UNAVAILABLE}). */
  public enum Reason {
    /** The store cannot be reached or timed out. */
    UNAVAILABLE,
    /** The store refused the credentials. */
    AUTHENTICATION,
    /** The table or a column is missing, or the schema does not match the mapping. */
    SCHEMA,
    /** The input could not be read as rows at all (e.g. a missing file). */
    BAD_INPUT,
    /** The read started but did not finish; what was delivered is incomplete. */
    INTERRUPTED,
    /** The source does not offer this operation. */
    UNSUPPORTED
  }

  private final Reason reason;

  public LogSourceException(Reason reason, String message) {
    super(message);
    this.reason = reason;
  }

  public LogSourceException(Reason reason, String message, Throwable cause) {
    super(message, cause);
    this.reason = reason;
  }

  public Reason reason() {
    return reason;
  }
}
